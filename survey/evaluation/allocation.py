"""Concealed, reproducible, balanced allocation of GPs to the arms of a delayed-start campaign.

Pure: no Flask, no database. Permuted blocks of randomly varying size within each stratum (e.g. a
cohort): every completed block is exactly balanced, and varying the block size keeps the next
allocation unpredictable to anyone who has seen the previous ones. The sequence follows from a secret
seed kept on the server (allocation concealment); with the seed an auditor regenerates every allocation.

Only ``random.Random.random()`` is used (with an integer seed, whose output Python guarantees across
versions), not ``shuffle`` or ``choice``, whose algorithms Python may change.
"""
from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence

ARMS = ("now", "delayed")
BLOCK_SIZES = (2, 4)  #: multiples of the number of arms


def _stream(seed: str, stratum: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x1f{stratum}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _permuted(items: list[str], rng: random.Random) -> list[str]:
    """Fisher-Yates with ``rng.random()`` only."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def allocation_sequence(seed: str, stratum: str, length: int, arms: Sequence[str] = ARMS,
                        block_sizes: Sequence[int] = BLOCK_SIZES) -> list[str]:
    """The first ``length`` allocations of ``stratum``: blocks whose size is drawn from ``block_sizes``,
    each holding every arm equally often in random order."""
    if any(size % len(arms) for size in block_sizes):
        raise ValueError("every block size must be a multiple of the number of arms")
    rng, sequence = _stream(seed, stratum), []
    while len(sequence) < length:
        size = block_sizes[int(rng.random() * len(block_sizes))]
        sequence += _permuted(list(arms) * (size // len(arms)), rng)
    return sequence[:length]


def arm_for(seed: str, stratum: str, position: int, arms: Sequence[str] = ARMS,
            block_sizes: Sequence[int] = BLOCK_SIZES) -> str:
    """The arm of the ``position``-th GP (from 0) allocated in ``stratum``."""
    return allocation_sequence(seed, stratum, position + 1, arms, block_sizes)[position]
