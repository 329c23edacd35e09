"""Allocation to arms: reproducible from the seed, balanced in every block and stratum, unpredictable."""
from collections import Counter

import pytest

from survey.evaluation.allocation import allocation_sequence, arm_for


def test_the_same_seed_gives_the_same_allocations_and_another_seed_others():
    first = allocation_sequence("campaign-secret", "cohort-1", 200)
    assert first == allocation_sequence("campaign-secret", "cohort-1", 200)
    assert first != allocation_sequence("another-secret", "cohort-1", 200)
    assert first != allocation_sequence("campaign-secret", "cohort-2", 200)
    assert [arm_for("campaign-secret", "cohort-1", k) for k in range(20)] == first[:20]


def test_every_stratum_is_balanced_within_two_at_any_point():
    for stratum in ("cohort-1", "cohort-2", "no cohort"):
        sequence = allocation_sequence("s", stratum, 500)
        for k in range(1, 501):
            counts = Counter(sequence[:k])
            assert abs(counts["now"] - counts["delayed"]) <= 2  # the largest block is 4


def test_block_sizes_vary_so_the_next_arm_cannot_be_read_off():
    """With fixed blocks of 2, every second allocation would be known; here the last of a pair is
    guessed right only about as often as a block of 4 allows, far from always."""
    sequence = allocation_sequence("s", "c", 4000)
    followed = sum(1 for i in range(1, 4000, 2) if sequence[i] != sequence[i - 1])
    assert 0.55 < followed / 2000 < 0.85


def test_over_many_campaigns_each_position_is_a_fair_coin():
    firsts = Counter(allocation_sequence(f"seed-{i}", "c", 1)[0] for i in range(2000))
    assert 900 < firsts["now"] < 1100


def test_blocks_must_balance_the_arms():
    with pytest.raises(ValueError):
        allocation_sequence("s", "c", 10, block_sizes=(3,))
