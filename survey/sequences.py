"""Taking the next place of a seeded sequence (vignette versions, case sets, arms, the retest draw).

Each assignment is a row at a position; the n-th GP assigned takes place n, whose value the seeded
sequence fixes, so the sequence stays balanced and can be re-derived from the seed. Services flush;
callers commit.
"""
from sqlalchemy.exc import IntegrityError

from survey.extensions import db

ATTEMPTS = 5


def take_next_place(places_taken, row_at, what: str, assigned_meanwhile=None):
    """Add ``row_at(position)`` at the next place of a seeded sequence (``places_taken()`` rows hold the earlier
    ones) and return it.

    A concurrent request that took the same place first (the row's unique constraint) makes this one try the
    next place, so no place is used twice or skipped. If another request assigned the same GP meanwhile
    (``assigned_meanwhile()`` is true after a refusal), nothing is added and None is returned: read theirs."""
    for _ in range(ATTEMPTS):
        row = row_at(places_taken())
        try:
            with db.session.begin_nested():
                db.session.add(row)
            return row
        except IntegrityError:
            if assigned_meanwhile is not None and assigned_meanwhile():
                return None
    raise RuntimeError(f"could not {what}: the places kept being taken")
