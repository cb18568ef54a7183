"""Dataset versions: list, show, resolve, expire. Metadata (names, sizes, states) is visible to every account
of the installation; data and reports are not."""

from __future__ import annotations

from typing import Any

from aircluster.catalog import parse_ref
from aircluster.server.authz import require
from aircluster.server.registry import Request, operation


def _current(req: Request):
    """The catalog with versions past their retention shredded first, so no listing shows one as readable."""
    req.ctx.expire_due()
    return req.ctx.catalog


def _versions(req: Request, ref: str):
    name, number = parse_ref(ref)
    catalog = _current(req)
    return [catalog.resolve(ref)] if number else catalog.versions(name)


@operation("versions.list")
def list_versions(req: Request, name: str | None = None) -> list[dict[str, Any]]:
    return [v.to_dict() for v in _current(req).versions(name)]


@operation("versions.resolve")
def resolve(req: Request, ref: str | None = None, version_id: str | None = None) -> dict[str, Any]:
    catalog = _current(req)
    return (catalog.version_by_id(version_id) if version_id else catalog.resolve(str(ref))).to_dict()


@operation("versions.show")
def show(req: Request, ref: str) -> list[dict[str, Any]]:
    catalog = _current(req)
    return [v.to_dict() | {"reviews": catalog.reviews(v.id)} for v in _versions(req, ref)]


@operation("data.expire")
def expire(req: Request, ref: str) -> dict[str, Any]:
    versions = _versions(req, ref)
    for v in versions:
        require(req, "expire", v.name)
    ctx = req.ctx
    return {"shredded": [v.ref for v in versions if ctx.shred(v, f"expired by {req.user}")]}
