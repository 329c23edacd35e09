"""The editable wording of a campaign's emails: its kinds, the standard wording, placeholders, checks.

An educator edits only a subject line and one block of plain text. Everything the law and the GP need
(greeting, personal link, sender, why the GP gets it, the unsubscribe link) is the fixed frame around it
in ``templates/invitations/`` (``invitation.txt``, or ``enrolled.txt`` for every message to an enrolled GP),
and the subject always ends with the campaign's title.

The text is never a template: the only thing replaced in it is one of the few ``{placeholder}`` names
below, with plain values; every other brace is kept as typed, so ``{{ config }}`` reaches the GP literally.
Pure: no Flask, no database.
"""
import re
from dataclasses import dataclass

SUBJECT_MAX = 120
TEXT_MAX = 2000

#: Every placeholder, and what it becomes in the email (shown on the edit page).
PLACEHOLDERS = {
    "name": "the GP's name, e.g. Dr Sam Patel",
    "campaign": "the campaign's title",
    "with_cohort": "\" with \" and the cohort's name when the invitation is into a cohort, otherwise nothing",
    "next_step": "the GP's next step, e.g. Answer the baseline survey",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Wording:
    """What an educator may change in one email: the start of its subject and its text."""

    subject: str
    text: str


@dataclass(frozen=True)
class EmailKind:
    label: str  #: as the educator reads it
    template: str  #: the fixed frame, in templates/invitations/
    outbox_kind: str  #: the kind its outbox rows carry (a nudge is a reminder there)
    reason: str  #: why the GP gets it (fixed; may use {campaign})
    placeholders: tuple[str, ...]
    standard: Wording  #: the wording every campaign had before it could be edited


_BY_INVITATION = 'the organisers of "{campaign}" invited you to take part'
_ENROLLED = 'you joined "{campaign}"'
_REMINDER = Wording("A reminder", 'You started "{campaign}". Your next step: {next_step}.\n'
                                  "Carry on where you left off, on any device:")

#: The kinds in the order the edit page lists them; "second_baseline" only for a delayed-start campaign,
#: "retest" only for a campaign with a retest.
KINDS: dict[str, EmailKind] = {
    "invitation": EmailKind(
        "Invitation", "invitation.txt", "invitation", _BY_INVITATION, ("name", "campaign", "with_cohort"),
        Wording("Invitation", 'You are invited to take part in "{campaign}"{with_cohort}: short e-learning\n'
                              "modules on work and health for GPs, with a CPD certificate for your appraisal.")),
    "reminder": EmailKind("Reminder (sent automatically)", "enrolled.txt", "reminder", _ENROLLED,
                          ("name", "campaign", "next_step"), _REMINDER),
    "nudge": EmailKind('Reminder from "Remind those who stopped"', "enrolled.txt", "reminder", _ENROLLED,
                       ("name", "campaign", "next_step"), _REMINDER),
    "follow_up": EmailKind(
        "Follow-up invitation", "enrolled.txt", "follow_up", _ENROLLED, ("name", "campaign"),
        Wording("Your follow-up survey is open",
                'It is now some time since you finished "{campaign}". The short follow-up survey is open: it asks\n'
                "how your practice has changed since the course. It helps us learn what the training achieves.")),
    "second_baseline": EmailKind(
        "Second baseline (delayed start)", "enrolled.txt", "second_baseline", _ENROLLED, ("name", "campaign"),
        Wording("Your course opens now",
                'Your wait for "{campaign}" is over. First answer a short second survey (the same questions as\n'
                "before: comparing your two sets of answers is how the campaign learns what the course itself achieves);\n"
                "the modules open as soon as you submit it.")),
    "retest": EmailKind(
        "Retest invitation (GPs drawn for the retest)", "enrolled.txt", "retest",
        'you joined "{campaign}" and were picked at random for its optional retest', ("name", "campaign"),
        Wording("An optional retest survey",
                'You were picked at random for an optional retest in "{campaign}": the rating questions of the\n'
                "baseline survey once more, with no cases this time (the first page tells you how long it takes).\n"
                "Comparing your two sets of answers shows how steady the survey's answers are, which no one can tell\n"
                "from a single survey. It is open until you open a module: after teaching it would measure what you\n"
                "learnt instead. If you would rather not, simply start your course; nothing else depends on it.")),
}


def kinds_sent(delayed_start: bool, retest: bool) -> list[str]:
    """The kinds of email a campaign sends: the second baseline only in a delayed-start design, the retest
    invitation only when the campaign runs a retest."""
    return [kind for kind in KINDS if (kind != "second_baseline" or delayed_start) and (kind != "retest" or retest)]


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{placeholder}`` replaced by its plain value; anything else kept as typed."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def placeholder_problem(text: str, kind: str) -> str | None:
    """A typo such as ``{frist_name}`` would reach every GP as typed: name the placeholders this email knows."""
    allowed = KINDS[kind].placeholders
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name not in allowed})
    if not unknown:
        return None
    known = ", ".join("{" + name + "}" for name in allowed)
    return (f"{', '.join('{' + name + '}' for name in unknown)} is not a placeholder this email knows. "
            f"Use {known}, or write the text without braces.")
