"""Charts of a charity release, for trustees: change for the better in each scale's own points. Pure.

The same chart as the educator's (:func:`survey.reports.charts.better_change_chart`), drawn from
the release's rounded figures; withheld rows are not drawn.
"""
from markupsafe import Markup

from survey.reports.charts import DEFAULT_ACCENT, better_change_chart


def release_charts(public: dict, accent: str = DEFAULT_ACCENT) -> dict[tuple[str, str], Markup | None]:
    """One change chart per comparison of a release, keyed by (from, to)."""
    names = {"pre": "before the course", "post": "after the course", "follow_up": "follow-up"}
    found = {}
    for first, second in (("pre", "post"), ("pre", "follow_up"), ("post", "follow_up")):
        rows = [r for r in public["changes"] if (r["from"], r["to"]) == (first, second)]
        found[first, second] = better_change_chart(rows, f"change-{first}-{second}",
                                                   f"Change from {names[first]} to {names[second]}", accent)
    return found
