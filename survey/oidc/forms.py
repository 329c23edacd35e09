"""The admin's form for one OpenID Connect provider."""
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Length

from survey.web.forms import Form


class ProviderForm(Form):
    name = StringField("Name on the sign-in button", validators=[Length(max=80)],
                       description='Shown as "Sign in with <name>", e.g. OpenAthens.')
    issuer = StringField("Issuer URL", validators=[Length(max=500)],
                         description="Exactly as the provider publishes it, e.g. https://login.example.org/oidc.")
    client_id = StringField("Client ID", validators=[Length(max=255)])
    client_secret = PasswordField("Client secret", validators=[Length(max=1000)])
    enabled = BooleanField("Offer this provider on the sign-in page", default=True)
