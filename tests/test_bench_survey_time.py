"""bench/survey_time.py, the scripted run behind the README's minutes per wave, still runs.

It is not run by anything else, so without this an app change (e.g. a new required enrolment
question) breaks it silently, as it once did.
"""
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_the_scripted_run_times_every_wave_for_every_simulated_gp():
    run = subprocess.run([sys.executable, "bench/survey_time.py", "--gps", "3", "--seed", "1"], cwd=PROJECT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = dict((wave, (int(n), float(median))) for wave, n, median in
                re.findall(r"^(pre|post|follow_up)\s+(\d+)\s+([\d.]+)\s+[\d.]+$", run.stdout, re.M))
    assert set(rows) == {"pre", "post", "follow_up"}, run.stdout
    for wave, (n, median) in rows.items():
        assert n == 3, (wave, run.stdout)
        assert 3 <= median <= 20, (wave, median)  # minutes: a broken timer gives 0 or hours
