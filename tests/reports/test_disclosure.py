"""The disclosure rules of charity releases as pure functions: rounding, bands and the differencing audit."""
import pytest
from scipy import stats as sp

from survey.reports import disclosure as sdc
from survey.reports.release import paired_risk_difference

K = 10


def people(start: int, stop: int) -> frozenset[int]:
    return frozenset(range(start, stop))


def cell(key: str, members, measure: str = "scale:x:pre") -> sdc.Cell:
    return sdc.Cell(key, (measure,), frozenset(members), {"mean": 3.0})


@pytest.mark.parametrize("n, rounded", [(10, 10), (12, 10), (13, 15), (97, 95), (98, 100), (0, 0)])
def test_counts_round_to_base_five(n, rounded):
    assert sdc.count(n) == rounded


@pytest.mark.parametrize("p, band", [(0.0004, "<0.001"), (0.001, "<0.01"), (0.0099, "<0.01"), (0.049, "<0.05"),
                                     (0.05, "0.05"), (0.2349, "0.23"), (1.0, "1.00"), (None, None)])
def test_p_values_are_bands(p, band):
    assert sdc.p_band(p) == band


def test_scores_and_percentages_are_rounded():
    assert sdc.score(2.6666666666666665) == 2.67 and sdc.score(-0.001) == 0.0 and str(sdc.score(-0.001)) == "0.0"
    assert sdc.percent(1, 3) == 33 and sdc.percent(1, 2) == 50 and sdc.percent(0, 0) is None


def statuses(cells, earlier=()):
    return [o.status for o in sdc.protect(cells, K, [list(e) for e in earlier], "2026-12-01")]


def test_a_group_under_k_is_withheld():
    assert statuses([cell("a", people(0, 9)), cell("b", people(0, 10))]) == [sdc.SMALL, None]


def test_nested_groups_a_few_apart_withhold_the_second():
    """n_a * mean_a - n_b * mean_b gives the 3 GPs between them: the second figure goes."""
    assert statuses([cell("pairs", people(0, 40)), cell("attrition", people(0, 43))]) == [None, sdc.SECONDARY]
    assert statuses([cell("pairs", people(0, 40)), cell("all", people(0, 50))]) == [None, None]  # 10 apart: fine


def test_overlapping_groups_and_chains_of_three():
    # A and B share 40 and differ by 2 and 3: A - B isolates 5 GPs.
    assert statuses([cell("a", people(0, 42)), cell("b", list(range(2, 45)))]) == [None, sdc.SECONDARY]
    # Every pairwise difference of A, B and their union is >= 10, yet A + B - (A u B) is the one GP
    # in both: the pairwise rule would publish all three; the audit withholds the third.
    a, b = people(0, 20), people(19, 40)
    assert statuses([cell("a", a), cell("b", b), cell("union", a | b)]) == [None, None, sdc.SECONDARY]


def test_other_measures_do_not_interact():
    assert statuses([cell("a", people(0, 40)), cell("b", people(0, 41), "scale:y:pre")]) == [None, None]


def test_a_figure_whose_group_changed_by_one_is_carried_forward():
    first = sdc.protect([cell("a", people(0, 40))], K, [], "2026-11-01")
    earlier = [o.record for o in first]
    outcome = sdc.protect([sdc.Cell("a", ("scale:x:pre",), people(0, 41), {"mean": 3.1})], K, [earlier],
                          "2026-12-01")[0]
    assert outcome.status == sdc.CARRIED and outcome.value == {"mean": 3.0} and outcome.as_of == "2026-11-01"
    # A new statistic on the same measure that differs by one from the earlier release is withheld.
    assert statuses([cell("new", people(1, 40))], [earlier]) == [sdc.SECONDARY]


def test_one_leaver_and_enough_newcomers_isolate_nobody():
    """sum(A) - sum(C) = the leaver minus 11 newcomers: no small group alone, so C may be published."""
    earlier = [o.record for o in sdc.protect([cell("a", people(0, 40))], K, [], "2026-11-01")]
    assert statuses([cell("a", people(1, 51))], [earlier]) == [None]
    # ... but one leaver and one newcomer (x - y) is withheld.
    assert statuses([cell("a", people(1, 41))], [earlier]) == [sdc.CARRIED]


def test_private_records_round_trip():
    record = sdc.protect([cell("a", people(0, 12))], K, [], "2026-12-01")[0].record
    again = sdc.from_private(sdc.to_private([record]))[0]
    assert again == record


def test_the_paired_risk_difference_is_agresti_and_mins_adjusted_wald():
    b, c, n = 5, 15, 60
    estimate, low, high = paired_risk_difference(b, c, n)
    star, p12, p21 = n + 2, (b + 0.5) / (n + 2), (c + 0.5) / (n + 2)
    half = sp.norm.ppf(0.975) * ((p12 + p21 - (p21 - p12) ** 2) / star) ** 0.5
    assert estimate == pytest.approx(10 / 60) and low == pytest.approx(p21 - p12 - half)
    assert high == pytest.approx(p21 - p12 + half) and low < estimate < high
    assert paired_risk_difference(0, 0, 0) is None
    assert paired_risk_difference(0, 30, 30)[2] == 1.0  # clipped


def test_d_av_divides_the_change_by_the_mean_of_the_two_sds():
    from survey.reports.release import d_av

    assert d_av({"mean_diff": 0.5, "pre_sd": 1.0, "post_sd": 0.5}) == pytest.approx(0.5 / 0.75)
    assert d_av({"mean_diff": None, "pre_sd": None, "post_sd": None}) is None
    assert d_av({"mean_diff": 0.2, "pre_sd": 0.0, "post_sd": 0.0}) is None
