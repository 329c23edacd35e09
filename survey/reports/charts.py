"""Report charts drawn server-side as accessible SVG, so the page and the PDF show the same picture. Pure.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and a ``<desc>`` that states
the numbers in words; pages also show each chart's data as a table. Colours are set with
presentation attributes (no ``style``), so the strict Content-Security-Policy allows them.
Suppressed values (strings such as "<10") are never drawn.
"""
import math
import re
import textwrap

from markupsafe import Markup, escape

from survey.reports.dataset import WAVE_NAMES

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK, MUTED, GRID = "#1b1f24", "#555d66", "#d6d9dc"
#: Colour-blind-safe diverging palettes (ColorBrewer BrBG) with a grey neutral point.
LIKERT_COLOURS = {3: ["#a6611a", "#cfcfcf", "#018571"],
                  5: ["#a6611a", "#dfc27d", "#cfcfcf", "#80cdc1", "#018571"],
                  7: ["#8c510a", "#d8b365", "#f6e8c3", "#cfcfcf", "#c7eae5", "#5ab4ac", "#01665e"]}
DEFAULT_ACCENT = "#0b6b66"
WAVE_MARKS = {"pre": (MUTED, "circle"), "pre2": ("#5e3c99", "diamond"), "post": (DEFAULT_ACCENT, "square"),
              "follow_up": ("#b35806", "triangle")}


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="13" fill="{INK}"><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 13, fill: str = INK,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
            f'font-weight="{weight}">{escape(text)}</text>')


def _lines(x: float, y: float, text: str, chars: int, anchor: str = "end", size: int = 13) -> str:
    """Text wrapped to at most two lines of ``chars`` characters, centred vertically on ``y``."""
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), chars, placeholder="…")]
    top = y - (len(lines) - 1) * (size + 2) / 2 + size / 3
    return "".join(_text(x, top + i * (size + 2), line, anchor, size) for i, line in enumerate(lines))


def _wrap(text: str, chars: int) -> list[str]:
    """``text`` in lines of at most ``chars``, broken between words and never shortened (an item's wording
    is what GPs answered, so all of it is shown)."""
    return textwrap.wrap(text, chars) or [""]


def _mark(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" fill="{colour}"/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} Z" fill="{colour}"/>'
    return f'<path d="M{x:.1f},{y - 7:.1f} L{x + 6.5:.1f},{y + 5:.1f} L{x - 6.5:.1f},{y + 5:.1f} Z" fill="{colour}"/>'


def better_change_chart(rows: list[dict], chart_id: str, title: str, accent: str = DEFAULT_ACCENT) -> Markup | None:
    """Change per scale towards the better end, with its 95% interval; None when nothing can be drawn.

    Each row needs ``label``, ``better`` ("higher"/"lower"), ``mean_diff``, ``ci95_low`` and ``ci95_high``
    in the scale's points. A fall in a scale where lower is better is drawn right of zero, so right is
    always better and the reader need not know each scale's direction to read the chart.
    """
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


def _bar_segments(counts: list[int], centre: float, half: float, y: float, height: float) -> tuple[list[str], str]:
    """One diverging stacked bar centred on the neutral point; returns SVG parts and a sentence."""
    n = sum(counts)
    share = [100 * c / n for c in counts]
    points = len(counts)
    colours = LIKERT_COLOURS.get(points) or LIKERT_COLOURS[5]
    mid = points // 2
    start = centre - (sum(share[:mid]) + (share[mid] / 2 if points % 2 else 0)) * half / 100
    parts = []
    for point, value in enumerate(share):
        width = value * half / 100
        parts.append(f'<rect x="{start:.2f}" y="{y:.1f}" width="{width:.2f}" height="{height}" '
                     f'fill="{colours[point]}"><title>{point + 1}: {value:.0f}%</title></rect>')
        start += width
    return parts, ", ".join(f"{point + 1}: {value:.0f}%" for point, value in enumerate(share))


def likert_bars(items: list[dict], chart_id: str, title: str, waves=("pre", "post")) -> Markup | None:
    """Diverging stacked bars of each item's answers at ``waves``; items with a suppressed count are left out."""
    by_item: dict[str, dict] = {}
    for row in items:
        if row["wave"] in waves and all(isinstance(c, int) for c in row["counts"]) and sum(row["counts"]):
            key = (row["item"], tuple(row["instrument_versions"]))
            by_item.setdefault(key, {"row": row, "waves": {}})["waves"][row["wave"]] = row["counts"]
    if not by_item:
        return None
    anchors = next(iter(by_item.values()))["row"]["anchors"]
    left, half, bar, block = 90, 300, 16, 30 + 22 * len(waves)
    centre = left + half
    # Item wording wrapped in lines of 100 (never cut, or clipped by the chart's edge).
    wording = {key: _wrap(entry["row"]["text"] + (" (R)" if entry["row"]["reverse"] else ""), 100)
               for key, entry in by_item.items()}
    bottom = 10 + sum(block + 15 * (len(lines) - 1) for lines in wording.values())
    height = bottom + 40 + 18 * math.ceil(len(anchors) / 3)
    body, sentences = [], []
    y = 10
    for key, entry in by_item.items():
        row, lines = entry["row"], wording[key]
        marker = " (R)" if row["reverse"] else ""
        for n, line in enumerate(lines):
            body.append(_text(8, y + 14 + 15 * n, line, size=12, weight="bold"))
        y += 15 * (len(lines) - 1)
        for j, wave in enumerate(w for w in waves if w in entry["waves"]):
            top = y + 22 + 22 * j
            body.append(_text(left - 8, top + 12, WAVE_NAMES[wave].replace(" the course", ""), "end", 12))
            parts, sentence = _bar_segments(entry["waves"][wave], centre, half, top, bar)
            body += parts
            sentences.append(f'{row["text"]}{marker} ({WAVE_NAMES[wave].lower()}): {sentence}')
        y += block
    body.append(f'<line x1="{centre}" y1="6" x2="{centre}" y2="{bottom}" stroke="{INK}"/>')
    legend_top = bottom + 14
    colours = LIKERT_COLOURS.get(len(anchors)) or LIKERT_COLOURS[5]
    for k, anchor in enumerate(anchors):
        lx, ly = 8 + (k % 3) * 250, legend_top + 18 * (k // 3)
        body.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colours[k]}"/>')
        body.append(_text(lx + 18, ly + 11, f"{k + 1} {anchor}", size=12))
    desc = ("Share of GPs choosing each answer; disagreement left of the centre line, agreement right. "
            "(R) marks reverse-keyed items, where disagreeing is the favourable answer. " + "; ".join(sentences))
    return _svg(chart_id, title, desc, 2 * half + left + 20, height, body)


def _stages(funnel: dict) -> list[tuple[str, object]]:
    stages = [("Enrolled", funnel["enrolled"]), ("Survey before the course", funnel["pre"])]
    stages += [(f"Module: {m['title']}", m["n"]) for m in funnel["modules"]]
    return stages + [("Survey after the course", funnel["post"]), ("Reflection", funnel["reflection"]),
                     ("Certificate", funnel["certificate"]), ("Follow-up survey", funnel["follow_up"])]


def funnel_chart(funnel: dict, chart_id: str, title: str) -> Markup:
    """Horizontal bars: how many GPs reached each step of the journey (suppressed steps show their label only)."""
    stages = _stages(funnel)
    largest = max([n for _, n in stages if isinstance(n, int)] + [1])
    left, width, row_height = 270, 360, 30
    body = []
    for i, (label, n) in enumerate(stages):
        y = 8 + i * row_height
        body.append(_lines(left - 10, y + 11, label, 38, size=12))
        if isinstance(n, int):
            length = width * n / largest
            body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="22" fill="{DEFAULT_ACCENT}"/>')
            body.append(_text(left + length + 6, y + 16, f"{n:,}", size=12))
        else:
            body.append(_text(left + 6, y + 16, str(n), size=12, fill=MUTED))
    desc = "GPs reaching each step: " + "; ".join(f"{label}: {n}" for label, n in stages) + "."
    return _svg(chart_id, title, desc, left + width + 80, 12 + row_height * len(stages), body)


def vignette_chart(vignettes: list[dict], chart_id: str, title: str) -> Markup | None:
    """Dot plot: the percentage of GPs making each vignette decision at each wave, joined in wave order."""
    rows = [v for v in vignettes if any(w["percent"] is not None for w in v["waves"])]
    if not rows:
        return None
    left, width, row_height, top = 270, 380, 34, 34
    height = top + row_height * len(rows) + 36

    def x(percent: float) -> float:
        return left + percent / 100 * width

    body = []
    answered = {w["wave"] for row in rows for w in row["waves"]}
    legend = [(wave, mark) for wave, mark in WAVE_MARKS.items() if wave != "pre2" or wave in answered]
    for k, (wave, (colour, shape)) in enumerate(legend):
        body.append(_mark(shape, left + 8 + k * 140, 14, colour))
        body.append(_text(left + 20 + k * 140, 18, WAVE_NAMES[wave], size=12))
    for tick in range(0, 101, 25):
        body.append(f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 30}" stroke="{GRID}"/>')
        body.append(_text(x(tick), height - 14, f"{tick}%", "middle", 12, MUTED))
    sentences = []
    for i, row in enumerate(rows):
        y = top + row_height * i + row_height / 2
        body.append(_lines(left - 10, y, f'{row["vignette"]}: {row["decision_label"]}', 40, size=12))
        points = [(w["wave"], w["percent"]) for w in row["waves"] if w["percent"] is not None]
        body.append('<polyline fill="none" stroke="' + MUTED + '" points="' +
                    " ".join(f"{x(p):.1f},{y:.1f}" for _, p in points) + '"/>')
        body += [_mark(WAVE_MARKS[wave][1], x(p), y, WAVE_MARKS[wave][0]) for wave, p in points]
        sentences.append(f'{row["vignette"]}, {row["decision_label"]}: ' +
                         ", ".join(f"{WAVE_NAMES[w].lower()} {p:.0f}%" for w, p in points))
    desc = ("Percentage making each decision among all GPs who answered each survey (the shares among the GPs who "
            "answered both surveys are in the table of McNemar's tests). " + "; ".join(sentences) + ".")
    return _svg(chart_id, title, desc, left + width + 30, height, body)


def accent_colour(colour: str | None) -> str:
    """An organisation's brand colour if it is a valid "#rrggbb", else the platform's."""
    return colour if colour and re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else DEFAULT_ACCENT


def report_charts(report: dict, prefix: str) -> dict:
    """Every chart of a report, with ids unique under ``prefix``; a chart with nothing to draw is None."""
    scales = {row["scale"]: row["label"] for row in report["comparisons"][0]["scales"]} if report["comparisons"] else {}
    return {
        "funnel": funnel_chart(report["funnel"], f"{prefix}-funnel", "GPs reaching each step of the course"),
        "change": [better_change_chart(c["scales"], f"{prefix}-change-{i}",
                                       f"Change from {WAVE_NAMES[c['from']].lower()} to {WAVE_NAMES[c['to']].lower()}")
                   for i, c in enumerate(report["comparisons"])],
        "likert": {key: likert_bars([row for row in report["items"] if row["scale"] == key], f"{prefix}-likert-{key}",
                                    f"Answers to the items of '{label}' before and after the course")
                   for key, label in scales.items()},
        "vignettes": vignette_chart(report["vignettes"], f"{prefix}-vignettes", "Decisions in the case vignettes"),
    }
