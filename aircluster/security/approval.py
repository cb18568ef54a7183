"""Proof that the server made a review decision: a MAC, under a subkey of the version's KEK, over the version,
the decision, who made it and when. The catalog's `review_state` column is a convenience for listings; the
key release trusts only a decision whose proof verifies, so an approval written into the catalog behind the
server's back (by anyone who can edit the file but does not hold the master key) releases nothing.

    proof = seal(keys, version.id, "approved", "carol", at)
    require_approval(keys, catalog, version)   # ReviewRequired unless a proven approval exists
"""

from __future__ import annotations

import hmac

from aircluster.catalog import Catalog, Version
from aircluster.errors import ReviewRequired
from aircluster.security.keys import KeyService


def _message(version_id: str, decision: str, principal: str, at: float) -> bytes:
    return f"aircluster-review-v1|{version_id}|{decision}|{principal}|{at!r}".encode()


def seal(keys: KeyService, version_id: str, decision: str, principal: str, at: float) -> str:
    return keys.approval_mac(version_id, _message(version_id, decision, principal, at)).hex()


def proven(keys: KeyService, version_id: str, decision: str, principal: str, at: float, proof: str | None) -> bool:
    if not proof:
        return False
    return hmac.compare_digest(seal(keys, version_id, decision, principal, at), proof)


def require_approval(keys: KeyService, catalog: Catalog, version: Version) -> None:
    """Raise ReviewRequired unless the catalog holds an approval of `version` whose proof verifies."""
    for principal, at, proof in catalog.review_proofs(version.id, "approved"):
        if proven(keys, version.id, "approved", principal, at, proof):
            return
    raise ReviewRequired(
        f"{version.ref} is marked approved in the catalog, but there is no approval recorded by the server for it "
        "(the catalog was changed behind the server's back): its keys are not released"
    )
