"""A privacy review decision: approve or reject a pending version, by a principal other than its importer.

    decide(ctx, version, "approved" | "rejected", note, principal=None, four_eyes=True) -> Version

The one function the server calls for a decision. `four_eyes=False` only in a personal installation,
which has one person in it (the audit entry records that four-eyes did not hold). The audit entry is
appended before the decision is recorded (no entry, no approval); the catalog checks four-eyes again
in the transaction that records it, with the key service's proof of the decision (security/approval.py);
a rejection destroys the version's keys at once.
"""

from __future__ import annotations

import time
from typing import Any, Literal, Protocol

from aircluster.catalog import Catalog, Version
from aircluster.errors import PermissionDenied, UsageError
from aircluster.security import approval
from aircluster.security.keys import KeyService

Decision = Literal["approved", "rejected"]


class ReviewContext(Protocol):
    catalog: Catalog
    keys: KeyService

    @property
    def principal(self) -> str: ...

    def log(self, action: str, **details: Any) -> dict[str, Any]: ...

    def shred(self, version: Version, reason: str) -> bool: ...


def decide(
    ctx: ReviewContext, version: Version, decision: Decision, note: str, principal: str | None = None, four_eyes: bool = True
) -> Version:
    who = principal or ctx.principal
    if decision not in ("approved", "rejected"):
        raise UsageError(f"review decision must be approved or rejected, not {decision!r}")
    if version.shredded_at is not None:
        raise UsageError(f"{version.ref} is shredded; there is nothing to review")
    if version.review_state != "pending_review":
        raise UsageError(f"{version.ref} was already {version.review_state}; a review decision is final")
    if four_eyes and who == version.imported_by:
        raise PermissionDenied(
            f"{who} imported {version.ref} and so cannot review it: a second principal must decide (four-eyes rule)"
        )
    if not note.strip():
        raise UsageError("a review decision needs a note: --note must say why")
    action = "review.approve" if decision == "approved" else "review.reject"
    ctx.log(
        action,
        dataset=version.name,
        version=version.number,
        version_id=version.id,
        note=note,
        decided_by=who,
        four_eyes=four_eyes,
    )
    at = time.time()
    proof = approval.seal(ctx.keys, version.id, decision, who, at)  # the key release trusts only proven approvals
    ctx.catalog.record_review(version.id, decision, who, note, four_eyes=four_eyes, at=at, proof=proof)
    if decision == "rejected":
        ctx.shred(version, f"rejected in review by {who}")
    return ctx.catalog.version_by_id(version.id)
