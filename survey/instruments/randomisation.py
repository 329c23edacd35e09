"""Randomised assignment of vignette versions: permuted blocks, seeded per campaign. Pure.

Rule: for a vignette with k versions, a campaign's sequence is cut into blocks of ``k * repeats``
places, each holding every version ``repeats`` times in an order shuffled by a generator seeded
with (campaign seed, vignette id, block number). The n-th GP assigned in the campaign gets place
n. So the sequence is reproducible from the seed alone, the counts of the versions never differ
by more than ``repeats`` (and are equal after each complete block), and which version comes next
cannot be predicted from the ones before within a block.
"""
import random

REPEATS = 2  #: blocks of 4 for two versions


def assigned_version(seed: int, vignette_id: str, keys: list[str], position: int, repeats: int = REPEATS) -> str:
    """The version at ``position`` (0-based) of the campaign's sequence for one vignette."""
    if not keys:
        raise ValueError("a randomised vignette needs versions")
    block, offset = divmod(position, len(keys) * repeats)
    order = [key for key in keys for _ in range(repeats)]
    # A str seed is hashed with SHA-512 by random.Random, so it does not depend on PYTHONHASHSEED.
    random.Random(f"{seed}:{vignette_id}:{block}").shuffle(order)
    return order[offset]


def sequence(seed: int, vignette_id: str, keys: list[str], length: int, repeats: int = REPEATS) -> list[str]:
    """The first ``length`` places of the sequence (for the educator preview and for checking)."""
    return [assigned_version(seed, vignette_id, keys, n, repeats) for n in range(length)]


def rule_text(keys: list[str], repeats: int = REPEATS) -> str:
    """The assignment rule in words, for the educator preview and the codebook."""
    return (f"Each GP is assigned one of {len(keys)} versions ({', '.join(keys)}) at their first survey start, "
            f"by permuted blocks of {len(keys) * repeats} seeded per campaign, and keeps it at every wave.")
