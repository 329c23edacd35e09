"""Breakdowns of the report by cohort and by each enrolment field: funnel and pre->post change per group. Pure."""
import re

import numpy as np
import pandas as pd

from survey.reports.dataset import Dataset, Variant
from survey.reports.descriptives import funnel

NO_COHORT = "No cohort"
NOT_GIVEN = "Not given"
#: Numbers given at enrolment (such as years since qualification) are reported in these bands.
BANDS = ((0, 5, "0 to 4"), (5, 10, "5 to 9"), (10, 20, "10 to 19"), (20, 30, "20 to 29"), (30, np.inf, "30 or more"))
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _band(value: float) -> str:
    return next(label for low, high, label in BANDS if low <= value < high)


def categories(values: pd.Series) -> pd.Series:
    """Enrolment answers as group labels: text as given, numbers in :data:`BANDS`, missing as "Not given"."""
    given = values.dropna().map(str).map(str.strip)
    given = given[given != ""]
    if len(given) and given.map(lambda v: bool(NUMBER.match(v))).all():
        given = given.map(lambda v: _band(float(v)))
    return given.reindex(values.index).fillna(NOT_GIVEN)


def groupings(ds: Dataset) -> list[tuple[str, str, pd.Series]]:
    """(key, label, group of each participant): cohorts (campaign reports only), then each enrolment field."""
    found = []
    people = ds.participants
    if ds.cohort is None and people["cohort"].notna().any():
        found.append(("cohort", "Cohort", people["cohort"].fillna(NO_COHORT)))
    for name in ds.campaign.enrolment_fields:
        found.append((f"profile:{name}", name.replace("_", " ").capitalize(), categories(people[f"profile:{name}"])))
    return found


def grouped_change(first: pd.DataFrame, second: pd.DataFrame, groups: pd.Series) -> dict[tuple, dict]:
    """Matched-pairs means, mean change and Cohen's dz per (group, column), as :func:`stats.paired_change` defines them.

    ``first`` and ``second`` hold one column per scale, indexed by participant. Vectorised
    (one grouped pass for every scale and group, not one test each): n_pairs, pre_mean,
    post_mean, mean_diff (second minus first) and cohens_dz = mean_diff / SD(d) with ddof 1;
    dz is None for fewer than two pairs or when every difference is the same.
    """
    if first.columns.empty:  # no scale has scores yet (a new campaign)
        return {}
    index = first.index.union(second.index)
    first, second = first.reindex(index), second.reindex(index)
    d = second - first
    paired = {"first": first.where(d.notna()), "second": second.where(d.notna()), "d": d}
    grouped = pd.concat(paired, axis=1).groupby(groups.reindex(index))
    # One grouped reduction per statistic over every column: agg([...]) would loop column by column.
    table = {name: getattr(grouped, name)() for name in ("count", "mean", "std", "min", "max")}
    found = {}
    for group in table["count"].index:
        for column in first.columns:
            n = int(table["count"].at[group, ("d", column)])
            if n == 0:
                continue
            varied = n >= 2 and table["max"].at[group, ("d", column)] > table["min"].at[group, ("d", column)]
            mean = table["mean"].loc[group]
            mean_diff = float(mean[("d", column)])
            found[group, column] = {
                "n_pairs": n, "pre_mean": float(mean[("first", column)]),
                "post_mean": float(mean[("second", column)]), "mean_diff": mean_diff,
                "cohens_dz": mean_diff / float(table["std"].at[group, ("d", column)]) if varied else None,
            }
    return found


def _order(labels: pd.Series) -> list[str]:
    last, present = {NO_COHORT, NOT_GIVEN}, set(labels.unique())  # unique() first: iterating every label is slow
    return sorted(present - last) + sorted(present & last)


def breakdowns(ds: Dataset, scales: list[Variant]) -> list[dict]:
    """Per grouping, one row per group (all participants fall in exactly one): its funnel and pre->post change."""
    empty = {"n_pairs": 0, "pre_mean": None, "post_mean": None, "mean_diff": None, "cohens_dz": None}
    found = []
    pre = pd.DataFrame({i: ds.wave_scores(v, "pre") for i, v in enumerate(scales)})
    post = pd.DataFrame({i: ds.wave_scores(v, "post") for i, v in enumerate(scales)})
    for key, label, groups in groupings(ds):
        change = grouped_change(pre, post, groups)
        rows = [{"group": group, "funnel": funnel(ds, groups.index[groups == group]),
                 "scales": [{"scale": v.key, "instrument_versions": list(v.version_numbers),
                             **change.get((group, i), empty)} for i, v in enumerate(scales)]}
                for group in _order(groups)]
        found.append({"by": key, "label": label, "from": "pre", "to": "post", "rows": rows})
    return found
