"""Scripted run: how long the live version of the instrument takes per wave for simulated readers.

Not a test, and not GPs' real times. Simulated GPs answer every wave through the real app
(Flask test client, a fresh migrated SQLite database); the app's own server-side page timing
(survey/surveys/timing.py) records the time, and the educator's median and 90th centile are
read back with the same function the campaign page uses. The platform clock is advanced by
what each simulated reader would need on each page, so the run takes seconds, not hours:

* reading: every word shown on the page (title, intro, the assigned case version, each shown
  question, its options, and a Likert scale's anchors once per grid) at the reader's speed,
  drawn per GP from a normal distribution with mean 238 words per minute (Brysbaert 2019:
  adults' silent reading of English non-fiction) and SD 30, clipped to 175-300 wpm (the range
  he gives for most adults);
* answering: 3 s per Likert row, 4 s per single choice, 6 s per tick-all or number (our
  assumption, not measured), times a per-GP factor drawn log-normally (SD 0.3);
* answers are random but valid, so conditional questions appear as they would; about 30% of
  simulated GPs accept the optional fit-note self-audit, which adds 2 minutes of looking up
  records at baseline and follow-up; enrolment asks years, role and region, so those three
  profile items are skipped, as in a campaign that asks them; under matrix sampling each simulated GP
  answers the pages of the cases they were assigned, as the app leads them.

    .venv/bin/python bench/survey_time.py [--gps 40] [--seed 2026]
"""
import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("SURVEY_ENV", "testing")

AUDIT_SECONDS = 120
ANSWER = {"likert": 3.0, "single_choice": 4.0, "multiple_choice": 6.0, "number": 6.0, "text": 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gps", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    from flask_migrate import upgrade

    from survey import clock, create_app
    from survey.campaigns.services import enrolment_for
    from survey.extensions import db
    from survey.instruments.definition import Likert, LikertGrid, Vignette
    from survey.instruments.length import words
    from survey.library import library
    from survey.surveys.answers import is_visible
    from survey.surveys.timing import wave_times
    from survey.surveys.versions import assignments_for
    from tests.conftest import FormClient
    from tests.factories import PASSWORD, make_campaign, make_user
    from tests.journey import study_module

    now = [clock.now()]
    clock.now = lambda: now[0]  # the app reads the clock through the module, so this moves its time

    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/t.sqlite",
                      "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "file", "MAIL_FILE_DIR": folder,
                      "SERVER_NAME": "localhost", "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    with app.app_context():
        upgrade()
        campaign = make_campaign(modules=("work-as-health-outcome",), instrument="gp-work-health-attitudes")
        campaign.enrolment_fields = ["years_qualified", "gp_role", "nhs_region"]
        campaign.follow_up_days = 90
        db.session.commit()
        definition = library().instruments["gp-work-health-attitudes"].data
        module = library().modules["work-as-health-outcome"]
        for _ in range(args.gps):
            wpm = float(np.clip(rng.normal(238, 30), 175, 300))
            pace = float(rng.lognormal(0, 0.3))
            audits = bool(rng.random() < 0.3)
            gp = FormClient(app)
            user = make_user()
            email = user.email
            gp.login(email, PASSWORD)
            joined = gp.post(f"/join/{campaign.enrolment_code}", {"agree": "y", "research_consent": "y", "nation": "england",
                                                                 "years_qualified": "8", "gp_role": "salaried",
                                                                 "nhs_region": "london"})
            assert joined.status_code == 302, joined.get_data(as_text=True)[:500]
            for wave in ("pre", "post", "follow_up"):
                if wave == "post":
                    study_module(gp, campaign.slug, module)
                if wave == "follow_up":
                    now[0] += timedelta(days=91)
                    gp.login(email, PASSWORD)  # 91 days on, the session has long expired
                answers: dict[str, str] = {}
                gp.get(f"/c/{campaign.slug}/survey/{wave}")  # opening the wave assigns the GP's cases
                sections = definition.sections_for(wave, cases=assignments_for(enrolment_for(user, campaign.slug)))
                for number, section in enumerate(sections, start=1):
                    html = gp.get(f"/c/{campaign.slug}/survey/{wave}/{number}").get_data(as_text=True)
                    data, seconds = {}, (words(section.title) + words(section.intro)) * 60 / wpm
                    for block in section.items:
                        if isinstance(block, Vignette):
                            case = next((v.case for v in block.versions if v.case.split()[0] in html
                                         and " ".join(v.case.split()[:12]) in " ".join(html.split())), block.versions[0].case)
                            seconds += words(case) * 60 / wpm
                        elif isinstance(block, LikertGrid):
                            seconds += words(block.text) * 60 / wpm
                        first_row = True
                        for question in (block.questions() if isinstance(block, LikertGrid) else
                                         block.questions if isinstance(block, Vignette) else [block]):
                            if f'name="{question.id}"' not in html or not is_visible(question, answers):
                                continue  # asked at enrolment, or hidden by an earlier answer
                            shown = words(question.text) + sum(words(o.label) for o in getattr(question, "options", []))
                            if isinstance(question, Likert) and first_row:
                                shown += sum(words(a) for a in definition.response_scales[question.response_scale].anchors)
                                first_row = False
                            seconds += shown * 60 / wpm + ANSWER[question.type] * pace
                            value = _answer(rng, question, audits)
                            if value is not None:
                                data[question.id] = value
                                answers[question.id] = ";".join(value)
                            if question.id == "aud_offer" and audits:
                                seconds += AUDIT_SECONDS
                    now[0] += timedelta(seconds=seconds)
                    response = gp.post(f"/c/{campaign.slug}/survey/{wave}/{number}", data)
                    # A silent redirect elsewhere (signed out, wave not open) would time nothing: refuse it.
                    last = number == len(sections)
                    expected = f"/c/{campaign.slug}" if last else f"/c/{campaign.slug}/survey/{wave}/{number + 1}"
                    assert response.headers.get("Location", "").endswith(expected), (wave, number, response.headers)
        print(f"Simulated readers: {args.gps} (seed {args.seed}); instrument version {definition.version}")
        print("wave       n  median min  90th centile min")
        for time in (t for t in wave_times(campaign.id) if t.n):
            print(f"{time.wave:9} {time.n:3}  {time.median_seconds / 60:10.1f}  {time.p90_seconds / 60:16.1f}")


def _answer(rng, question, audits: bool):
    if question.type == "likert":
        return [str(rng.integers(1, 6 if "agree5" == question.response_scale else 8))]
    if question.type == "single_choice":
        if question.id == "aud_offer":
            return ["yes" if audits else "no"]
        return [question.options[rng.integers(len(question.options))].value]
    if question.type == "multiple_choice":
        picks = [o.value for o in question.options if rng.random() < 0.4 and o.value not in ("none",)]
        return picks or [question.options[0].value]
    if question.type == "number":
        return [str(int(rng.integers(int(question.min), int(min(question.max, 10)) + 1)))]
    return None


if __name__ == "__main__":
    main()
