"""How long a wave takes: an estimate from its words and questions, for the GP before they start. Pure.

Model (stated, not measured): every word the GP is shown is read at ``READING_WPM`` words per
minute (Brysbaert 2019, J Mem Lang 109:104047: 238 wpm, the mean silent reading rate of adults
for English non-fiction), plus a fixed time to choose each answer (``ANSWER_SECONDS``, our
assumption). A question shown only after a particular answer counts half. For a vignette with
versions, the longest version is counted. Under matrix sampling a case's page counts by the share
of GPs given it (2 of 4 cases: half), so the estimate is a GP's expected time. Once a wave has
measured times from enough GPs, the measured median replaces this estimate (survey.surveys.timing).
"""
import math

from survey.instruments.definition import FreeText, Likert, LikertGrid, MultipleChoice, Number, SingleChoice, Vignette

READING_WPM = 238
ANSWER_SECONDS = {Likert: 3.0, SingleChoice: 4.0, MultipleChoice: 6.0, Number: 6.0, FreeText: 0.0}
CONDITIONAL_WEIGHT = 0.5
#: Free text is optional: counted as read, not as written.


def words(text: str | None) -> int:
    return len((text or "").replace("**", "").split())


def _question_seconds(question, definition, read_anchors: bool) -> float:
    shown = words(question.text)
    if isinstance(question, SingleChoice | MultipleChoice):
        shown += sum(words(o.label) for o in question.options)
    if isinstance(question, Likert) and read_anchors:
        shown += sum(words(a) for a in definition.response_scales[question.response_scale].anchors)
    seconds = shown * 60 / READING_WPM + ANSWER_SECONDS[type(question)]
    return seconds * (CONDITIONAL_WEIGHT if question.show_if is not None else 1.0)


def section_seconds(section, definition, skip: set[str] = frozenset()) -> float:
    """Estimated seconds on one page; ``skip``: questions not shown (answered at enrolment)."""
    total = (words(section.title) + words(section.intro)) * 60 / READING_WPM
    for block in section.items:
        if getattr(block, "id", None) in skip:
            continue
        if isinstance(block, LikertGrid):
            total += words(block.text) * 60 / READING_WPM
            rows = block.questions()
            total += sum(_question_seconds(q, definition, read_anchors=i == 0) for i, q in enumerate(rows))
        elif isinstance(block, Vignette):
            cases = [v.case for v in block.versions] if block.versions else [block.case]
            total += (words(block.title) + max(words(c) for c in cases)) * 60 / READING_WPM
            total += sum(_question_seconds(q, definition, read_anchors=True) for q in block.questions)
        else:
            total += _question_seconds(block, definition, read_anchors=True)
    return total


def shown_share(section, definition) -> float:
    """The share of GPs shown a page: per_gp / n for a matrix-sampled case's page, else all of them."""
    sampled = {v.id for v in definition.sampled_vignettes()}
    if section.holds_any(sampled):
        return definition.vignette_sampling.per_gp / len(sampled)
    return 1.0


def wave_seconds(definition, wave: str, skip: set[str] = frozenset()) -> float:
    """Estimated seconds for a whole wave, for one GP."""
    return sum(section_seconds(section, definition, skip) * shown_share(section, definition)
               for section in definition.sections_for(wave))


def minutes_text(seconds: float) -> str:
    """Whole minutes, rounded up, in words: 'about 7 minutes'."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


def wave_counts(definition, wave: str) -> dict[str, int]:
    """Counts for the README and the codebook, per GP: questions asked, scored items, vignettes (under
    matrix sampling a GP's share of the cases)."""
    scored = {i for s in definition.scales for i in s.items}
    counts = {"questions": 0.0, "conditional": 0.0, "scored_items": 0.0, "vignettes": 0.0}
    for section in definition.sections_for(wave):
        share, questions = shown_share(section, definition), section.questions()
        counts["questions"] += share * len(questions)
        counts["conditional"] += share * sum(q.show_if is not None for q in questions)
        counts["scored_items"] += share * sum(q.id in scored for q in questions)
        counts["vignettes"] += share * sum(isinstance(b, Vignette) for b in section.items)
    return {key: round(value) for key, value in counts.items()}
