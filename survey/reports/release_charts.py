"""Charts of a charity release, for trustees: change for the better in each scale's own points. Pure.

Each scale's change is drawn so that right of zero is always better (a fall in a scale where lower
is better is drawn to the right), with its 95% interval, in the scale's points. Withheld rows are
not drawn. Same accessible SVG as :mod:`survey.reports.charts` (title, desc stating the numbers).
"""
import math

from markupsafe import Markup

from survey.reports.charts import DEFAULT_ACCENT, GRID, INK, MUTED, _lines, _mark, _svg, _text


def better_change_chart(rows: list[dict], chart_id: str, title: str, accent: str = DEFAULT_ACCENT) -> Markup | None:
    """Change per scale towards the better end, with its 95% interval; None when nothing can be drawn."""
    rows = [r for r in rows if r.get("mean_diff") is not None and r.get("ci95_low") is not None]
    if not rows:
        return None

    def toward_better(row: dict) -> tuple[float, float, float]:
        sign = -1 if row["better"] == "lower" else 1
        ends = sorted((sign * row["ci95_low"], sign * row["ci95_high"]))
        return sign * row["mean_diff"], ends[0], ends[1]

    values = [toward_better(r) for r in rows]
    low = math.floor(min(-0.5, *(v[1] for v in values)) * 4) / 4
    high = math.ceil(max(0.5, *(v[2] for v in values)) * 4) / 4
    left, plot, row_height, top = 290, 330, 34, 28
    height = top + row_height * len(rows) + 44

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * plot

    body = [_text(x(low), 16, "← worse", size=12, fill=MUTED), _text(x(high), 16, "better →", "end", 12, MUTED),
            _text(x(high) + 12, 16, "points [95% interval]", size=12, fill=MUTED)]
    tick = low
    while tick <= high + 1e-9:
        colour = INK if abs(tick) < 1e-9 else GRID
        body.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 38}" stroke="{colour}"/>')
        body.append(_text(x(tick), height - 22, f"{tick:g}", "middle", 12, MUTED))
        tick += 0.25
    body.append(_text(x(0), height - 5, "Change in scale points, towards the better end", "middle", 12, MUTED))
    sentences = []
    for i, (row, (mid, lo, hi)) in enumerate(zip(rows, values)):
        y = top + row_height * i + row_height / 2
        body.append(_lines(left - 10, y, row["label"], 40))
        body.append(f'<line x1="{x(lo):.1f}" y1="{y:.1f}" x2="{x(hi):.1f}" y2="{y:.1f}" stroke="{INK}" '
                    f'stroke-width="2"/>')
        body.append(_mark("circle", x(mid), y, accent))
        body.append(_text(x(high) + 12, y + 4, f"{mid:+.2f} [{lo:+.2f}, {hi:+.2f}]", size=12))
        sentences.append(f"{row['label']} ({row['better']} is better): {mid:+.2f} points towards better, "
                         f"95% interval {lo:+.2f} to {hi:+.2f}")
    return _svg(chart_id, title, "; ".join(sentences) + ".", left + plot + 150, height, body)


def release_charts(public: dict, accent: str = DEFAULT_ACCENT) -> dict[tuple[str, str], Markup | None]:
    """One change chart per comparison of a release, keyed by (from, to)."""
    names = {"pre": "before the course", "post": "after the course", "follow_up": "follow-up"}
    found = {}
    for first, second in (("pre", "post"), ("pre", "follow_up"), ("post", "follow_up")):
        rows = [r for r in public["changes"] if (r["from"], r["to"]) == (first, second)]
        found[first, second] = better_change_chart(rows, f"change-{first}-{second}",
                                                   f"Change from {names[first]} to {names[second]}", accent)
    return found
