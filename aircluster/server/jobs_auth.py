"""A job token, checked in the server: it names a live job of the caller, pinned to the version asked for."""

from __future__ import annotations

from aircluster.catalog import Version
from aircluster.catalog.jobs import Job, Jobs
from aircluster.server.registry import Request


def check(req: Request, token: str, version: Version | None = None) -> Job:
    return Jobs(req.ctx.catalog).check_token(token, user=req.user, version_id=version.id if version else None)
