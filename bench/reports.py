"""Benchmark: a campaign's report (JSON API) and its PDF at 1,000 / 10,000 / 100,000 GPs in PostgreSQL.

Not a test. For each size it creates its own database, builds the schema through the
migrations, generates the GPs with tests/reports/datagen.py (bulk COPY; every GP answers all
three waves, 40 items each, so n x 120 answers), then measures in a fresh subprocess, so that
peak memory is the report's alone:

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

    .venv/bin/python bench/reports.py [--sizes 1000 10000 100000] [--runs 5] [--pdf-runs 2]
        [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Targets at 10,000 GPs (1.2 million answers): JSON median under 3 s, peak memory under 1 GB,
growing no worse than linearly.
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


def measure(url: str, runs: int, pdf_runs: int) -> dict:
    """Run in a fresh process: timed requests as the charity user, then memory."""
    app = app_for(url)
    client = app.test_client()
    with app.app_context():
        # Charities read published releases: publishing is now the expensive step, timed once.
        from sqlalchemy import select

        from survey.campaigns.models import Campaign
        from survey.extensions import db
        from survey.reports.releases import publish_release

        wall = time.perf_counter()
        publish_release(None, db.session.scalar(select(Campaign).where(Campaign.slug == "bench")))
        db.session.commit()
        publish_s = time.perf_counter() - wall
        login = client.post("/login", data={"email": "charity@bench.example", "password": PASSWORD})
        assert login.status_code == 302, login.status_code

        def timed(path: str) -> tuple[float, float, bytes]:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return time.perf_counter() - wall, time.process_time() - cpu, response.data

        api, pdf = "/api/v1/campaigns/bench/report", "/charity/reports/bench/report.pdf"
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
        "publish_s": publish_s, "json_first_s": first,
        "json_median_s": statistics.median(t for t, _ in json_runs), "json_max_s": max(t for t, _ in json_runs),
        "json_cpu_median_s": statistics.median(c for _, c in json_runs),
        "pdf_median_s": statistics.median(t for t, _ in pdf_times),
        "pdf_cpu_median_s": statistics.median(c for _, c in pdf_times),
        "json_traced_mb": json_traced, "pdf_traced_mb": pdf_traced, "json_rss_mb": json_rss,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "json_kb": len(body) / 1024,
        "enrolled": next(row["n"] for row in report["funnel"] if row["stage"] == "enrolled"),
    }


def bench_size(admin_url: str, n: int, runs: int, pdf_runs: int) -> dict:
    name = f"survey_bench_{n}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        row = {"gps": n, **populate(url, n)}
        child = subprocess.run([sys.executable, __file__, "--measure", url, "--runs", str(runs),
                                "--pdf-runs", str(pdf_runs)], capture_output=True, text=True, check=False)
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
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.pdf_runs)))
        return
    engine = create_engine(args.admin_url)
    with engine.connect() as connection:
        server = connection.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    print(f"Machine: {machine()}; PostgreSQL {server}\n")
    print("| GPs | answers | consenting (release, base 5) | generate (s) | publish (s) | JSON median (s) | JSON max (s) | JSON CPU (s) | first (s) "
          "| PDF median (s) | JSON traced peak (MB) | PDF traced peak (MB) | max RSS after JSON (MB) | max RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        r = bench_size(args.admin_url, n, args.runs, args.pdf_runs)
        print(f"| {r['gps']:,} | {r['answers']:,} | {r['enrolled']:,} | {r['generate_s']:.0f} | {r['publish_s']:.2f} | "
              f"{r['json_median_s']:.2f} | {r['json_max_s']:.2f} | {r['json_cpu_median_s']:.2f} | "
              f"{r['json_first_s']:.2f} | {r['pdf_median_s']:.2f} | {r['json_traced_mb']:.0f} | "
              f"{r['pdf_traced_mb']:.0f} | {r['json_rss_mb']:.0f} | {r['max_rss_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
