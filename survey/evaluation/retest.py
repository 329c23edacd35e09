"""Who is drawn for the test-retest mini-wave, and when their retest opens. Pure: no Flask, no database.

The draw is reproducible and balanced: permuted blocks (``allocation.allocation_sequence``) in which
each block holds exactly the campaign's share of "retest" places, so after every completed block the
subsample is exactly that share. Each GP takes the next place when their baseline is submitted.
Block sizes vary (one or two base blocks) so that the next draw cannot be read from the previous ones.
"""
from math import gcd

from survey.evaluation.allocation import allocation_sequence

SELECTED, NOT_SELECTED = "retest", "no_retest"
#: Whole percentages an educator may choose: multiples of 5 keep a block at most 20 GPs long.
PERCENT_STEP, PERCENT_MIN, PERCENT_MAX = 5, 5, 50
#: Days after the baseline: at least a week, so few GPs remember their answers; at most four weeks,
#: so that fewer GPs have opened a module (which closes their retest) and their views have had little
#: time to change for other reasons. 14, the default, is the middle of that range.
DAYS_MIN, DAYS_DEFAULT, DAYS_MAX = 7, 14, 28
STREAM = "retest"  #: the draw's own stream of the campaign's seed, apart from the vignettes'


def base_block(percent: int) -> tuple[int, int]:
    """(GPs in the smallest balanced block, of whom drawn) for a share in whole percent: 20% -> (5, 1)."""
    if not 0 < percent <= 100:
        raise ValueError("the share must be between 1 and 100 percent")
    common = gcd(percent, 100)
    return 100 // common, percent // common


def draw_sequence(seed: int | str, percent: int, length: int) -> list[bool]:
    """The first ``length`` places of a campaign's draw: True where the GP at that place is retested."""
    size, drawn = base_block(percent)
    places = (SELECTED,) * drawn + (NOT_SELECTED,) * (size - drawn)
    return [place == SELECTED for place in
            allocation_sequence(str(seed), STREAM, length, arms=places, block_sizes=(size, 2 * size))]


def drawn_at(seed: int | str, percent: int, position: int) -> bool:
    """Whether the GP at ``position`` (from 0) of the campaign's draw is retested."""
    return draw_sequence(seed, percent, position + 1)[position]
