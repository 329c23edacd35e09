"""Admin forms: a user's role, details, account actions, new accounts, and the audit log's filters."""
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from survey.admin.accounts import role_name
from survey.auth.models import ROLES
from survey.web.forms import Form, options


def _organisation_choices(organisations):
    return options([("", "None")] + [(o.id, o.name) for o in organisations])


class RoleForm(Form):
    role = SelectField("Role", choices=options((r, role_name(r)) for r in ROLES))
    organisation_id = SelectField("Organisation", coerce=str, description="Charity accounts read only this organisation's campaigns.")

    def __init__(self, organisations, **kwargs):
        super().__init__(**kwargs)
        self.organisation_id.choices = _organisation_choices(organisations)


class DetailsForm(Form):
    name = StringField("Full name", validators=[DataRequired("Enter the name."), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired("Enter the email address."), Length(max=254)])
    gmc_number = StringField("GMC number", description="7 digits; GP accounts need one.", validators=[Length(max=20)])


class ActionForm(Form):
    """An empty form for one account action: the button and its CSRF token."""


class DeleteForm(Form):
    confirm = BooleanField("I understand that this account is deleted for good, as if its owner had deleted it.",
                           validators=[DataRequired("Please tick to confirm.")])


class NewUserForm(DetailsForm):
    role = SelectField("Role", choices=options((r, role_name(r)) for r in ROLES), default="gp")
    organisation_id = SelectField("Organisation", coerce=str, description="Charity accounts only.")

    def __init__(self, organisations, **kwargs):
        super().__init__(**kwargs)
        self.organisation_id.choices = _organisation_choices(organisations)


class AuditFilterForm(Form):
    """Read from the query string (GET), so no CSRF token: it changes nothing."""

    class Meta:
        csrf = False

    action = SelectField("Action", validators=[Optional()])
    actor = StringField("Actor's email contains", validators=[Optional(), Length(max=254)])
    since = DateField("From", validators=[Optional()])
    until = DateField("To", validators=[Optional()])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, actions, **kwargs):
        super().__init__(**kwargs)
        self.action.choices = options([("", "Any")] + [(a, a) for a in actions])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be on or after the start date.")
