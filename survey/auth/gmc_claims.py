"""GMC-number claims: a registration gave a number another account holds. Callers commit.

A GMC number is public (the medical register is searchable), so "unique and unverified" would let
anyone block a real doctor by registering first. Instead the newcomer's account is made without
the number and an admin, who can check the register and contact both, decides who keeps it.
"""
from dataclasses import dataclass

from sqlalchemy import select

from survey.auth.models import GmcClaim, User
from survey.db import utcnow
from survey.extensions import db

OUTCOMES = ("granted", "refused")


class ClaimError(Exception):
    """The claim cannot be resolved as asked (already resolved, or the claimant has gone)."""


@dataclass
class PendingClaim:
    claim: GmcClaim
    holder: User | None  #: the account holding the number now (None if it has since let it go)


def pending_claims() -> list[PendingClaim]:
    """Unresolved claims, oldest first, each with the account that holds the number now."""
    claims = db.session.scalars(select(GmcClaim).where(GmcClaim.outcome.is_(None)).order_by(GmcClaim.created_at))
    return [PendingClaim(claim, db.session.scalar(select(User).where(User.gmc_number == claim.gmc_number)))
            for claim in claims]


def resolve_claim(claim: GmcClaim, outcome: str, admin: User) -> User | None:
    """Grant (the claimant gets the number; the holder loses it) or refuse the claim; returns the former
    holder when the number moved. Granting is the admin's decision after checking the register."""
    if outcome not in OUTCOMES:
        raise ClaimError(f"Outcome must be one of {', '.join(OUTCOMES)}.")
    if claim.outcome is not None:
        raise ClaimError("This claim has already been resolved.")
    claimant = claim.user
    if claimant.deleted_at is not None:
        raise ClaimError("The claimant has deleted their account.")
    former = None
    if outcome == "granted":
        former = db.session.scalar(select(User).where(User.gmc_number == claim.gmc_number, User.id != claimant.id))
        if former is not None:
            former.gmc_number = None
            db.session.flush()  # free the unique number before giving it to the claimant
        claimant.gmc_number = claim.gmc_number
    claim.outcome, claim.resolved_at, claim.resolved_by_id = outcome, utcnow(), admin.id
    db.session.flush()
    return former
