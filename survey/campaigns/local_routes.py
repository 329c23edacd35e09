"""A campaign's "local routes" page: the form its educators edit and the service that saves it. Callers commit."""
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from survey.audit import services as audit
from survey.auth.models import User
from survey.campaigns.models import Campaign
from survey.extensions import db
from survey.learning import markdown
from survey.learning.local_routes import LOCAL_ROUTES_TITLE, MAX_LENGTH
from survey.web.forms import Form


class LocalRoutesForm(Form):
    text = TextAreaField(
        f"{LOCAL_ROUTES_TITLE} (Markdown)",
        description="Services and referral details where this campaign's GPs work: names, who may refer, how, "
                    "and waiting times as of a date. GPs see it as a page of the referral module, after the national "
                    "routes. Leave empty for no local page. Raw HTML is removed.",
        validators=[Length(max=MAX_LENGTH, message=f"Keep the page under {MAX_LENGTH:,} characters.")],
    )

    def validate_text(self, field):
        problems = markdown.four_nations_problems(field.data or "")
        if problems:
            raise ValidationError("; ".join(problems))


def save_local_routes(campaign: Campaign, text: str, by: User) -> None:
    """Replace the campaign's local routes page (empty text removes it); its GPs see the new text,
    as a new content version of the module, from their next page view."""
    campaign.local_routes = (text or "").replace("\r\n", "\n").strip()
    audit.record(by, "campaign.local_routes", f"campaign:{campaign.id}", characters=len(campaign.local_routes))
    db.session.flush()
