"""Password policy: long enough, and not a common or breached password (zxcvbn's offline lists)."""
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
#: zxcvbn scores 0-4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3


def password_problem(password: str, *context: str) -> str | None:
    """Why ``password`` is refused, or None. ``context`` (name, email) counts as guessable.

    zxcvbn matches against lists of the most common passwords from public breaches, English
    words, names and keyboard patterns, all shipped with the library, so no network is needed.
    """
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
    words = [value.lower() for value in context if value]
    words += [part for value in words for part in value.replace("@", " ").replace(".", " ").split()]
    result = zxcvbn(password[:100], user_inputs=words)  # zxcvbn slows on very long input; 100 is plenty
    if result["score"] < MIN_SCORE:
        return ("This password is too easy to guess: it is common, appears in breached password lists or "
                "follows a pattern. Try three or four unrelated words.")
    return None
