"""Small-cell suppression of a report for charities. Pure.

Rules (applied to a copy of the educators' report):
* **Primary**: a group of fewer than ``k`` participants (``k`` = the campaign's min cell size,
  never below MIN_CELL_SIZE) shows its count as ``"<k"`` and no statistics. Zero counts too:
  "nobody in this group" is also a disclosure about a small group.
* **Secondary**: where the cells of a table add up to a total that is shown elsewhere (the
  groups of a breakdown, the options of a question, the points of a Likert item), one hidden
  cell could be worked out by subtraction. So more cells are hidden, smallest first, until at
  least two are hidden and the hidden cells hold at least ``k`` participants together (or all
  are hidden). Such cells read ``"suppressed"``: they are not small, only hidden.
* In a breakdown a group whose size is hidden is hidden entirely (every count and statistic).
* Likert items are shown to charities as three groups (below, at and above the midpoint).
"""
import copy

SMALL, SECONDARY = "small", "secondary"
HIDDEN = "suppressed"
#: Statistics nulled with a hidden paired comparison (everything except identification).
COMPARISON_STATS = ("pre_mean", "pre_sd", "post_mean", "post_sd", "mean_diff", "ci95_low", "ci95_high", "t",
                    "df", "p_t", "wilcoxon_w", "p_wilcoxon", "cohens_dz", "dz_ci95_low", "dz_ci95_high",
                    "hedges_gz", "rank_biserial", "p_holm", "d_av")


def partition(counts: list[int], k: int, forced=()) -> list[str | None]:
    """Which cells of a table with a published total to hide: None (shown), SMALL or SECONDARY.

    ``forced`` are positions already hidden for another reason (they count as SECONDARY
    unless small themselves).
    """
    status: list[str | None] = [SMALL if n < k else (SECONDARY if i in forced else None) for i, n in enumerate(counts)]

    def hidden():
        return [i for i, s in enumerate(status) if s]

    while hidden() and (len(hidden()) < 2 or sum(counts[i] for i in hidden()) < k):
        shown = [i for i, s in enumerate(status) if not s]
        if not shown:
            break
        status[min(shown, key=lambda i: counts[i])] = SECONDARY
    return status


def shown(n: int, state: str | None, k: int):
    """A count as a charity sees it."""
    return f"<{k}" if state == SMALL else HIDDEN if state == SECONDARY else n


def _count(n: int, k: int):
    return shown(n, SMALL if n < k else None, k)


def _funnel_counts(funnel: dict) -> list[tuple[str, int]]:
    """The funnel's stages as (name, count) in order; modules named ``module:<slug>``."""
    stages = [("enrolled", funnel["enrolled"]), ("pre", funnel["pre"])]
    stages += [(f"module:{m['module']}", m["n"]) for m in funnel["modules"]]
    return stages + [(stage, funnel[stage]) for stage in ("post", "reflection", "certificate", "follow_up")]


def _set_funnel(funnel: dict, values: dict) -> None:
    for stage, value in values.items():
        if stage.startswith("module:"):
            next(m for m in funnel["modules"] if f"module:{m['module']}" == stage)["n"] = value
        else:
            funnel[stage] = value


def _comparisons(report: dict, k: int) -> None:
    for comparison in report["comparisons"]:
        for row in comparison["scales"]:
            row["suppressed"] = SMALL if row["n_pairs"] < k else None
            if row["suppressed"]:
                row.update(dict.fromkeys(COMPARISON_STATS), n_pairs=f"<{k}")


def _alpha(report: dict, k: int) -> None:
    for row in report["alpha"]:
        row["suppressed"] = SMALL if row["n"] < k else None
        if row["suppressed"]:
            row.update(alpha=None, ci95_low=None, ci95_high=None, n=f"<{k}")


def collapse(counts: list[int], anchors: list[str]) -> tuple[list[int], list[str]]:
    """Likert answers grouped below, at and above the midpoint (e.g. disagree, neither, agree).

    Charities see only these three groups: fewer, larger cells mean less suppression, and
    showing both the groups and the points would let a hidden point be subtracted out.
    """
    mid = len(counts) // 2
    return ([sum(counts[:mid]), counts[mid], sum(counts[mid + 1:])],
            [f"{anchors[0]} to {anchors[mid - 1]}", anchors[mid], f"{anchors[mid + 1]} to {anchors[-1]}"])


def _items(report: dict, k: int) -> None:
    for row in report["items"]:
        if len(row["counts"]) % 2:
            row["counts"], row["anchors"] = collapse(row["counts"], row["anchors"])
        states = partition(row["counts"], k) if row["n"] >= k else [SMALL] * len(row["counts"])
        row["suppressed"] = SMALL if row["n"] < k else (SECONDARY if any(states) else None)
        row["counts"] = [shown(n, s, k) for n, s in zip(row["counts"], states)]
        row["n"] = _count(row["n"], k)


def _vignettes(report: dict, k: int) -> None:
    for vignette in report["vignettes"]:
        for wave in vignette["waves"]:
            options = list(wave["counts"])
            states = partition([wave["counts"][o] for o in options], k) if wave["n"] >= k else [SMALL] * len(options)
            hidden_decision = states[options.index(vignette["decision"])]
            wave["counts"] = {o: shown(wave["counts"][o], s, k) for o, s in zip(options, states)}
            wave["decision_n"] = wave["counts"][vignette["decision"]]
            wave["percent"] = None if hidden_decision else wave["percent"]
            wave["n"] = _count(wave["n"], k)
        for test in vignette["mcnemar"]:
            if test["n_pairs"] < k:
                test.update(n_pairs=f"<{k}", b=None, c=None, p=None)
            else:
                b, c = partition([test["b"], test["c"]], k)
                test.update(b=shown(test["b"], b, k), c=shown(test["c"], c, k))


def _attrition(report: dict, k: int) -> None:
    for row in report["attrition"]:
        a, b = partition([row["n_a"], row["n_b"]], k)
        row["suppressed"] = SMALL if SMALL in (a, b) else None
        if row["suppressed"]:
            row.update(n_a=shown(row["n_a"], a, k), n_b=shown(row["n_b"], b, k), mean_a=None, sd_a=None,
                       mean_b=None, sd_b=None, t=None, df=None, p=None)


def _breakdowns(report: dict, k: int) -> None:
    for breakdown in report["breakdowns"]:
        rows = breakdown["rows"]
        stages = [dict(_funnel_counts(row["funnel"])) for row in rows]
        size = partition([s["enrolled"] for s in stages], k)
        whole_rows = {i for i, state in enumerate(size) if state}
        for row, state in zip(rows, size):
            row["suppressed"] = state
        for stage in stages[0] if stages else []:
            states = partition([s[stage] for s in stages], k, forced=whole_rows)
            for row, counts, state in zip(rows, stages, states):
                _set_funnel(row["funnel"], {stage: shown(counts[stage], state, k)})
        for column in range(len(rows[0]["scales"]) if rows else 0):
            cells = [row["scales"][column] for row in rows]
            for cell, state in zip(cells, partition([c["n_pairs"] for c in cells], k, forced=whole_rows)):
                cell["suppressed"] = state
                if state:
                    cell.update(n_pairs=shown(cell["n_pairs"], state, k), pre_mean=None, post_mean=None,
                                mean_diff=None, cohens_dz=None)


def suppress(report: dict, k: int) -> dict:
    """The charity's view of a report: every group under ``k`` hidden, with secondary suppression."""
    out = copy.deepcopy(report)
    out.update(min_cell_size=k, suppressed=True)
    _set_funnel(out["funnel"], {stage: _count(n, k) for stage, n in _funnel_counts(report["funnel"])})
    versions = out["instrument"]["versions"]
    for version, state in zip(versions, partition([v["responses"] for v in versions], k)):
        version["responses"] = shown(version["responses"], state, k)
    _comparisons(out, k)
    _alpha(out, k)
    _items(out, k)
    _vignettes(out, k)
    _attrition(out, k)
    _breakdowns(out, k)
    return out
