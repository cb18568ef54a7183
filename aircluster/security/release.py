"""Key release: the one place that decides whether a version's data keys may be handed out, and records it.

    release_keys(ctx, version, purpose=..., shards=n, rank=..., worker=...) -> DekUnwrapper

The checks hold here, not in the callers: the version must not be shredded, must be approved in
privacy review (unless the caller only verifies), and a process that works for a job may only read the
versions pinned to that job at submission. The audit entry (who, which job, which version, how many
shards, where) is appended before the keys are released: no entry, no key.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, Protocol

from aircluster import installation
from aircluster.catalog import Catalog, Version
from aircluster.catalog.jobs import Jobs
from aircluster.errors import DatasetShredded, PermissionDenied, ReviewRequired
from aircluster.security.hygiene import no_core_dumps
from aircluster.security.keys import DekUnwrapper, KeyService


class ReleaseContext(Protocol):
    """What a key release needs of an installation (aircluster.context.Context provides it)."""

    catalog: Catalog
    keys: KeyService

    def log(self, action: str, **details: Any) -> dict[str, Any]: ...


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_readable(version: Version, *, require_approved: bool = True) -> None:
    """Refuse a shredded version or one past its retention, and one not approved in privacy review (unless
    only verifying)."""
    if version.shredded_at is not None:
        when = dt.datetime.fromtimestamp(version.shredded_at, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        raise DatasetShredded(f"{version.ref} was shredded on {when} ({version.shred_reason}): its data can never be read again")
    if version.expires_at is not None and version.expires_at <= time.time():
        # Housekeeping shreds it at the next command; until then no reader may take it for readable.
        raise DatasetShredded(
            f"{version.ref}'s retention period ended on {_when(version.expires_at)}: it is no longer readable "
            "and its key is destroyed at the next housekeeping"
        )
    if require_approved and version.review_state != "approved":
        if version.review_state == "rejected":
            raise ReviewRequired(f"{version.ref} was rejected in privacy review and cannot be read")
        raise ReviewRequired(
            f"{version.ref} is pending privacy review: see `aircluster review show {version.ref}`, then a principal other than "
            f"{version.imported_by} runs `aircluster review approve {version.ref} --note TEXT`"
        )


def check_job_grant(catalog: Catalog, version: Version, job_id: str | None = None) -> None:
    """A process that works for a job reads only the dataset versions pinned to that job at submission."""
    job_id = job_id if job_id is not None else installation.job_id()
    if job_id is None:
        return
    if version.id not in Jobs(catalog).granted_versions(job_id):
        raise PermissionDenied(f"job {job_id} was not submitted to read {version.ref}; its keys are not released to it")


def check_access(catalog: Catalog, version: Version, *, require_approved: bool = True) -> None:
    check_readable(version, require_approved=require_approved)
    check_job_grant(catalog, version)


def release_keys(
    ctx: ReleaseContext, version: Version, *, purpose: str, shards: int, require_approved: bool = True, **where: Any
) -> DekUnwrapper:
    """Check, audit, then hand out an unwrapper for the version's data keys."""
    check_access(ctx.catalog, version, require_approved=require_approved)
    no_core_dumps()  # this process is about to hold data keys and plaintext
    ctx.log(
        "keys.release",
        purpose=purpose,
        dataset=version.name,
        version=version.number,
        version_id=version.id,
        shards=shards,
        **where,
    )
    return ctx.keys.unwrapper(version.id, version.ref)
