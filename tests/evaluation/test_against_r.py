"""The evaluation statistics against reference values computed once in R (fixtures/make_reference.R):
power.t.test for the planner, stats::lm for the ANCOVA, lme4::lmer (REML) for the mixed models, lavaan's one-factor CFA for omega."""
from pathlib import Path

import pandas as pd
import pytest

from survey.evaluation import analysis, power
from survey.reports import controlled
from survey.reports.omega import mcdonald_omega
from survey.reports.reliability import cronbach_alpha

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WAVES, ARMS = ["pre", "post", "follow_up"], ["delayed", "now"]
#: lme4's names for the fixed effects, in our order.
R_TERMS = {"(Intercept)": "(Intercept)", "wave:post": "wavepost", "wave:follow_up": "wavefollow_up",
           "arm:now": "armnow", "wave:post x arm:now": "wavepost:armnow",
           "wave:follow_up x arm:now": "wavefollow_up:armnow"}


def fixture(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / name)


@pytest.mark.parametrize("case", fixture("power.csv").to_dict("records"), ids=lambda c: str(c))
def test_sample_size_matches_power_t_test(case):
    design = "two-arm" if case["type"] == "two.sample" else "paired"
    n = power.n_for_power(case["delta"], case["sd"], case["power"], case["alpha"], design)
    assert n == pytest.approx(case["n"], abs=1e-6)
    assert power.t_test_power(50, case["delta"], case["sd"], case["alpha"], design) == pytest.approx(
        case["power_at_50"], abs=1e-9)


def test_ancova_matches_lm():
    expected = fixture("ancova.csv").iloc[0]
    result = analysis.ancova(fixture("trial_wide.csv"), treated="now", control="delayed")
    for key in ("n", "estimate", "se", "t", "df", "p", "ci95_low", "ci95_high", "baseline_slope", "standardised"):
        assert result[key] == pytest.approx(expected[key], abs=1e-9, rel=1e-9), key


@pytest.mark.parametrize("cohort, reference", [(None, "mixed.csv"), ("cohort", "mixed_cohort.csv")])
def test_mixed_model_matches_lmer(cohort, reference):
    expected = fixture(reference).set_index("term")
    result = analysis.mixed_model(fixture("trial_long.csv"), WAVES, ARMS, cohort=cohort)
    assert result["n_observations"] == 324 and result["n_participants"] == 120
    for row in result["fixed"]:
        r_row = expected.loc[R_TERMS[row["term"]]]
        assert row["estimate"] == pytest.approx(r_row["estimate"], abs=1e-6), row["term"]
        assert row["se"] == pytest.approx(r_row["se"], abs=1e-6), row["term"]
    assert result["variances"]["residual"] == pytest.approx(expected.loc["var:Residual", "estimate"], abs=1e-6)
    participant = "var:participant:cohort" if cohort else "var:participant"
    assert result["variances"]["participant"] == pytest.approx(expected.loc[participant, "estimate"], abs=1e-6)
    if cohort:
        assert result["variances"]["cohort"] == pytest.approx(expected.loc["var:cohort", "estimate"], abs=1e-6)


def test_standardised_difference_of_those_who_stayed_and_left():
    wide = fixture("trial_wide.csv")
    stayed, left = wide.loc[wide["post"].notna(), "pre"], wide.loc[wide["post"].isna(), "pre"]
    assert analysis.standardised_difference(stayed, left) == pytest.approx(fixture("smd.csv")["smd"][0], abs=1e-12)


def test_a_plan_rounds_up_and_allows_for_attrition():
    """d = 0.5 with r = 0.5 between waves: ANCOVA needs power.t.test(delta = 0.5, sd = sqrt(0.75)),
    48.07 per arm in R, so 49 per arm, 98 analysed, and with 20% attrition 123 enrolled (122.5 up)."""
    two_arm = power.plan(0.5, correlation=0.5, attrition=0.2)
    assert two_arm.analysed_per_group == 49 and two_arm.analysed == 98 and two_arm.enrol == 123
    paired = power.plan(0.5, correlation=0.5, attrition=0.2, design="paired")  # sd of change 1: R's n 33.37
    assert paired.analysed == 34 and paired.enrol == 43
    assert power.plan(0.5, correlation=0.0, attrition=0.0).analysed_per_group == 64  # the plain t test


@pytest.mark.parametrize("arguments", [dict(effect=0), dict(effect=0.5, correlation=1), dict(effect=0.5, attrition=1)])
def test_a_plan_refuses_impossible_inputs(arguments):
    with pytest.raises(ValueError):
        power.plan(**arguments)


def test_ancova_needs_two_complete_cases_per_arm():
    wide = fixture("trial_wide.csv")
    assert analysis.ancova(wide[wide["arm"] == "now"], treated="now", control="delayed") is None


@pytest.mark.parametrize("cohort, reference", [(None, "mixed_waves.csv"), ("cohort", "mixed_waves_cohort.csv")])
def test_the_all_waves_model_and_its_randomised_contrast_match_lmer(cohort, reference):
    """Every wave of a delayed-start campaign (pre2 only in the delayed arm, so no pre2-by-arm term)."""
    expected = fixture(reference).set_index("term")
    result = analysis.mixed_model(fixture("delayed_waves.csv"), ["pre", "pre2", "post", "follow_up"], ARMS,
                                  cohort=cohort, contrasts=controlled.PERIOD_CONTRAST)
    names = {**R_TERMS, "wave:pre2": "wavepre2"}
    assert {names[row["term"]] for row in result["fixed"]} == set(expected.index) - {
        "var:participant", "var:participant:cohort", "var:cohort", "var:Residual", "period end x arm"}
    for row in result["fixed"] + result["contrasts"]:
        r_row = expected.loc[names.get(row["term"], row["term"])]
        assert row["estimate"] == pytest.approx(r_row["estimate"], abs=1e-6), row["term"]
        assert row["se"] == pytest.approx(r_row["se"], abs=1e-6), row["term"]
    assert result["contrasts"][0]["term"] == "period end x arm"
    participant = "var:participant:cohort" if cohort else "var:participant"
    assert result["variances"]["participant"] == pytest.approx(expected.loc[participant, "estimate"], abs=1e-6)


def test_omega_matches_a_one_factor_cfa_in_lavaan():
    expected = fixture("omega.csv").iloc[0]
    items = fixture("items.csv")
    assert mcdonald_omega(items)["omega"] == pytest.approx(expected["omega"], abs=1e-6)
    assert cronbach_alpha(items)["alpha"] == pytest.approx(expected["alpha"], abs=1e-12)  # the same data as alpha
    assert abs(mcdonald_omega(items)["omega"] - expected["psych_omega_tot"]) > 0.01  # psych's is another definition


@pytest.mark.parametrize("columns, rows", [(["item1", "item2"], 150), (["item1", "item2", "item3"], 3)])
def test_omega_needs_three_items_and_more_answers_than_items(columns, rows):
    assert mcdonald_omega(fixture("items.csv").loc[: rows - 1, columns])["omega"] is None
