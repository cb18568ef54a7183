"""Key release, as Vault transit's decrypt or KMS Decrypt with an encryption context: the client sends the
wrapped data keys of the shards it read, with the version and shard they belong to; the server checks the
version (approved, not shredded: its key still in the key store), the caller's grant or job token, writes
the audit entry, and only then returns the data keys. Never a KEK, never the master key.

`keys.open` checks and audits once per reader (as the in-process release did) and returns a lease; the
lease, held by this connection only, unwraps batches of data keys (`keys.unwrap`), each batch re-checked
against shredding, review and the job's state, so a shred or a cancelled job stops a running reader at its
next batch.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from aircluster.catalog import Version
from aircluster.client.protocol import MAX_UNWRAP_BATCH, b64, unb64
from aircluster.errors import DatasetShredded, PermissionDenied, UsageError
from aircluster.security.approval import require_approval
from aircluster.security.keys import kek_id
from aircluster.security.release import check_readable
from aircluster.server import jobs_auth
from aircluster.server.authz import allowed, may_inspect, require_admin
from aircluster.server.registry import Request, operation
from aircluster.store.format import dek_aad

MAX_BATCH = MAX_UNWRAP_BATCH


@dataclass
class Lease:
    version_id: str
    dataset_id: str
    label: str
    purpose: str
    job_token: str | None
    require_approved: bool


def _authorize(req: Request, version: Version, purpose: str, job_token: str | None) -> bool:
    """Check the caller may have this version's keys for `purpose`; returns whether approval is required."""
    if not req.ctx.keys.has_key(kek_id(version.id)):
        # The key store decides, not a catalog column: a version whose key is gone is shredded.
        raise DatasetShredded(f"{version.ref}: its key was destroyed, so its data can never be read again")
    if purpose == "verify":
        if not may_inspect(req, version):
            raise PermissionDenied(f"{req.user} may not verify {version.ref}: its importer, stewards and admins may")
        check_readable(version, require_approved=False)
        return False
    if job_token is not None:
        req.job = jobs_auth.check(req, job_token, version).id
    elif not allowed(req, "read", version.name):
        raise PermissionDenied(
            f"{req.user} has no read grant on {version.name}; its importer or an admin can give one "
            f"(`aircluster access grant {req.user} read {version.name}`)"
        )
    check_readable(version)
    require_approval(req.ctx.keys, req.ctx.catalog, version)  # the catalog column alone is not enough
    return True


@operation("keys.mac")
def manifest_mac(req: Request, version_id: str, body: str, purpose: str = "read", job_token: str | None = None) -> str:
    """The MAC of a manifest body, for a caller who may read (or verify) the version: no data key leaves."""
    ctx = req.ctx
    version = ctx.catalog.version_by_id(version_id)
    _authorize(req, version, purpose, job_token)
    return b64(ctx.keys.mac(version.id, unb64(body), version.ref))


@operation("keys.open")
def open_lease(
    req: Request, version_id: str, purpose: str, shards: int, job_token: str | None = None, **where: Any
) -> dict[str, Any]:
    ctx = req.ctx
    version = ctx.catalog.version_by_id(version_id)
    require_approved = _authorize(req, version, purpose, job_token)
    # the node is the server's to say (req.where()), not an argument's
    where = {k: v for k, v in where.items() if k in ("rank", "worker", "epoch") and isinstance(v, int | str)}
    req.ctx.log(
        "keys.release",
        purpose=purpose,
        dataset=version.name,
        version=version.number,
        version_id=version.id,
        shards=int(shards),
        **req.where(),
        **where,
    )
    lease = secrets.token_hex(8)
    req.session.leases[lease] = Lease(version.id, version.dataset_id, version.ref, purpose, job_token, require_approved)
    return {"lease": lease}


@operation("keys.unwrap")
def unwrap(req: Request, lease: str, items: list[list[Any]]) -> list[str]:
    held = req.session.leases.get(lease)
    if not isinstance(held, Lease):
        raise PermissionDenied("no such key lease on this connection: open one with keys.open")
    if len(items) > MAX_BATCH:
        raise UsageError(f"at most {MAX_BATCH} data keys per request")
    ctx = req.ctx
    version = ctx.catalog.version_by_id(held.version_id)
    if held.job_token is not None:
        jobs_auth.check(req, held.job_token, version)
    elif held.require_approved and not allowed(req, "read", version.name):
        raise PermissionDenied(f"{req.user}'s read grant on {version.name} was revoked")
    check_readable(version, require_approved=held.require_approved)
    if held.require_approved:
        require_approval(ctx.keys, ctx.catalog, version)
    unwrapper = ctx.keys.unwrapper(version.id, version.ref)
    # The context is the server's, not the client's: a data key only unwraps for the shard it was made for.
    keys = [
        b64(unwrapper.unwrap(unb64(wrapped), dek_aad(held.dataset_id, held.version_id, int(shard)), int(shard)))
        for shard, wrapped in items
    ]
    return keys


@operation("keys.rotate_master")
def rotate_master(req: Request) -> dict[str, Any]:
    require_admin(req, "rotate the master key")
    ctx = req.ctx
    old = ctx.keys.master_id
    # Logged first: no entry, no rotation. A rotation that stops halfway is finished at the next load.
    ctx.log("keys.rotate_master", old_master_id=old)
    n = ctx.keys.rotate_master()
    return {"old_master_id": old, "new_master_id": ctx.keys.master_id, "keys_rewrapped": n}
