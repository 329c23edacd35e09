"""The app's processes use one BLAS thread each unless the operator sets OPENBLAS_NUM_THREADS (survey/__init__.py):
extra threads only spin on the cores the other processes need while a report multiplies its small matrices."""
import glob
import os
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

PROJECT = Path(__file__).resolve().parent.parent
OPENBLAS = glob.glob(str(Path(numpy.__file__).parent.parent / "numpy.libs" / "libscipy_openblas64_*.so"))
#: What numpy's OpenBLAS reports in a fresh process that imports the app first, as gunicorn and huey do.
PROBE = ("import ctypes, survey, numpy; "
         f"print(ctypes.CDLL({OPENBLAS[0] if OPENBLAS else ''!r}).scipy_openblas_get_num_threads64_())")

pytestmark = pytest.mark.skipif(not OPENBLAS, reason="numpy is not linked to the scipy-openblas wheel library")


def blas_threads(**environment: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | environment
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT, env=env, capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def test_the_app_uses_one_blas_thread_by_default():
    assert blas_threads() == 1


def test_the_operator_can_choose_more_blas_threads():
    assert blas_threads(OPENBLAS_NUM_THREADS="2") == 2
