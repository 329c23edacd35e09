"""Small-cell suppression: primary and secondary, applied to every part of the charity's report."""
import pytest

from survey.reports.services import campaign_report
from survey.reports.suppression import HIDDEN, SECONDARY, SMALL, collapse, partition, suppress


def hidden_cells_survive_subtraction(cells: list, total: int, k: int) -> bool:
    """What an attacker can do with a published total: if exactly one cell is hidden, subtract."""
    hidden = [c for c in cells if not isinstance(c, int)]
    return len(hidden) != 1 and (not hidden or total - sum(c for c in cells if isinstance(c, int)) >= k)


@pytest.mark.parametrize("counts, expected", [
    ([50, 40, 30], [None, None, None]),
    ([50, 4, 30], [None, SMALL, SECONDARY]),  # the 4 alone could be worked out from the total
    ([50, 0, 30, 12], [None, SMALL, None, SECONDARY]),  # the smallest other cell goes
    ([50, 3, 2, 30], [None, SMALL, SMALL, SECONDARY]),  # two hidden but only 5 together: one more
    ([50, 6, 7, 30], [None, SMALL, SMALL, None]),  # two hidden holding 13 >= 10: enough
    ([5], [SMALL]),
    ([9, 3], [SMALL, SMALL]),
])
def test_partition_hides_small_cells_and_enough_others(counts, expected):
    assert partition(counts, 10) == expected


def test_partition_keeps_forced_cells_hidden_and_counts_them():
    assert partition([50, 40, 30], 10, forced={2}) == [None, SECONDARY, SECONDARY]
    assert partition([50, 4, 30], 10, forced={2}) == [None, SMALL, SECONDARY]


def test_likert_answers_are_collapsed_for_charities():
    counts, anchors = collapse([1, 2, 3, 4, 5], ["SD", "D", "N", "A", "SA"])
    assert counts == [3, 3, 9] and anchors == ["SD to D", "N", "A to SA"]
    counts, _ = collapse([1, 1, 1, 10, 1, 1, 20], list("1234567"))
    assert counts == [3, 10, 22]


def minimal_report(**parts) -> dict:
    funnel = {"enrolled": 120, "pre": 100, "modules": [{"module": "m", "title": "M", "n": 9}], "post": 60,
              "reflection": 50, "certificate": 50, "follow_up": 7}
    base = {"min_cell_size": 10, "suppressed": False, "funnel": funnel, "comparisons": [], "alpha": [],
            "items": [], "vignettes": [], "attrition": [], "breakdowns": [],
            "instrument": {"versions": [{"version": 1, "responses": 267}], "notes": []}}
    return base | parts


def test_funnel_steps_under_the_cell_size_show_as_less_than_k():
    shown = suppress(minimal_report(), 10)
    assert shown["suppressed"] is True and shown["min_cell_size"] == 10
    assert shown["funnel"]["enrolled"] == 120 and shown["funnel"]["follow_up"] == "<10"
    assert shown["funnel"]["modules"][0]["n"] == "<10"
    assert suppress(minimal_report(), 15)["funnel"]["modules"][0]["n"] == "<15"


def test_a_breakdown_row_is_hidden_with_a_complement_so_totals_reveal_nothing():
    rows = []
    for group, enrolled in (("North", 80), ("South", 4), ("East", 36)):
        funnel = {"enrolled": enrolled, "pre": enrolled, "modules": [], "post": enrolled // 2, "reflection": 0,
                  "certificate": 0, "follow_up": 0}
        rows.append({"group": group, "funnel": funnel, "scales": [
            {"scale": "s", "n_pairs": enrolled // 2, "pre_mean": 3.0, "post_mean": 3.5, "mean_diff": 0.5,
             "cohens_dz": 0.6}]})
    shown = suppress(minimal_report(breakdowns=[{"by": "cohort", "label": "Cohort", "rows": rows}]), 10)
    north, south, east = shown["breakdowns"][0]["rows"]
    assert south["funnel"]["enrolled"] == "<10" and south["suppressed"] == SMALL
    assert east["funnel"]["enrolled"] == HIDDEN and east["suppressed"] == SECONDARY
    assert east["funnel"]["post"] == HIDDEN and east["scales"][0]["mean_diff"] is None
    assert south["scales"][0]["cohens_dz"] is None and south["scales"][0]["n_pairs"] == "<10"
    assert north["funnel"]["enrolled"] == 80 and north["scales"][0]["mean_diff"] == 0.5


def test_small_comparisons_alpha_and_attrition_lose_their_statistics():
    comparison = {"from": "pre", "to": "post", "scales": [
        {"scale": "a", "label": "A", "n_pairs": 9, "mean_diff": 0.4, "p_holm": 0.01, "cohens_dz": 0.5},
        {"scale": "b", "label": "B", "n_pairs": 10, "mean_diff": 0.2, "p_holm": 0.02, "cohens_dz": 0.3}]}
    report = minimal_report(comparisons=[comparison],
                            alpha=[{"scale": "a", "wave": "pre", "alpha": 0.8, "ci95_low": 0.7, "ci95_high": 0.9,
                                    "n": 8, "k": 5}],
                            attrition=[{"scale": "a", "n_a": 40, "mean_a": 3.0, "sd_a": 1.0, "n_b": 3, "mean_b": 2.0,
                                        "sd_b": 1.0, "t": 2.0, "df": 5.0, "p": 0.1}])
    shown = suppress(report, 10)
    small, fine = shown["comparisons"][0]["scales"]
    assert small["n_pairs"] == "<10" and small["mean_diff"] is None and small["p_holm"] is None
    assert fine["n_pairs"] == 10 and fine["mean_diff"] == 0.2
    assert shown["alpha"][0]["alpha"] is None and shown["alpha"][0]["n"] == "<10"
    attrition = shown["attrition"][0]
    assert attrition["n_b"] == "<10" and attrition["n_a"] == HIDDEN and attrition["mean_a"] is None
    assert report["comparisons"][0]["scales"][0]["mean_diff"] == 0.4  # the educators' report is untouched


def test_vignette_counts_and_discordant_pairs_are_suppressed():
    vignette = {"vignette": "Case", "item": "vc_refer", "decision": "yes", "decision_label": "yes",
                "waves": [{"wave": "pre", "n": 40, "counts": {"yes": 6, "no": 34}, "decision_n": 6, "percent": 15.0}],
                "mcnemar": [{"from": "pre", "to": "post", "n_pairs": 30, "b": 2, "c": 12, "p": 0.01},
                            {"from": "pre", "to": "follow_up", "n_pairs": 8, "b": 1, "c": 3, "p": 0.6}]}
    shown = suppress(minimal_report(vignettes=[vignette]), 10)["vignettes"][0]
    wave = shown["waves"][0]
    assert wave["counts"] == {"yes": "<10", "no": HIDDEN} and wave["percent"] is None
    assert shown["mcnemar"][0] == {"from": "pre", "to": "post", "n_pairs": 30, "b": "<10", "c": HIDDEN, "p": 0.01}
    assert shown["mcnemar"][1]["p"] is None and shown["mcnemar"][1]["n_pairs"] == "<10"


def test_no_table_of_the_charity_report_lets_a_hidden_cell_be_subtracted(app, study):
    report = campaign_report(study.campaign, suppressed=True)
    k = report["min_cell_size"]
    full = campaign_report(study.campaign)
    checked = 0
    for breakdown, original in zip(report["breakdowns"], full["breakdowns"]):
        for stage in ("enrolled", "pre", "post", "reflection", "certificate", "follow_up"):
            cells = [row["funnel"][stage] for row in breakdown["rows"]]
            checked += any(not isinstance(c, int) for c in cells)
            assert hidden_cells_survive_subtraction(cells, full["funnel"][stage], k), (breakdown["by"], stage)
        for column in range(len(breakdown["rows"][0]["scales"])):
            cells = [row["scales"][column]["n_pairs"] for row in breakdown["rows"]]
            total = sum(row["scales"][column]["n_pairs"] for row in original["rows"])
            assert hidden_cells_survive_subtraction(cells, total, k)
    for item in report["items"]:
        assert len(item["counts"]) == 3  # disagree / neither / agree only
        if isinstance(item["n"], int):
            assert hidden_cells_survive_subtraction(item["counts"], item["n"], k)
    assert checked, "the generated study should have small groups to suppress"
    for row in report["comparisons"][2]["scales"]:
        assert isinstance(row["n_pairs"], int) and row["n_pairs"] >= k or row["mean_diff"] is None


def test_the_cell_size_is_the_campaigns_but_never_below_the_platforms(app, study):
    follow_up = campaign_report(study.campaign)["funnel"]["follow_up"]
    study.campaign.min_cell_size = follow_up + 1
    shown = campaign_report(study.campaign, suppressed=True)
    assert shown["min_cell_size"] == follow_up + 1 and shown["funnel"]["follow_up"] == f"<{follow_up + 1}"
    study.campaign.min_cell_size = 3
    assert campaign_report(study.campaign, suppressed=True)["min_cell_size"] == 10
    app.config["MIN_CELL_SIZE"] = 25
    assert campaign_report(study.campaign, suppressed=True)["min_cell_size"] == 25
