"""The admin's platform registration form and the instructor's deep-linking choice."""
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length

from survey.web.forms import Form

URL_RULES = [DataRequired(), Length(max=500), URL(require_tld=False, message="Enter a full address starting https://")]


class PlatformForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    issuer = StringField("Platform ID (issuer)", validators=[DataRequired(), Length(max=255)])
    client_id = StringField("Client ID", validators=[DataRequired(), Length(max=255)])
    auth_login_url = StringField("Authentication request URL", validators=URL_RULES)
    auth_token_url = StringField("Access token URL", validators=URL_RULES)
    jwks_url = StringField("Public keyset URL", validators=URL_RULES)
    deployment_ids = TextAreaField("Deployment IDs (one per line)", validators=[DataRequired()])

    def deployment_list(self) -> list[str]:
        return [line.strip() for line in (self.deployment_ids.data or "").splitlines() if line.strip()]

    def validate_deployment_ids(self, field):
        if any(len(d) > 255 for d in self.deployment_list()):
            field.errors.append("Each deployment id is at most 255 characters.")


class DeepLinkForm(Form):
    """Shown inside the platform's frame, where our session cookie is not sent: no CSRF token (it lives in the
    session); the sealed request, which only a verified instructor's launch yields, stands in for it."""

    class Meta:
        csrf = False

    choice_request = HiddenField()
    item = RadioField("What should this course link open?", validators=[DataRequired(message="Choose a campaign or a module.")])
