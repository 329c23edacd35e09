"""`flask import-responses`: every problem reported with its line, and nothing imported unless there are none."""
import pytest
from sqlalchemy import func, select

from survey.audit.models import AuditEvent
from survey.campaigns import services as campaigns
from survey.db import utcnow
from survey.extensions import db
from survey.surveys.models import Answer, Response
from tests.factories import make_campaign, make_user


@pytest.fixture
def paper(app, tmp_path):
    """A campaign answering version 1 (archived) with two enrolled GPs (one of whom withdrew) and no answers yet."""
    campaign = make_campaign()
    campaign.instrument_version = 1
    alice = campaigns.enrol(make_user(), campaign, research_consent=True)
    bob = campaigns.enrol(make_user(), campaign, research_consent=True)
    bob.withdrawn_at = utcnow()
    db.session.commit()

    def run(text: str, *options):
        path = tmp_path / "paper.csv"
        path.write_text(text, encoding="utf-8")
        return app.test_cli_runner().invoke(args=["import-responses", campaign.slug, str(path), *options])

    return campaign, alice.participant_code, bob.participant_code, run


def answers_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Answer))


def test_a_valid_file_is_imported_as_submitted_responses(paper):
    campaign, alice, _, run = paper
    result = run("participant,wave,item,value\n"
                 f"{alice},pre,who_1,4\n{alice},pre,vc_fit_note,may_be_fit\n"
                 f"{alice},pre,vc_adjust,altered_hours;phased_return\n{alice},pre,vc_rtw_chance,60.0\n"
                 f"{alice},post,who_1,5\n")
    assert result.exit_code == 0, result.output
    assert "Imported 2 response(s) with 5 answer(s)" in result.output
    stored = dict(db.session.execute(select(Answer.item_id, Answer.value)).tuples().all())
    assert stored["vc_adjust"] == "phased_return;altered_hours"  # in the instrument's order, as online
    assert stored["vc_rtw_chance"] == "60"  # canonical number
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.submitted_at.is_not(None))) == 2
    assert db.session.scalar(select(AuditEvent.action)) == "responses.import"


def test_every_problem_is_reported_with_its_line_and_nothing_is_imported(paper):
    campaign, alice, bob, run = paper
    text = ("participant,wave,item,value\n"
            f"{alice},pre,who_1,4\n"             # 2: fine
            "PNOBODY,pre,who_1,4\n"              # 3: unknown participant
            f"{alice},pre,who_99,4\n"            # 4: unknown item
            f"{alice},pre,who_2,6\n"             # 5: off the 5-point scale
            f"{alice},pre,vc_fit_note,maybe\n"   # 6: not an option
            f"{alice},pre,vc_rtw_chance,101\n"   # 7: out of range
            f"{alice},pre,eval_relevance,3\n"    # 8: a post-only item
            f"{alice},pre,who_1,5\n"             # 9: duplicate of line 2
            f"{alice},soon,who_1,5\n"            # 10: unknown wave
            f"{bob},pre,who_1,5\n"               # 11: withdrawn
            f"{alice},pre,vm_fit_note,fit\n"     # 12: fine
            f"{alice},pre,vm_adjust,none\n"      # 13: hidden by show_if (fit note is not "may be fit")
            f"{alice},pre,who_3\n")              # 14: three values
    result = run(text)
    assert result.exit_code == 1
    output = result.output
    for line, message in [
        (3, "participant 'PNOBODY' is not enrolled in this campaign"),
        (4, "item 'who_99' is not in this instrument version"),
        (5, "item 'who_2': Choose one point on the scale. (value '6')"),
        (6, "item 'vc_fit_note': Choose one of the options. (value 'maybe')"),
        (7, "item 'vc_rtw_chance': Enter a number from 0 to 100. (value '101')"),
        (8, "item 'eval_relevance' is not asked in the pre survey"),
        (9, f"item 'who_1' for participant '{alice}' (pre) is already given on line 2"),
        (10, "wave 'soon' is not one of pre, retest, pre2, post, follow_up"),
        (11, f"participant '{bob}' has withdrawn from the research"),
        (13, "item 'vm_adjust' is asked only when 'vm_fit_note' is may_be_fit"),
        (14, "expected 4 values (participant,wave,item,value), found 3"),
    ]:
        assert f"line {line}: {message}" in output, (line, output)
    assert "line 2:" not in output and "line 12:" not in output
    assert "11 problem(s) found; nothing was imported." in output
    assert answers_count() == 0 and db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_existing_responses_are_never_overwritten(paper):
    campaign, alice, _, run = paper
    assert run(f"participant,wave,item,value\n{alice},pre,who_1,4\n").exit_code == 0
    result = run(f"participant,wave,item,value\n{alice},pre,who_2,4\n")
    assert result.exit_code == 1 and f"line 2: participant '{alice}' already has a pre response" in result.output
    assert answers_count() == 1


@pytest.mark.parametrize("content, message", [
    (b"who,what\nx,y\n", "line 1: the header must be participant,wave,item,value"),
    (b"participant,wave,item,value\n", "line 1: the file has no answers"),
    (b"participant,wave,item,value\n\xff\xfe,pre,who_1,4\n", "is not UTF-8 text"),
])
def test_unreadable_files_get_a_clear_message(paper, tmp_path, app, content, message):
    campaign, *_ = paper
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import-responses", campaign.slug, str(path)])
    assert result.exit_code == 1 and message in result.output


def test_unknown_campaign_and_version_are_refused(paper, app, tmp_path):
    campaign, alice, _, run = paper
    path = tmp_path / "x.csv"
    path.write_text("participant,wave,item,value\n")
    result = app.test_cli_runner().invoke(args=["import-responses", "no-such-campaign", str(path)])
    assert result.exit_code == 1 and "There is no campaign 'no-such-campaign'" in result.output
    result = run(f"participant,wave,item,value\n{alice},pre,who_1,4\n", "--instrument-version", "9")
    assert result.exit_code == 1 and "has no stored version 9" in result.output


@pytest.mark.parametrize("hostile, message", [
    ("4\x00", "line 3: the row contains a NUL character"),
    ("x" * 131_073, "line 3: the row cannot be read: field larger than field limit (131072)"),
])
def test_a_nul_or_an_over_long_value_is_a_problem_on_its_line_not_a_traceback(paper, hostile, message):
    """csv reads NUL as a character (PostgreSQL cannot store it) and refuses a field over 131,072 characters."""
    campaign, alice, _, run = paper
    result = run(f"participant,wave,item,value\n{alice},pre,who_1,4\n{alice},pre,who_2,{hostile}\n"
                 f"{alice},pre,who_3,4\n")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a clean exit, not a crash
    assert f"paper.csv: {message}" in result.output
    assert answers_count() == 0


def test_an_over_long_header_is_a_problem_too(paper):
    *_, run = paper
    result = run("x" * 131_073 + "\n")
    assert result.exit_code == 1 and "paper.csv: line 1: the header cannot be read" in result.output
