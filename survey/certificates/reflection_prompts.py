"""The structured reflection: prompts in the style of the Academy of Medical Royal Colleges' reflective
practice toolkit ("What? So what? Now what?") and RCGP CPD guidance, which credits an hour of learning
when it comes with a reflective note on what was learned and the changes made or planned. Pure.

The answers are kept as one text with the prompts as headings, so the certificate, learning record,
CSV and PDF show the reflection as the GP wrote it, in the same order.
"""
from dataclasses import dataclass

#: Characters each required answer needs at least (stated on the form before the GP writes).
ANSWER_MIN = 20
ANSWER_MAX = 2000


@dataclass(frozen=True)
class Prompt:
    key: str
    question: str
    hint: str
    required: bool = True


PROMPTS = (
    Prompt("learned", "What did I learn?", "The key points you will remember, in your own words."),
    Prompt("change", "How will it change my practice?", "What you will do differently in consultations, referrals or fit notes."),
    Prompt("next_steps", "What will I do next?", "A concrete step: a search, a conversation with colleagues, further reading."),
    Prompt("impact", "What impact will I look for?", "How you will know it made a difference for patients or the practice.",
           required=False),
)


def compose(answers: dict[str, str]) -> str:
    """One text: each answered prompt as a heading line followed by the GP's answer."""
    parts = [f"{p.question}\n{answers[p.key].strip()}" for p in PROMPTS if (answers.get(p.key) or "").strip()]
    return "\n\n".join(parts)


def split(text: str) -> dict[str, str]:
    """The answers back from a composed text; a reflection written before the prompts (free text)
    goes into the first answer, so nothing the GP wrote is lost."""
    by_heading = {p.question: p.key for p in PROMPTS}
    answers: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.strip() in by_heading:
            current = by_heading[line.strip()]
            answers[current] = []
        elif current is None:
            answers.setdefault(PROMPTS[0].key, []).append(line)
        else:
            answers[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in answers.items()}
