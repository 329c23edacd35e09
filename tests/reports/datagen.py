"""Realistic report data in bulk: GPs enrolled in a campaign with pre/post/follow-up answers.

Used by the report tests and by bench/reports.py. Everything is generated column-wise with
numpy and written with one bulk statement per table (COPY on PostgreSQL, executemany in
chunks elsewhere); ids are assigned here so no row is ever read back.

The model: each GP has a latent attitude per scale (on the response scale's metric) that
rises by ``EFFECTS[scale]`` after the course and keeps most of the gain at follow-up; each
Likert item is that attitude plus noise, rounded, clipped and reverse-keyed where the item
is. Vignette decisions shift from "not fit" towards "may be fit" and towards referring.
"""
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from psycopg.types.json import Json
from sqlalchemy import func, select, text

from survey.campaigns.models import Cohort, Enrolment
from survey.auth.models import User
from survey.certificates.models import Certificate
from survey.extensions import db
from survey.instruments.definition import FreeText, Likert, MultipleChoice, SingleChoice
from survey.instruments.services import definition_of
from survey.learning.models import ModuleProgress, Reflection
from survey.learning.services import module_version
from survey.library import library
from survey.surveys.answers import chosen_values
from survey.instruments.randomisation import assigned_case_set
from survey.surveys.models import Answer, CaseSetAssignment, Response
from survey.surveys.versions import campaign_version

#: Mean change per scale after the course, in scale points (barriers fall; one scale is flat).
EFFECTS = {"work_health_outcome": 0.35, "expect_cancer": 0.6, "expect_smi": 0.45, "expect_cmhc": 0.4,
           "expect_msk": 0.5, "gp_role": 0.3, "knowledge_confidence": 0.8, "attitude_referral": 0.5,
           "subjective_norm": 0.0, "perceived_control": 0.4, "intention_refer": 0.7, "barriers": -0.3,
           # version 2
           "attitude_support": 0.5, "norm_support": 0.0, "control_support": 0.4, "intention_support": 0.7,
           "confidence": 0.8}
PROFILE = {"gp_role": ["partner", "salaried", "locum", "trainee"],
           "nhs_region": ["london", "north_west", "south_west", "midlands", "north_east"]}
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
#: A valid scrypt hash, computed once (hashing per generated user would dominate the run).
PASSWORD_HASH = "scrypt:32768:8:1$generated$" + "0" * 128


@dataclass
class Generated:
    """What was generated, for assertions: ids and codes by row, and the waves each GP submitted."""
    enrolment_ids: np.ndarray
    codes: list[str]
    included: np.ndarray  #: research consent and not withdrawn
    submitted: dict[str, np.ndarray] = field(default_factory=dict)  #: wave -> bool per GP
    answers: int = 0


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def bulk_insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows in one COPY (PostgreSQL) or chunked executemany; explicit ids keep sequences in step."""
    if not rows:
        return
    table = model.__table__
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(Json(v) if isinstance(v, dict | list) else v for v in row))
            if "id" in columns:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f"(SELECT max(id) FROM {table.name}))")
    else:
        for start in range(0, len(rows), 20_000):
            chunk = [dict(zip(columns, row)) for row in rows[start:start + 20_000]]
            db.session.execute(table.insert(), chunk)


def _likert_values(rng, latent: np.ndarray, points: int, reverse: bool) -> np.ndarray:
    values = np.clip(np.rint(latent + rng.normal(0, 0.75, len(latent))), 1, points).astype(int)
    return points + 1 - values if reverse else values


def _choice(rng, options: list[str], shift: float, n: int) -> np.ndarray:
    """Vignette decisions move from "not fit" to "may be fit" and towards referring; others are uniform."""
    weights = np.ones(len(options))
    if "not_fit" in options:
        weights = np.array([0.5 - 0.25 * shift, 0.4 + 0.2 * shift, 0.1 + 0.05 * shift])
    elif options == ["yes", "no"]:
        weights = np.array([0.3 + 0.25 * shift, 0.7 - 0.25 * shift])
    return rng.choice(np.array(options, dtype=object), size=n, p=weights / weights.sum())


def _wave_columns(rng, definition, wave: str, traits: dict, shift: float, items) -> dict[str, np.ndarray]:
    """Answers of every GP to every question of ``wave``, column by column (None = not answered)."""
    n = len(next(iter(traits.values())))
    scale_of = {item: scale.key for scale in definition.scales for item in scale.items}
    columns: dict[str, np.ndarray] = {}
    for section in definition.sections_for(wave):
        for question in section.questions():
            if items is not None and question.id not in items or isinstance(question, FreeText):
                continue
            if isinstance(question, Likert):
                points = definition.response_scales[question.response_scale].points
                scale = scale_of.get(question.id)
                centre = (points + 1) / 2 + (traits[scale] + shift * EFFECTS[scale] if scale else np.full(n, 0.5))
                column = _likert_values(rng, centre, points, question.reverse).astype(str).astype(object)
            elif isinstance(question, SingleChoice):
                column = _choice(rng, [o.value for o in question.options], shift, n)
            elif isinstance(question, MultipleChoice):
                options = [o.value for o in question.options][:-1]
                picks = rng.random((n, len(options))) < 0.5
                column = np.array([";".join(o for o, p in zip(options, row) if p) or options[0] for row in picks],
                                  dtype=object)
            else:  # Number
                column = rng.integers(int(question.min), int(min(question.max, 100)) + 1, n).astype(str).astype(object)
            if question.show_if is not None:  # hidden questions have no answer, as in the app
                target = columns.get(question.show_if.item, np.full(n, None))
                column[[not chosen_values(v) & question.show_if.values for v in target]] = None
            columns[question.id] = column
    return columns


def generate(campaign, n: int, *, seed: int = 2026, items: set[str] | None = None, cohorts: int = 2,
             retention: tuple[float, float, float] = (0.92, 0.75, 0.6), chunk: int = 20_000) -> Generated:
    """Enrol ``n`` GPs in ``campaign`` with realistic progress and answers; the caller commits.

    About 93% consent to research use and 2% later withdraw; by default 92% submit the baseline,
    75% of those the post survey and 60% of those the follow-up (``retention``); a few leave a
    later wave unsubmitted.
    ``items`` limits the answered items (the benchmark answers 40 per wave). GPs are written
    ``chunk`` at a time so that memory stays flat however many are asked for.
    """
    rng = np.random.default_rng(seed)
    stored = campaign_version(campaign)  # the version the campaign is pinned to (the live file if none)
    version_id, definition = stored.id, definition_of(stored)
    cohort_ids = []
    for index in range(cohorts):
        cohort = Cohort(campaign_id=campaign.id, name=f"Cohort {chr(65 + index)}",
                        enrolment_code=f"C{campaign.id}X{index}{rng.integers(10**6)}")
        db.session.add(cohort)
        db.session.flush()
        cohort_ids.append(cohort.id)
    modules = [(slug, module_version(library().modules[slug]).id) for slug in campaign.module_slugs]
    parts = [_chunk(rng, campaign, definition, version_id, modules, cohort_ids, size, items, retention)
             for size in [chunk] * (n // chunk) + ([n % chunk] if n % chunk else [])]
    generated = Generated(
        enrolment_ids=np.concatenate([p.enrolment_ids for p in parts]), codes=sum((p.codes for p in parts), []),
        included=np.concatenate([p.included for p in parts]),
        submitted={w: np.concatenate([p.submitted[w] for p in parts]) for w in ("pre", "post", "follow_up")},
        answers=sum(p.answers for p in parts),
    )
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # fresh statistics, as autovacuum would give a live database
    return generated


def _chunk(rng, campaign, definition, version_id: int, modules, cohort_ids, n: int, items, retention) -> Generated:
    user0, enrolment0 = _next_id(User), _next_id(Enrolment)
    uids, eids = np.arange(user0, user0 + n), np.arange(enrolment0, enrolment0 + n)
    consent = rng.random(n) < 0.93
    withdrawn = rng.random(n) < 0.02
    bulk_insert(User, ["id", "name", "email", "gmc_number", "password_hash", "role", "session_token", "created_at"],
                [(int(u), f"Dr Generated {u}", f"gen{u}@example.org", f"{1000000 + int(u)}", PASSWORD_HASH, "gp",
                  f"tok{u}", START) for u in uids])
    codes = [f"G{int(e):09d}" for e in eids]
    cohort_of = rng.choice(np.array(cohort_ids + [None], dtype=object), size=n)
    profile = [{key: str(rng.choice(values)) for key, values in PROFILE.items() if rng.random() < 0.95}
               for _ in range(n)]
    bulk_insert(Enrolment, ["id", "user_id", "campaign_id", "participant_code", "consent_version", "consent_text",
                            "consented_at", "research_consent", "withdrawn_at", "cohort_id", "profile", "created_at"],
                [(int(e), int(u), campaign.id, codes[i], "v1", "You agree to take part.", START, bool(consent[i]),
                  START + timedelta(days=30) if withdrawn[i] else None, cohort_of[i], profile[i], START)
                 for i, (u, e) in enumerate(zip(uids, eids))])
    reached = {"pre": rng.random(n) < retention[0]}
    reached["post"] = reached["pre"] & (rng.random(n) < retention[1])
    reached["follow_up"] = reached["post"] & (rng.random(n) < retention[2])
    traits = {scale.key: rng.normal(0, 0.7, n) for scale in definition.scales}
    cases = _case_sets(campaign, definition, eids)
    response_rows, answer_rows = [], []
    response_id = _next_id(Response)
    for wave, shift in (("pre", 0.0), ("post", 1.0), ("follow_up", 0.8)):
        wave_traits = {key: value + rng.normal(0, 0.35, n) for key, value in traits.items()}
        columns = _wave_columns(rng, definition, wave, wave_traits, shift, items)
        _leave_out_cases(columns, definition, cases)
        rows = np.flatnonzero(reached[wave] | (rng.random(n) < 0.03))  # a few only started
        ids = np.full(n, -1)
        ids[rows] = np.arange(response_id, response_id + len(rows))
        response_id += len(rows)
        when = START + timedelta(days={"pre": 0, "post": 20, "follow_up": 115}[wave])
        response_rows += [(int(ids[i]), int(eids[i]), wave, version_id, 1, when, when,
                           when if reached[wave][i] else None) for i in rows]
        for item, column in columns.items():
            keep = (ids >= 0) & (column != None)  # noqa: E711 - elementwise on an object array
            answer_rows += zip(ids[keep].tolist(), [item] * int(keep.sum()), column[keep].tolist())
    bulk_insert(Response, ["id", "enrolment_id", "wave", "instrument_version_id", "current_section", "started_at",
                           "updated_at", "submitted_at"], response_rows)
    answer_rows.sort(key=lambda row: row[0])  # as the app saves them: a response's answers together
    bulk_insert(Answer, ["response_id", "item_id", "value"], answer_rows)
    _progress(rng, eids, reached, modules)
    return Generated(eids, codes, consent & ~withdrawn, reached, len(answer_rows))


def _case_sets(campaign, definition, eids) -> list[tuple[str, ...]] | None:
    """Under matrix sampling, each GP's cases by the app's rule (the next places of the campaign's
    sequence, in enrolment order), stored as the app stores them; None when every GP answers every case."""
    if definition.vignette_sampling is None:
        return None
    ids = [v.id for v in definition.sampled_vignettes()]
    first = db.session.scalar(select(func.coalesce(func.max(CaseSetAssignment.position) + 1, 0))
                              .where(CaseSetAssignment.campaign_id == campaign.id))
    sets = [assigned_case_set(campaign.assignment_seed, ids, definition.vignette_sampling.per_gp, first + i)
            for i in range(len(eids))]
    bulk_insert(CaseSetAssignment, ["campaign_id", "enrolment_id", "position", "vignette_ids", "assigned_at"],
                [(campaign.id, int(e), first + i, ",".join(sets[i]), START) for i, e in enumerate(eids)])
    return sets


def _leave_out_cases(columns: dict[str, np.ndarray], definition, cases) -> None:
    """No answers to the cases a GP was not given."""
    for vignette in definition.sampled_vignettes() if cases is not None else []:
        not_given = np.array([vignette.id not in mine for mine in cases])
        for question in vignette.questions:
            if question.id in columns:
                columns[question.id][not_given] = None


def _progress(rng, eids, reached, modules) -> None:
    """Every module complete for GPs who reached post, some for those who stopped; reflections, certificates."""
    n = len(eids)
    started = reached["post"] | (reached["pre"] & (rng.random(n) < 0.3))
    done_at = START + timedelta(days=10)
    rows = []
    for slug, version_id in modules:
        complete = reached["post"] | (started & (rng.random(n) < 0.5))
        rows += [(int(eids[i]), slug, version_id, 1, 1, 600, done_at if complete[i] else None,
                  80 if complete[i] else None, done_at if complete[i] else None, START, START)
                 for i in np.flatnonzero(started)]
    bulk_insert(ModuleProgress, ["enrolment_id", "module_slug", "module_version_id", "current_page", "furthest_page",
                                 "seconds_spent", "pages_completed_at", "best_score", "passed_at", "created_at",
                                 "updated_at"], rows)
    reflected = reached["post"] & (rng.random(n) < 0.9)
    bulk_insert(Reflection, ["enrolment_id", "text", "created_at", "updated_at"],
                [(int(e), "I will ask about work.", START, START) for e in eids[reflected]])
    certified = reflected & (rng.random(n) < 0.95)
    bulk_insert(Certificate, ["code", "enrolment_id", "scope", "holder_name", "gmc_number", "activity_title",
                              "module_titles", "learning_outcomes", "credits", "completed_at", "issued_at"],
                [(f"GEN{int(e):012d}", int(e), "campaign", "Dr Generated", "1000000", "Generated campaign", "", "",
                  1.0, START, START) for e in eids[certified]])
