"""Benchmark: a campaign's report (JSON API) and its PDF at 1,000 / 10,000 / 100,000 GPs in PostgreSQL.

Not a test. For each size it creates its own database, builds the schema through the
migrations, generates the GPs with tests/reports/datagen.py (bulk COPY; every GP answers all
three waves, 40 items each, so n x 120 answers), then measures in a fresh subprocess, so that
peak memory is the report's alone:

* the full report's JSON (bulk read, build, serialise: what one cache build costs, see
  survey/reports/cache.py) against the floor (bench/report_floor.py: one query of packed integers
  scored with the same paired statistics, checked to reproduce the report's numbers), interleaved
  run by run in the same process, median of --runs after a warm-up, as a ratio, with the machine's
  load average (os.getloadavg) before and after; then the admin's cached view through the API and
  the cost of the data-version check every view makes;
* publishing the charity's release once (the whole report plus the disclosure checks), then the
  release JSON as the owning charity gets it (GET /api/v1/campaigns/<slug>/report, a stored
  snapshot since charities read releases), median and max of --runs timed requests after one warm-up;
* the charity's PDF (GET .../report.pdf), median of --pdf-runs;
* peak memory: tracemalloc (Python allocations, in a separate untimed request) and
  getrusage's max RSS after the JSON requests and after the PDFs;
* wall time and CPU time of the process, because the machine may be shared.

After generating, the database is vacuumed and analysed (as autovacuum leaves a live one), so
that a vacuum of the fresh rows does not run during the timed requests.

The database is dropped afterwards.

    .venv/bin/python bench/reports.py [--sizes 1000 10000 100000] [--runs 5] [--pdf-runs 2] [--no-release]
        [--report-json DIR]
        [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Targets: the full report's JSON at most 1.5x the floor at 10,000 and 100,000 GPs; a cached view well
under 2 s at any size. At 10,000 GPs (1.2 million answers): release JSON median under 3 s, peak
memory under 1 GB, growing no worse than linearly.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("SURVEY_ENV", "testing")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PASSWORD = "bench-password-1"
#: 40 items per wave: seven scales (36 Likert items) and the fit-note and referral decisions of two vignettes.
SCALES = ("work_health_outcome", "expect_cancer", "expect_smi", "expect_cmhc", "expect_msk", "gp_role",
          "attitude_referral")
DECISIONS = ("vc_fit_note", "vc_refer", "vs_fit_note", "vs_refer")


def app_for(url: str):
    from survey import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost", "MAIL_BACKEND": "console"})


def populate(url: str, n: int) -> dict:
    """Schema, a charity with its user, a campaign with two modules and ``n`` generated GPs."""
    from flask_migrate import upgrade

    from survey.auth import services as accounts
    from survey.campaigns import services as campaigns
    from survey.extensions import db
    from survey.library import library
    from survey.organisations.models import Organisation
    from tests.reports.datagen import generate

    app = app_for(url)
    with app.app_context():
        upgrade()
        organisation = Organisation(slug="bench-charity", name="Bench Charity", colour="#7a2e0b")
        db.session.add(organisation)
        db.session.flush()
        charity = accounts.create_user("Bench Charity", "charity@bench.example", PASSWORD, "charity", None)
        charity.organisation_id = organisation.id
        accounts.create_user("Bench Admin", "admin@bench.example", PASSWORD, "admin", None)
        campaign = campaigns.create_campaign(
            slug="bench", title="Benchmark campaign", instrument_slug="gp-work-health-attitudes",
            module_slugs=["work-as-health-outcome", "cancer-and-work"], consent_version="v1", consent_text="Bench.")
        campaign.organisation_id = organisation.id
        campaign.enrolment_fields = ["gp_role", "nhs_region"]
        campaign.instrument_version = 1  # the published figures are for version 1's 40-item subset
        definition = library().archived[("gp-work-health-attitudes", 1)].data
        items = {i for s in definition.scales if s.key in SCALES for i in s.items} | set(DECISIONS)
        assert len(items) == 40
        started = time.perf_counter()
        generated = generate(campaign, n, seed=n, items=items, retention=(1.0, 1.0, 1.0))
        db.session.commit()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as connection:  # the steady state of a live database, not autovacuum mid-run
        connection.execute(text("VACUUM ANALYZE"))
    vacuum.dispose()
    return {"answers": generated.answers, "included": int(generated.included.sum()), "generate_s": seconds}


def _median_pair(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in runs), statistics.median(c for _, c in runs)


def _timed(function) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure_full_report(runs: int) -> dict:
    """The full report's JSON (read + build + serialise, what a cache build costs) against the floor,
    interleaved run by run so both see the same machine; then a cached view through the API."""
    from sqlalchemy import select

    from bench.report_floor import floor_changes
    from survey.campaigns.models import Campaign
    from survey.extensions import db
    from survey.reports import cache
    from survey.reports.analysis import build_report
    from survey.reports.services import dataset_for
    from survey.surveys.versions import campaign_definition

    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "bench"))
    definition = campaign_definition(campaign)
    load_start = os.getloadavg()[0]
    floor_runs, report_runs = [], []
    for _ in range(runs + 1):  # the first of each is a warm-up
        wall, cpu, floor = _timed(lambda: floor_changes(campaign.id, definition))
        floor_runs.append((wall, cpu))
        wall, cpu, body = _timed(lambda: json.dumps(build_report(dataset_for(campaign)), allow_nan=False))
        report_runs.append((wall, cpu))
        db.session.rollback()
    report = json.loads(body)
    if os.environ.get("BENCH_REPORT_JSON"):  # --report-json: the numbers, to compare two commits' builds
        Path(os.environ["BENCH_REPORT_JSON"]).write_text(
            json.dumps({k: v for k, v in report.items() if k != "generated_at"}, sort_keys=True))
    rows = {(c["from"], c["to"], s["scale"]): s for c in report["comparisons"] for s in c["scales"]}
    differ = [(key, name) for key, found in floor.items() for name, value in found.items()
              if value != rows[key][name] and value == value]  # NaN is never equal to itself
    assert not differ, f"the floor does not reproduce the report: {differ[:5]}"
    version_s = statistics.median(_timed(lambda: cache.data_version(campaign, None))[0] for _ in range(5))
    cache.rebuild(campaign.id)  # stores the report, so that the API's view below is a cache hit
    return {"load_start": load_start, "load_end": os.getloadavg()[0],
            "floor": _median_pair(floor_runs[1:]), "report": _median_pair(report_runs[1:]),
            "data_version_s": version_s}


def measure(url: str, runs: int, pdf_runs: int, release: bool) -> dict:
    """Run in a fresh process: the full report against the floor, timed requests as the admin and the
    charity user, then memory."""
    app = app_for(url)
    client = app.test_client()
    with app.app_context():
        from sqlalchemy import select

        from survey.campaigns.models import Campaign
        from survey.extensions import db
        from survey.reports.releases import publish_release

        found = measure_full_report(runs)

        def timed(path: str) -> tuple[float, float, bytes]:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return time.perf_counter() - wall, time.process_time() - cpu, response.data

        api, pdf = "/api/v1/campaigns/bench/report", "/charity/reports/bench/report.pdf"
        login = client.post("/login", data={"email": "admin@bench.example", "password": PASSWORD})
        assert login.status_code == 302, login.status_code
        found["cached_s"] = statistics.median(timed(api)[0] for _ in range(runs))
        client.post("/logout")
        if not release:
            return found
        wall = time.perf_counter()
        publish_release(None, db.session.scalar(select(Campaign).where(Campaign.slug == "bench")))
        db.session.commit()
        publish_s = time.perf_counter() - wall
        login = client.post("/login", data={"email": "charity@bench.example", "password": PASSWORD})
        assert login.status_code == 302, login.status_code

        first, _, body = timed(api)
        json_runs = [timed(api)[:2] for _ in range(runs)]
        json_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pdf_times = [timed(pdf)[:2] for _ in range(pdf_runs)]
        tracemalloc.start()
        client.get(api)
        json_traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        client.get(pdf)
        pdf_traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    report = json.loads(body)
    return {
        **found, "publish_s": publish_s, "json_first_s": first,
        "json_median_s": statistics.median(t for t, _ in json_runs), "json_max_s": max(t for t, _ in json_runs),
        "json_cpu_median_s": statistics.median(c for _, c in json_runs),
        "pdf_median_s": statistics.median(t for t, _ in pdf_times),
        "pdf_cpu_median_s": statistics.median(c for _, c in pdf_times),
        "json_traced_mb": json_traced, "pdf_traced_mb": pdf_traced, "json_rss_mb": json_rss,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "json_kb": len(body) / 1024,
        "enrolled": next(row["n"] for row in report["funnel"] if row["stage"] == "enrolled"),
    }


def bench_size(admin_url: str, n: int, runs: int, pdf_runs: int, release: bool, report_json: str | None) -> dict:
    name = f"survey_bench_{n}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    if report_json:
        os.environ["BENCH_REPORT_JSON"] = str(Path(report_json) / f"report-{n}.json")
    try:
        row = {"gps": n, **populate(url, n)}
        child = subprocess.run([sys.executable, __file__, "--measure", url, "--runs", str(runs),
                                "--pdf-runs", str(pdf_runs)] + ([] if release else ["--no-release"]),
                               capture_output=True, text=True, check=False)
        if child.returncode:
            raise RuntimeError(child.stderr[-3000:])
        row.update(json.loads(child.stdout.strip().splitlines()[-1]))
        return row
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 2**20
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, load average at start {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=2)
    parser.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-release", action="store_true",
                        help="measure only the full report against the floor, not the charity's release and PDF")
    parser.add_argument("--report-json", metavar="DIR",
                        help="write each size's full report (without generated_at) to DIR/report-N.json, so that "
                             "two commits' numbers can be compared with cmp")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.pdf_runs, not args.no_release)))
        return
    engine = create_engine(args.admin_url)
    with engine.connect() as connection:
        server = connection.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    print(f"Machine: {machine()}; PostgreSQL {server}\n")
    rows = [bench_size(args.admin_url, n, args.runs, args.pdf_runs, not args.no_release, args.report_json)
            for n in args.sizes]
    print("Full report JSON (read, build, serialise: what one cache build costs) against the floor "
          "(bench/report_floor.py), medians of interleaved runs after a warm-up:\n")
    print("| GPs | answers | load average (start, end) | floor (s) | floor CPU (s) | report JSON (s) | report CPU (s) "
          "| ratio | CPU ratio | cached view (s) | data version (s) |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        (floor, floor_cpu), (report, report_cpu) = r["floor"], r["report"]
        print(f"| {r['gps']:,} | {r['answers']:,} | {r['load_start']:.1f}, {r['load_end']:.1f} | {floor:.2f} | "
              f"{floor_cpu:.2f} | {report:.2f} | {report_cpu:.2f} | {report / floor:.2f}x | "
              f"{report_cpu / floor_cpu:.2f}x | {r['cached_s']:.3f} | {r['data_version_s']:.3f} |")
    if args.no_release:
        return
    print("\nThe charity's release:\n")
    print("| GPs | answers | consenting (release, base 5) | generate (s) | publish (s) | JSON median (s) | JSON max (s) | JSON CPU (s) | first (s) "
          "| PDF median (s) | JSON traced peak (MB) | PDF traced peak (MB) | max RSS after JSON (MB) | max RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['gps']:,} | {r['answers']:,} | {r['enrolled']:,} | {r['generate_s']:.0f} | {r['publish_s']:.2f} | "
              f"{r['json_median_s']:.2f} | {r['json_max_s']:.2f} | {r['json_cpu_median_s']:.2f} | "
              f"{r['json_first_s']:.2f} | {r['pdf_median_s']:.2f} | {r['json_traced_mb']:.0f} | "
              f"{r['pdf_traced_mb']:.0f} | {r['json_rss_mb']:.0f} | {r['max_rss_mb']:.0f} |", flush=True)

if __name__ == "__main__":
    main()
