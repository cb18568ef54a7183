"""Who may do what, decided in the server from the authenticated caller (catalog/access.py keeps the
roles and grants). In a personal installation there is one person, who may do everything."""

from __future__ import annotations

from aircluster.catalog import Version
from aircluster.catalog.access import Access
from aircluster.errors import PermissionDenied
from aircluster.server.registry import Request


def access(req: Request) -> Access:
    return Access(req.ctx.catalog)


def is_admin(req: Request) -> bool:
    if req.config.personal:
        return True
    return req.user == req.config.admin or "admin" in access(req).roles(req.user)


def require_admin(req: Request, what: str) -> None:
    if not is_admin(req):
        raise PermissionDenied(f"{req.user} may not {what}: only an admin may (the admin is {req.config.admin})")


def allowed(req: Request, permission: str, dataset: str) -> bool:
    return req.config.personal or access(req).allowed(req.user, permission, dataset)


def require(req: Request, permission: str, dataset: str) -> None:
    if not req.config.personal:
        access(req).check(req.user, permission, dataset)


def may_inspect(req: Request, version: Version) -> bool:
    """The importer, a steward or an admin may see a pending version's report and verify its shards."""
    if req.config.personal or is_admin(req):
        return True
    acc = access(req)
    return acc.may_manage(req.user, version.name) or "steward" in acc.roles(req.user)


def require_reviewer(req: Request, version: Version) -> None:
    access(req).check_reviewer(req.user, version, personal=req.config.personal)
