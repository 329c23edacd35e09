"""Rules for text people send us (pure): a single-line value holds no line break or control character.

A line break in a campaign title breaks the Subject header of every email about that campaign (the
standard library refuses to send it); other control characters are invisible, so no person means them.
"""
import re

#: C0 controls (tab, CR and LF included), DEL, C1 controls, and Unicode's line and paragraph separators.
SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: In multi-line text a tab and line breaks are ordinary; the other controls are not.
MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _described(character: str) -> str:
    if character in "\r\n\u2028\u2029\x85":
        return "a line break"
    if character == "\t":
        return "a tab"
    return f"an invisible control character (U+{ord(character):04X})"


def single_line_problem(value: str | None) -> str | None:
    """Why ``value`` may not be one line of text, or None when it may."""
    found = SINGLE_LINE_FORBIDDEN.search(value or "")
    if found is None:
        return None
    return f"This must be a single line of text, but it contains {_described(found.group())}. Remove it and try again."


def multi_line_problem(value: str | None) -> str | None:
    """Why ``value`` may not be stored as text, or None: line breaks and tabs are fine, other controls are not."""
    found = MULTI_LINE_FORBIDDEN.search(value or "")
    return None if found is None else f"This text contains {_described(found.group())}. Remove it and try again."


def one_line(value: str) -> str:
    """``value`` with every line break or control character turned into a space (for an email Subject)."""
    return " ".join(SINGLE_LINE_FORBIDDEN.sub(" ", value).split())
