"""Profile questions asked once: survey items that enrolment already asked are taken from it. Pure.

An instrument item names the enrolment field asking the same thing (``enrolment_field``). When
the GP answered that field at enrolment, the answer is stored for the item and the survey does
not show it. ``nation`` comes from ``Enrolment.nation`` when the campaign asks it, else from the
``nhs_region`` field (Scotland, Wales and Northern Ireland are their own regions; the seven NHS
England regions mean England).
"""
from collections.abc import Mapping

from survey.surveys.answers import clean_question

DEVOLVED = {"scotland": "scotland", "wales": "wales", "northern-ireland": "northern_ireland",
            "northern_ireland": "northern_ireland", "england": "england"}


def nation_of(profile: Mapping, nation: str | None) -> str | None:
    """The UK nation the GP works in, as a survey option value, if enrolment says."""
    if nation:
        return DEVOLVED.get(nation)
    region = profile.get("nhs_region")
    if not region:
        return None
    return DEVOLVED.get(region, "england")


def enrolment_answers(definition, profile: Mapping, nation: str | None = None) -> dict[str, str]:
    """Answers to the survey's profile items that enrolment already gave, by item id.

    A value the item would not accept (an option it lacks, a number out of its range) is not
    used, and the survey asks the question as usual.
    """
    found = {}
    for question in definition.profile_questions():
        field = question.enrolment_field
        value = nation_of(profile, nation) if field == "nation" else profile.get(field)
        if value is None or value == "":
            continue
        stored, error = clean_question(question, [str(value).replace("-", "_")], None)
        if stored is not None and error is None:
            found[question.id] = stored
    return found
