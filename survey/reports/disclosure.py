"""Output disclosure control for charity releases: threshold, differencing and rounding rules. Pure.

A charity sees only **releases** (see :mod:`survey.reports.release`): snapshots of a small set of
statistics, each a :class:`Cell` that carries, server-side only, the participants it is computed
from and the **measures** it uses (a scale at one survey, a vignette decision at one survey, or
participation for counts). The rules, applied cell by cell in priority order:

* **Threshold**: a cell computed from fewer than ``k`` participants is withheld (``"small"``).
* **Differencing**: within one measure, the sets of participants of every published cell, in this
  release and in every earlier one, split the participants into *atoms* (people inside exactly the
  same published sets). Published sums and counts are linear in the atoms' totals, so an attacker
  can compute exactly the combinations in the span of the published sets. A cell is published only
  if no combination then involves nothing but atoms of fewer than ``k`` people (the "audit" check of
  :meth:`_Measure.allows`). This catches the pairwise case (|A\\B| or |B\\A| between 1 and k-1 while
  the rest of A and B is shared), nested and overlapping groups, and chains of three or more sets;
  it does not freeze a figure for ever after one withdrawal, because "the leaver minus k newcomers"
  isolates no small group. A cell that fails is not published: its earlier released value is carried
  forward with that release's date (``"carried"``) or, if it never had one, it is withheld
  (``"secondary"``).
* **Rounding**: whatever passes is rounded before it is stored (:func:`count`, :func:`score`,
  :func:`percent`, :func:`p_band`), so no full-precision float reaches a charity.
"""
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

SMALL, SECONDARY, CARRIED = "small", "secondary", "carried"
COUNT_BASE = 5


def count(n: int) -> int:
    """A count rounded to the nearest multiple of 5 (halves up): 12 -> 10, 13 -> 15."""
    return int(COUNT_BASE * math.floor(n / COUNT_BASE + 0.5))


def score(x: float | None, digits: int = 2) -> float | None:
    """A mean, SD, difference, interval end or effect size rounded to ``digits`` decimals (never -0.0)."""
    return None if x is None else (round(float(x), digits) + 0.0)


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage."""
    return None if not whole else int(math.floor(100 * part / whole + 0.5))


def p_band(p: float | None) -> str | None:
    """A p-value as a band: "<0.001", "<0.01", "<0.05", else 2 decimals ("0.23")."""
    if p is None:
        return None
    for limit in (0.001, 0.01, 0.05):
        if p < limit:
            return f"<{limit:g}"
    return f"{p:.2f}"


@dataclass
class Cell:
    """One statistic of a release: ``value`` (already rounded) computed from ``members``."""
    key: str  #: the statistic's identity across releases, e.g. ``change:pre:post:barriers``
    measures: tuple[str, ...]  #: measures the value uses, e.g. ``scale:barriers:pre``, ``participation``
    members: frozenset[int]  #: enrolment ids the value is computed from (never shown)
    value: dict
    eligible: bool = True  #: False when a rule inside the cell fails (e.g. a 2x2 table cell under k)
    section: str = ""  #: where the cell goes in the public release
    info: dict = field(default_factory=dict)  #: what identifies it publicly (scale, waves); not a statistic


@dataclass
class Published:
    """A released cell as stored in a release's private part."""
    key: str
    measures: tuple[str, ...]
    members: frozenset[int]
    value: dict
    as_of: str  #: the date of the release that first published this value


@dataclass
class Outcome:
    """What a cell became in a release: its public value and status, and (if anything was published) its record."""
    key: str
    value: dict | None
    status: str | None  #: None (published now), SMALL, SECONDARY or CARRIED
    as_of: str | None
    record: Published | None = None


@dataclass
class _Measure:
    """The published sets of one measure, as a bit set of set numbers per participant."""
    signature: dict[int, int] = field(default_factory=dict)  #: participant -> bit set of published sets
    sets: list[frozenset[int]] = field(default_factory=list)

    def allows(self, members: frozenset[int], k: int) -> bool:
        """Whether publishing one more statistic on ``members`` keeps every small group unidentifiable.

        Atoms are the groups of people inside exactly the same published sets. Published sums and
        counts are the rows of the sets-by-atoms matrix M; an attacker can compute any combination in
        its row space. A combination that involves only atoms of fewer than k people (and not zero)
        exists exactly when dropping those atoms' columns lowers the rank of M.
        """
        if members in self.sets:
            return True  # the same people again: nothing new can be combined
        bit = 1 << len(self.sets)
        signature = dict(self.signature)
        for person in members:
            signature[person] = signature.get(person, 0) | bit
        atoms = Counter(signature.values())
        small = [a for a, n in atoms.items() if n < k]
        if not small:
            return True
        columns = list(atoms)
        matrix = np.array([[(a >> i) & 1 for a in columns] for i in range(len(self.sets) + 1)], dtype=float)
        large = [j for j, a in enumerate(columns) if atoms[a] >= k]
        return np.linalg.matrix_rank(matrix) == (np.linalg.matrix_rank(matrix[:, large]) if large else 0)

    def add(self, members: frozenset[int]) -> None:
        if members in self.sets:
            return
        bit = 1 << len(self.sets)
        self.sets.append(members)
        for person in members:
            self.signature[person] = self.signature.get(person, 0) | bit


def protect(cells: list[Cell], k: int, earlier: list[list[Published]], today: str) -> list[Outcome]:
    """Apply the threshold and differencing rules to ``cells`` (in priority order) given every earlier release.

    ``earlier`` holds each earlier release's published cells, oldest first. A cell's previous
    value is the latest earlier one with its key. Returns one :class:`Outcome` per cell.
    """
    measures: dict[str, _Measure] = {}
    previous: dict[str, Published] = {}
    for release in earlier:
        for cell in release:
            for measure in cell.measures:
                measures.setdefault(measure, _Measure()).add(cell.members)
            previous[cell.key] = cell
    outcomes = []
    for cell in cells:
        if len(cell.members) < k or not cell.eligible:
            status = SMALL
        elif all(measures.setdefault(m, _Measure()).allows(cell.members, k) for m in cell.measures):
            for measure in cell.measures:
                measures[measure].add(cell.members)
            record = Published(cell.key, cell.measures, cell.members, cell.value, today)
            outcomes.append(Outcome(cell.key, cell.value, None, today, record))
            continue
        else:
            status = SECONDARY
        old = previous.get(cell.key)
        if old is not None:  # its sets are already among the published ones: repeating it adds nothing
            outcomes.append(Outcome(cell.key, old.value, CARRIED, old.as_of, old))
        else:
            outcomes.append(Outcome(cell.key, None, status, None))
    return outcomes


def to_private(records: list[Published]) -> list[dict]:
    """Published cells as JSON-ready data for the release's private part (members sorted)."""
    return [{"key": r.key, "measures": list(r.measures), "members": sorted(r.members), "value": r.value,
             "as_of": r.as_of} for r in records]


def from_private(data: list[dict]) -> list[Published]:
    return [Published(d["key"], tuple(d["measures"]), frozenset(d["members"]), d["value"], d["as_of"]) for d in data]
