"""Objects for tests, created through the same services as the app."""
from survey.auth import services as accounts
from survey.campaigns import services as campaigns
from survey.extensions import db

PASSWORD = "a-good-password"
_counter = iter(range(1_000_000))


def make_user(role: str = "gp", name: str | None = None, email: str | None = None, gmc_number: str | None = None):
    n = next(_counter)
    user = accounts.create_user(
        name or f"Dr Test {n}", email or f"user{n}@example.org", PASSWORD, role,
        gmc_number or (f"{7000000 + n}" if role == "gp" else None),
    )
    db.session.commit()
    return user


def make_campaign(modules=("work-as-health-outcome",), slug: str | None = None, educators=(),
                  instrument: str = "gp-work-health-attitudes"):
    n = next(_counter)
    campaign = campaigns.create_campaign(
        slug=slug or f"campaign-{n}", title=f"Campaign {n}", instrument_slug=instrument,
        module_slugs=list(modules), consent_version="v1", consent_text="You agree to take part.",
    )
    campaign.educators.extend(educators)
    db.session.commit()
    return campaign
