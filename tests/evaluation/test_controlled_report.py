"""The controlled analysis in the educator's report equals survey.evaluation.analysis on the same scripted GPs."""
import pytest
from sqlalchemy import select

from survey.campaigns.models import Campaign
from survey.evaluation.analysis import ancova, mixed_model, standardised_difference
from survey.evaluation.services import arms_of
from survey.extensions import db
from survey.reports.controlled import controlled_analysis
from survey.reports.services import dataset_for
from tests.evaluation.helpers import all_scores, delayed_campaign, period_scores, scripted_population
from tests.factories import PASSWORD, make_user

PRIMARY, SECONDARY = "intention_support", ["attitude_support", "confidence"]


@pytest.fixture
def educator_client(client):
    client.login(make_user("educator", name="Erin Educator").email, PASSWORD)
    return client


def test_the_controlled_analysis_equals_analysis_py_on_the_same_gps(app, educator_client):
    campaign = delayed_campaign(educator_client)
    campaign.allocation_seed = "scripted-population"  # the same arms every run, so the data are fixed
    campaign.primary_outcome = {"scale": PRIMARY, "wave": "post"}
    campaign.secondary_outcomes = [{"scale": s, "wave": "post"} for s in SECONDARY] + [{"scale": PRIMARY, "wave": "follow_up"}]
    db.session.commit()
    expected = scripted_population(campaign)
    campaign = db.session.scalar(select(Campaign).where(Campaign.id == campaign.id))
    found = controlled_analysis(dataset_for(campaign), arms_of(campaign),
                                {"primary": campaign.primary_outcome, "secondary": campaign.secondary_outcomes})

    frame = period_scores(expected, PRIMARY)
    reference = ancova(frame, "now", "delayed", outcome="outcome", baseline="baseline")
    for key in ("estimate", "ci95_low", "ci95_high", "standardised", "p", "n"):
        assert found["primary"]["ancova"][key] == pytest.approx(reference[key], abs=1e-9), key
    assert reference["estimate"] > 0.5  # the scripted course works, so the test can tell a wrong arm apart

    secondary = {r["scale"]: r for r in found["secondary"] if r["randomised"]}
    raw = [ancova(period_scores(expected, s), "now", "delayed", outcome="outcome", baseline="baseline")["p"] for s in SECONDARY]
    holm_sorted = sorted(raw)
    adjusted = [min(1.0, max(2 * holm_sorted[0], holm_sorted[1])), min(1.0, 2 * holm_sorted[0])]
    by_rank = {p: (adjusted[1] if p == holm_sorted[0] else adjusted[0]) for p in raw}
    for scale, p in zip(SECONDARY, raw):
        assert secondary[scale]["p_holm"] == pytest.approx(by_rank[p], abs=1e-12)
    assert found["family"] == [secondary[s]["label"] for s in SECONDARY]
    degenerate = next(s for s in found["scales"] if s["scale"] == "expect_cancer")  # everyone answered alike
    assert degenerate["ancova"] is None and degenerate["mixed"] is None
    follow_up = next(r for r in found["secondary"] if r["wave"] == "follow_up")
    assert not follow_up["randomised"] and follow_up["ancova"] is None  # both arms have had the course by then

    scale = next(s for s in found["scales"] if s["scale"] == PRIMARY)
    model = mixed_model(all_scores(expected, PRIMARY), ["pre", "pre2", "post", "follow_up"], ["delayed", "now"],
                        contrasts={"period end x arm": {"wave:post": 1, "wave:post x arm:now": 1, "wave:pre2": -1}})
    assert scale["mixed"]["n_observations"] == len(all_scores(expected, PRIMARY)) > 2 * len(expected)  # every wave
    assert [t["estimate"] for t in scale["mixed"]["fixed"]] == pytest.approx([t["estimate"] for t in model["fixed"]], abs=1e-9)
    contrast = scale["mixed"]["contrasts"][0]
    assert contrast["estimate"] == pytest.approx(model["contrasts"][0]["estimate"], abs=1e-9) and contrast["estimate"] > 0.5
    assert not scale["mixed"]["cohort_effect"]  # one cohort: no cohort variance to estimate
    stayed = frame["outcome"].notna()
    assert scale["attrition"] == {"stayed": int(stayed.sum()), "left": int((~stayed).sum()), "smd": pytest.approx(
        standardised_difference(frame.loc[stayed, "baseline"], frame.loc[~stayed, "baseline"]))}

    page = educator_client.get(f"/educator/campaigns/{campaign.slug}/report").get_data(as_text=True)
    assert "Controlled comparison (delayed start)" in page
    assert f"{reference['estimate']:+.2f} points (95% CI {reference['ci95_low']:.2f} to {reference['ci95_high']:.2f})" in page
    assert f"d = {reference['standardised']:.2f}" in page

    # The second baseline travels in every export, as its own wave.
    for kind in ("long.csv", "wide.csv", "sav", "xlsx"):
        assert educator_client.get(f"/educator/campaigns/{campaign.slug}/export/{kind}").status_code == 200, kind
    wide = educator_client.get(f"/educator/campaigns/{campaign.slug}/export/wide.csv").get_data(as_text=True)
    assert f"score_{PRIMARY}_pre2" in wide.splitlines()[0]
    long = educator_client.get(f"/educator/campaigns/{campaign.slug}/export/long.csv").get_data(as_text=True)
    assert ",pre2," in long
