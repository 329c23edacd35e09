"""Benchmark: CPD certificate PDFs against a one-line WeasyPrint document ("floor").

Not a test. Renders COUNT certificates with varied data the way the PDF view does
(QR code, Jinja2 template, WeasyPrint) interleaved with COUNT renders of a minimal
one-page document through the same render_pdf, then reports median and 95th percentile
seconds for each, their ratio, and peak memory: tracemalloc (Python allocations, in a
separate pass over 5 certificates, as tracing slows rendering ~10x) and getrusage's max
RSS. The load average is printed too: on a shared machine, other work inflates both.

    .venv/bin/python bench/certificates.py [--count 200] [--seed 2026] [--fonttools]

--fonttools makes WeasyPrint subset fonts with fontTools even where the system has
libharfbuzz-subset, as on a machine without it (that library changes the figures a lot:
it makes every font subset ~40-90 ms cheaper, the floor included).

Targets: certificate median under 0.5 s and within 3x of the floor median; exits 1
when one is missed.
"""
import argparse
import io
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import jinja2  # noqa: E402
import pypdf  # noqa: E402

from survey.certificates.pdf import render_certificate_pdf, render_pdf  # noqa: E402

FLOOR_HTML = "<!DOCTYPE html><html><body><p>Floor: one line of text.</p></body></html>"
NAMES = ["Dr Amelia Okonkwo-Hartley", "Dr Jo Li", "Dr Siobhán Ní Bhriain", "Dr Rajesh Venkataraman",
         "Professor Dr Maximilian Featherstonehaugh", "Dr Zoë Åkesson", "Dr Kwame Mensah-Bonsu"]
TITLES = ["Work as a health outcome", "Mental health conditions and work", "Musculoskeletal conditions and work",
          "Cancer and work", "Referring to vocational support", "The fit note in practice"]
OUTCOMES = [
    "Explain the evidence that good work is generally good for physical and mental health.",
    'Choose between "not fit for work" and "may be fit for work" for a given patient, and write functional '
    "advice using the four tick boxes and the comments box.",
    "Raise work early in a consultation, explore the patient's expectations and fears, and agree a "
    "return-to-work plan with a task and a review date.",
    "Describe the employment gap for people with severe mental illness and explain how clinicians' low "
    "expectations and stigma contribute, including evidence that such attitudes can be measured and changed.",
    "State the principles of Individual Placement and Support.",
    "Use the STarT Back tool and the yellow, blue and black flags to identify patients at risk of long-term "
    "work absence and match support to their level of risk.",
    "Explain to a patient with cancer that the Equality Act 2010 treats cancer as a disability from diagnosis "
    "and what the employer's duty to make reasonable adjustments means for them.",
    "Name the four barriers GPs report to vocational referral.",
]
CHARITIES = [(None, None), ("The Healthy Working Lives Trust", "#0b7a75"), ("Back to Work UK", "#7a2e0b"),
             ("Mind the Gap Foundation", None)]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def make_cert(rng: random.Random) -> SimpleNamespace:
    code = "".join(rng.choice(CODE_ALPHABET) for _ in range(20))
    charity_name, charity_colour = rng.choice(CHARITIES)
    return SimpleNamespace(
        holder_name=rng.choice(NAMES), gmc_number=str(rng.randint(1000000, 7999999)),
        activity_titles=rng.sample(TITLES, rng.randint(1, 5)),
        learning_outcomes=[rng.choice(OUTCOMES) for _ in range(rng.randint(1, 12))],
        credits=rng.choice([0.5, 1.0, 1.5, 2.0, 2.5]), completed_on=date(2026, 1, 1) + timedelta(rng.randint(0, 364)),
        issuer="Work & Health Learning", charity_name=charity_name, charity_colour=charity_colour,
        reflection_recorded=rng.random() < 0.8, code="-".join(code[i:i + 5] for i in range(0, 20, 5)),
        verify_url=f"https://cpd.workandhealth.example/verify/{code}")


def certificate_pdf(template: jinja2.Template, cert: SimpleNamespace) -> bytes:
    """What the PDF view does: QR code, template, tagged one-page PDF."""
    return render_certificate_pdf(template.render, cert, cert.verify_url)


def timed(function, *args) -> tuple[float, bytes]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def summary(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=100, method="inclusive")[94]


def machine(forced_fonttools: bool) -> str:
    from weasyprint.pdf.fonts import harfbuzz_subset
    subsetter = ("HarfBuzz-Subset" if harfbuzz_subset is not None else
                 "fontTools (forced by --fonttools)" if forced_fonttools else "fontTools (no libharfbuzz-subset)")
    return (f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs; "
            f"Python {platform.python_version()}; WeasyPrint {version('weasyprint')}, pydyf {version('pydyf')}, "
            f"fontTools {version('fonttools')}, segno {version('segno')}; font subsetting with {subsetter}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--fonttools", action="store_true", help="subset fonts with fontTools, not HarfBuzz")
    args = parser.parse_args()
    if args.fonttools:
        import weasyprint.pdf.fonts
        weasyprint.pdf.fonts.harfbuzz_subset = None  # what WeasyPrint checks before each subset
    rng = random.Random(args.seed)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PROJECT / "templates"), autoescape=True)
    template = env.get_template("certificates/certificate_pdf.html")
    certs = [make_cert(rng) for _ in range(args.count)]

    cold, _ = timed(certificate_pdf, template, certs[0])  # loads fonts, caches: reported apart
    for _ in range(3):
        render_pdf(FLOOR_HTML)
        certificate_pdf(template, certs[0])
    load_before = os.getloadavg()[0]

    cert_times, floor_times, page_counts = [], [], []
    for cert in certs:  # interleaved, so that both see the same machine noise
        seconds, data = timed(render_pdf, FLOOR_HTML)
        floor_times.append(seconds)
        seconds, data = timed(certificate_pdf, template, cert)
        cert_times.append(seconds)
        page_counts.append(len(pypdf.PdfReader(io.BytesIO(data)).pages))

    traced = certs[:5]
    tracemalloc.start()
    for cert in traced:
        certificate_pdf(template, cert)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    cert_median, cert_p95 = summary(cert_times)
    floor_median, floor_p95 = summary(floor_times)
    ratio = cert_median / floor_median
    multi = sum(1 for pages in page_counts if pages != 1)
    print(machine(args.fonttools))
    print(f"load average (1 min): {load_before:.2f} before the timed renders, {os.getloadavg()[0]:.2f} after")
    print(f"renders: {args.count} certificates and {args.count} floor documents, interleaved (seed {args.seed})")
    print(f"certificate: median {cert_median:.3f} s, p95 {cert_p95:.3f} s, min {min(cert_times):.3f} s, "
          f"max {max(cert_times):.3f} s; first (cold) render {cold:.3f} s")
    print(f"floor:       median {floor_median:.3f} s, p95 {floor_p95:.3f} s")
    print(f"ratio certificate/floor median: {ratio:.2f}x")
    print(f"pages: {args.count - multi} certificates on one page, {multi} on more")
    print(f"memory: tracemalloc peak {traced_peak / 2**20:.1f} MiB over {len(traced)} certificates; "
          f"max RSS {max_rss_kib / 1024:.0f} MiB (whole process)")
    ok = cert_median < 0.5 and ratio <= 3
    print(f"targets (median < 0.5 s, within 3x of floor): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
