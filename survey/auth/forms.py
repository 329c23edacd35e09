"""Account forms."""
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from survey.web.forms import Form

PASSWORD_RULES = [DataRequired(), Length(min=10, max=200, message="Use 10 to 200 characters.")]
PASSWORD_HINT = "At least 10 characters, and not a common or easily guessed password."


class RegisterForm(Form):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    gmc_number = StringField(
        "GMC number",
        description="Your 7-digit General Medical Council reference number.",
        validators=[DataRequired(), Regexp(r"^[0-9]{7}$", message="A GMC number is exactly 7 digits.")],
        filters=[lambda value: value.strip() if value else value],
    )
    password = PasswordField("Password", description=PASSWORD_HINT, validators=PASSWORD_RULES)
    confirm = PasswordField("Repeat password", validators=[DataRequired(), EqualTo("password", "The passwords do not match.")])


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ResetRequestForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class ResetPasswordForm(Form):
    password = PasswordField("New password", description=PASSWORD_HINT, validators=PASSWORD_RULES)
    confirm = PasswordField("Repeat new password", validators=[DataRequired(), EqualTo("password", "The passwords do not match.")])


class EmailForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])


class ConfirmForm(Form):
    """A button: links in emails lead to a page that asks, so a mail scanner's visit spends nothing."""
