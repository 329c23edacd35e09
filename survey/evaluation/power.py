"""How many GPs a campaign needs: power of the t test, as R's ``power.t.test`` computes it.

Pure: no Flask, no database. Checked against R (``tests/evaluation/fixtures/power.csv``, made by
``make_reference.R``).

Designs:
* ``"paired"`` (before and after in one group): the change score's SD is ``sd * sqrt(2 * (1 - r))``
  for a correlation ``r`` between the waves.
* ``"two-arm"`` (course now versus delayed start, analysed by ANCOVA on the baseline): adjusting for a
  baseline that correlates ``r`` with the outcome leaves ``sd * sqrt(1 - r ** 2)`` of residual SD (Borm,
  Fransen and Lemmens 2007, J Clin Epidemiol 60:1234); ``r = 0`` is the plain two-sample t test.
Attrition inflates the number to enrol so that the expected number analysed is still enough.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize, stats

DESIGNS = ("paired", "two-arm")


def t_test_power(n: float, delta: float, sd: float = 1.0, alpha: float = 0.05, design: str = "two-arm") -> float:
    """Power of a two-sided t test with ``n`` per group (two-arm) or ``n`` pairs (paired), as R's
    ``power.t.test(strict = FALSE)``: the probability of exceeding the upper critical value only."""
    groups = 2 if design == "two-arm" else 1
    df = (n - 1) * groups
    ncp = math.sqrt(n / groups) * delta / sd
    critical = stats.t.isf(alpha / 2, df)
    return float(stats.nct.sf(critical, df, ncp))


def n_for_power(delta: float, sd: float = 1.0, power: float = 0.8, alpha: float = 0.05,
                design: str = "two-arm") -> float:
    """The (fractional) n per group, or number of pairs, that gives ``power``: R's power.t.test(n = NULL)."""
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {DESIGNS}")
    if not (delta > 0 and sd > 0 and 0 < alpha < 1 and 0 < power < 1):
        raise ValueError("delta and sd must be positive, alpha and power between 0 and 1")
    return float(optimize.brentq(lambda n: t_test_power(n, delta, sd, alpha, design) - power,
                                 2, 1e7, xtol=1e-12, rtol=1e-14))


@dataclass(frozen=True)
class Plan:
    """A campaign's sample size: who must be analysed and who must be enrolled."""

    design: str
    power: float
    effective_sd: float  #: the SD the test works with after the design's use of the baseline
    analysed_per_group: int  #: per arm (two-arm) or pairs in all (paired)
    analysed: int  #: everyone analysed
    enrol: int  #: to enrol, allowing for attrition


def plan(effect: float, sd: float = 1.0, correlation: float = 0.5, attrition: float = 0.2, power: float = 0.8,
         alpha: float = 0.05, design: str = "two-arm") -> Plan:
    """How many GPs to analyse and enrol to detect ``effect`` (in scale points; with ``sd = 1`` it is d).

    ``correlation`` is the expected correlation between waves; ``attrition`` the share expected to
    leave before the outcome measure. Numbers are rounded up to whole GPs.
    """
    if not (-1 < correlation < 1 and 0 <= attrition < 1):
        raise ValueError("correlation must be between -1 and 1, attrition from 0 to under 1")
    effective_sd = sd * (math.sqrt(2 * (1 - correlation)) if design == "paired" else math.sqrt(1 - correlation ** 2))
    per_group = math.ceil(n_for_power(effect, effective_sd, power, alpha, design) - 1e-9)
    analysed = per_group * (2 if design == "two-arm" else 1)
    return Plan(design=design, power=power, effective_sd=effective_sd, analysed_per_group=per_group,
                analysed=analysed, enrol=math.ceil(analysed / (1 - attrition) - 1e-9))
