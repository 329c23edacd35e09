"""One small world for the route-access table: an organisation, its campaign with a cohort, one user per role."""
import io

from PIL import Image

from survey.campaigns import admin_services, services as campaigns
from survey.extensions import db
from survey.invitations import services as invitations
from survey.invitations.csvrows import Invitee
from survey.invitations.messages import invitation_token, unsubscribe_token
from survey.organisations.services import save_organisation
from tests.factories import make_campaign, make_user

MODULE = "work-as-health-outcome"
ROLES = ("anonymous", "gp", "educator", "charity", "admin")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "#5a1e82").save(out, "PNG")
    return out.getvalue()


def build_world() -> tuple[dict[str, str], dict]:
    """Values for the table's {placeholders}, and the account of each signed-in role.

    The educator owns the campaign; the charity user belongs to the campaign's organisation; the GP is
    enrolled in its cohort. So a 403 or 404 below is the rule, not a missing link.
    """
    organisation = save_organisation(None, "Work Charity", "#5a1e82", _png())
    users = {role: make_user(role) for role in ROLES[1:]}
    users["charity"].organisation_id = organisation.id
    campaign = make_campaign(modules=[MODULE], educators=[users["educator"]])
    campaign.organisation_id = organisation.id
    cohort = admin_services.create_cohort(campaign, "North", [], users["educator"])
    campaigns.enrol(users["gp"], campaign, True, cohort)
    invitation = invitations.create_invitations(campaign, cohort, [Invitee(2, "Dr Invited", "invited@example.org")],
                                                users["educator"])[0]
    db.session.commit()
    values = {
        "campaign": campaign.slug, "code": campaign.enrolment_code, "cohort": str(cohort.id), "module": MODULE,
        "organisation": str(organisation.id), "user": str(users["gp"].id),
        "invite": invitation_token(invitation.id), "unsubscribe": unsubscribe_token("invited@example.org"),
    }
    return values, users
