"""Randomised assignment of vignette versions: permuted blocks, seeded per campaign. Pure.

Rule: for a vignette with k versions, a campaign's sequence is cut into blocks of ``k * repeats``
places, each holding every version ``repeats`` times in an order shuffled by a generator seeded
with (campaign seed, vignette id, block number). The n-th GP assigned in the campaign gets place
n. So the sequence is reproducible from the seed alone, the counts of the versions never differ
by more than ``repeats`` (and are equal after each complete block), and which version comes next
cannot be predicted from the ones before within a block.

Under matrix sampling (an instrument's ``vignette_sampling``) a GP first gets a set of ``per_gp`` of
the n randomised vignettes by the same rule, with the sets as the "versions": each block holds every
combination of ``per_gp`` of the n once, so after each complete block every case was given to the
same share of GPs (per_gp / n) and every pair of cases was given together equally often. Versions
are then assigned only for the GP's cases, in each case's own sequence, so they stay balanced
within the GPs who answer that case.
"""
import itertools
import math
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


def assigned_case_set(seed: int, vignette_ids: list[str], per_gp: int, position: int) -> tuple[str, ...]:
    """The set of cases at ``position`` (0-based) of the campaign's sequence, in the instrument's order."""
    sets = list(itertools.combinations(vignette_ids, per_gp))
    block, offset = divmod(position, len(sets))
    random.Random(f"{seed}:case-sets:{block}").shuffle(sets)
    return sets[offset]


def case_set_rule_text(vignette_ids: list[str], per_gp: int) -> str:
    """The matrix-sampling rule in words, for the educator preview and the codebook."""
    sets = math.comb(len(vignette_ids), per_gp)
    return (f"Each GP answers {per_gp} of these {len(vignette_ids)} cases, given at their first survey start and "
            f"kept at every wave: the {sets} possible sets are assigned by permuted blocks of {sets} seeded per "
            f"campaign, so each case goes to {per_gp} in {len(vignette_ids)} GPs and each pair of cases is given "
            f"together equally often. The pages of the other cases are not shown to that GP.")
