"""Random public codes, readable aloud and over the phone (no 0/O, 1/I/L)."""
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, log2(31) = 4.95 bits each


def random_code(length: int, group: int = 0) -> str:
    """``length`` random symbols, optionally split by hyphens every ``group`` symbols."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(length))
    if group:
        code = "-".join(code[i:i + group] for i in range(0, length, group))
    return code


def normalise_code(typed: str) -> str:
    """What a person typed, made comparable: upper-case, without spaces or hyphens."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def is_number_text(text: str) -> bool:
    """Only ASCII digits: ``str.isdigit`` also accepts "²" and other digits ``int`` may refuse."""
    return text.isascii() and text.isdigit()
