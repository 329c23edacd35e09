"""Confirming a withdrawal or an account deletion."""
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from survey.web.forms import Form


class WithdrawForm(Form):
    """An empty form: the button and its CSRF token."""


class DeleteAccountForm(Form):
    understand = BooleanField("I understand that my account is deleted for good and cannot be restored.",
                              validators=[DataRequired("Please tick to confirm.")])
    password = PasswordField("Your password", description="To be sure it is you.",
                             validators=[DataRequired("Enter your password."), Length(max=200)])
