"""The charity release document: disclosure-controlled cells assembled into what a charity sees. Pure.

``public`` is everything the charity's dashboard, PDF, CSV and API show (rounded values, a status
per statistic and nothing else); ``private`` records each published cell with its participants so
the next release can be checked against this one. ``private`` never leaves the server.
"""
from survey.reports import disclosure as sdc
from survey.reports.dataset import Dataset
from survey.reports.release import release_cells
from survey.reports.release_controlled import controlled_cells

RELEASE_FORMAT = 1
STATUS_WORDS = {
    sdc.SMALL: "withheld: fewer than {k} GPs (or a group within it too small)",
    sdc.SECONDARY: "withheld: it would differ from another published figure by fewer than {k} GPs",
    sdc.CARRIED: "unchanged since {as_of}: too few GPs have changed since then to publish a new figure",
}


def build_release(ds: Dataset, earlier: list[list[sdc.Published]], today: str, course: dict,
                  controlled: dict | None = None) -> tuple[dict, list]:
    """(public, private) of a new release of ``ds``'s campaign, checked against every ``earlier`` release.

    ``controlled`` ({"arms": {enrolment: arm}, "outcomes": pre-specified}) adds a delayed-start
    campaign's between-arm results, right after the funnel: for such a campaign they are the headline.
    """
    k = ds.campaign.min_cell_size
    vignettes, cells = release_cells(ds)
    if controlled:
        funnel = [c for c in cells if c.section == "funnel"]
        cells = funnel + controlled_cells(ds, controlled["arms"], controlled["outcomes"]) + cells[len(funnel):]
    outcomes = sdc.protect(cells, k, earlier, today)
    sections: dict[str, list[dict]] = {"funnel": [], "controlled": [], "changes": [], "vignette_waves": [],
                                       "vignette_changes": []}
    for cell, outcome in zip(cells, outcomes):
        values = outcome.value if outcome.value is not None else dict.fromkeys(cell.value)
        sections[cell.section].append({**cell.info, **values, "status": outcome.status, "as_of": outcome.as_of})
    for vignette in vignettes:
        vignette["waves"] = [r for r in sections["vignette_waves"] if r["vignette"] == vignette["key"]]
        vignette["changes"] = [r for r in sections["vignette_changes"] if r["vignette"] == vignette["key"]]
    for row in sections["vignette_waves"] + sections["vignette_changes"]:
        row.pop("vignette")
    public = {
        "release_format": RELEASE_FORMAT,
        "campaign": {"slug": ds.campaign.slug, "title": ds.campaign.title, "organisation": ds.campaign.organisation},
        "as_of": today, "min_cell_size": k, "count_base": sdc.COUNT_BASE, "course": course,
        "funnel": sections["funnel"], "controlled": sections["controlled"], "changes": sections["changes"],
        "vignettes": vignettes,
    }
    private = sdc.to_private([o.record for o in outcomes if o.record is not None])
    return public, private


def status_text(row: dict, k: int) -> str | None:
    """Why a figure is not the current one, in words, or None when it is."""
    return STATUS_WORDS[row["status"]].format(k=k, as_of=row["as_of"]) if row.get("status") else None


RELEASE_HEADER = ["section", "from", "to", "scale_or_item", "wave", "statistic", "value", "status", "as_of"]
IDENTIFYING = {"stage", "label", "from", "to", "scale", "points", "instrument_versions", "better", "wave", "status",
               "as_of", "role"}


def release_rows(public: dict) -> list[list]:
    """Every figure of a release as one labelled row (rounded as released; a withheld one is empty)."""
    rows = []

    def add(section: str, row: dict, key: str, wave: str = "") -> None:
        for name, value in row.items():
            if name not in IDENTIFYING:
                rows.append([section, row.get("from", ""), row.get("to", ""), key, wave, name,
                             "" if value is None else value, row["status"] or "", row["as_of"] or ""])

    for row in public["funnel"]:
        add("funnel", row, row["stage"])
    for row in public.get("controlled", []):  # releases made before controlled results have none
        add(f"controlled_{row['role']}", row, row["scale"], "post")
    for row in public["changes"]:
        add("change", row, row["scale"])
    for vignette in public["vignettes"]:
        for row in vignette["waves"]:
            add("vignette", row, vignette["item"], row["wave"])
        for row in vignette["changes"]:
            add("vignette_change", row, vignette["item"])
    return rows
