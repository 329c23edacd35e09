"""Admin forms: a user's role, and the audit log's filters."""
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from survey.auth.models import ROLES
from survey.web.forms import Form, options


class RoleForm(Form):
    role = SelectField("Role", choices=options((r, r.capitalize()) for r in ROLES))
    organisation_id = SelectField("Organisation", coerce=str, description="Charity accounts read only this organisation's campaigns.")

    def __init__(self, organisations, **kwargs):
        super().__init__(**kwargs)
        self.organisation_id.choices = options([("", "None")] + [(o.id, o.name) for o in organisations])


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
