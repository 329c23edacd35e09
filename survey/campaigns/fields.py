"""The fixed catalogue of enrolment fields a campaign may ask GPs (pure: no flask, no database).

Campaigns choose fields by key; answers are stored in ``Enrolment.profile`` under the same key.
"""
from dataclasses import dataclass

GP_ROLES = [("partner", "Partner"), ("salaried", "Salaried GP"), ("locum", "Locum"), ("trainee", "GP trainee")]
#: NHS England's regions. The nation is the core question on every enrolment (Enrolment.nation),
#: so this optional question only narrows England down; older answers may hold a nation's key.
NHS_REGIONS = [
    ("east-of-england", "East of England"), ("london", "London"), ("midlands", "Midlands"),
    ("north-east-and-yorkshire", "North East and Yorkshire"), ("north-west", "North West"),
    ("south-east", "South East"), ("south-west", "South West"),
]
_FORMER_REGION_LABELS = {"scotland": "Scotland", "wales": "Wales", "northern-ireland": "Northern Ireland"}


@dataclass(frozen=True)
class EnrolmentField:
    key: str
    label: str
    kind: str  #: "number" or "choice"
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int = 0
    maximum: int = 0
    hint: str = ""
    required: bool = True


CATALOGUE: dict[str, EnrolmentField] = {
    field.key: field for field in (
        EnrolmentField("years_qualified", "Years since qualifying as a GP", "number", minimum=0, maximum=60,
                       hint="Whole years since you completed GP training; 0 if you are still training."),
        EnrolmentField("gp_role", "Your role", "choice", tuple(GP_ROLES)),
        EnrolmentField("nhs_region", "NHS England region (optional)", "choice", tuple(NHS_REGIONS),
                       hint="If you practise in England: the NHS England region of your practice.", required=False),
    )
}


def display_value(key: str, value) -> str:
    """A stored profile value as a person reads it (choice labels rather than codes)."""
    field = CATALOGUE.get(key)
    if field is None or field.kind != "choice":
        return "" if value is None else str(value)
    if value in (None, ""):
        return ""
    return dict(field.choices).get(value) or _FORMER_REGION_LABELS.get(value, str(value))
