"""Roles and grants: `aircluster access role add|rm ROLE USER`, `access grant|revoke USER PERMISSION DATASET`,
`access ls`. Admins manage roles; a dataset's importer (or an admin) manages its grants. Each change is
audited before it is made."""

from __future__ import annotations

from typing import Any

from aircluster.errors import PermissionDenied, UsageError
from aircluster.server.authz import access, is_admin, require_admin
from aircluster.server.registry import Request, operation


def _shared_only(req: Request) -> None:
    if req.config.personal:
        raise UsageError(
            f"{req.session.home} is a personal installation: one person, who holds every role and permission; "
            "roles and grants apply to a shared installation (`aircluster server init` as root)"
        )


@operation("access.role")
def role(req: Request, action: str, role: str, user: str) -> dict[str, Any]:
    _shared_only(req)
    require_admin(req, f"{action} roles")
    ctx = req.ctx
    ctx.log(f"access.role_{action}", role=role, user=user)
    acc = access(req)
    if action == "add":
        acc.add_role(user, role, by=req.user)
    elif action == "rm":
        acc.remove_role(user, role, by=req.user)
    else:
        raise UsageError(f"role action must be add or rm, not {action!r}")
    return {"user": user, "roles": sorted(acc.roles(user))}


@operation("access.grant")
def grant(req: Request, action: str, user: str, permission: str, dataset: str) -> dict[str, Any]:
    _shared_only(req)
    acc = access(req)
    if not (is_admin(req) or acc.may_manage(req.user, dataset)):
        raise PermissionDenied(f"{req.user} may not manage grants on {dataset}: its importer or an admin may")
    req.ctx.log(f"access.{action}", user=user, permission=permission, dataset=dataset)
    if action == "grant":
        acc.grant(user, permission, dataset, by=req.user)
    elif action == "revoke":
        acc.revoke(user, permission, dataset, by=req.user)
    else:
        raise UsageError(f"grant action must be grant or revoke, not {action!r}")
    return {"user": user, "permission": permission, "dataset": dataset, "granted": action == "grant"}


@operation("access.ls")
def listing(req: Request) -> dict[str, Any]:
    if req.config.personal:
        return {"mode": "personal", "admin": req.config.admin, "roles": {req.config.admin: ["admin", "steward"]}, "grants": []}
    return {"mode": "shared", "admin": req.config.admin} | access(req).listing()
