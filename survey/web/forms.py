"""Small helpers for WTForms."""
from wtforms import SelectChoice


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3+ expects."""
    return [SelectChoice(str(value), label) for value, label in pairs]
