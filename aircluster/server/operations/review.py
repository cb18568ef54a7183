"""Privacy review in the server: the report (for the importer, stewards and admins) and the decision
(by a steward who is not the importer; the audit entry is written before the decision takes effect)."""

from __future__ import annotations

from typing import Any

from aircluster.errors import PermissionDenied
from aircluster.privacy.review.decision import decide
from aircluster.server.authz import may_inspect, require_reviewer
from aircluster.server.registry import Request, operation

PERSONAL_NOTE = "personal installation: one person, so four-eyes does not hold here"


@operation("review.show")
def show(req: Request, ref: str) -> dict[str, Any]:
    ctx = req.ctx
    version = ctx.catalog.resolve(ref)
    if not may_inspect(req, version):
        raise PermissionDenied(f"{req.user} may not see {version.ref}'s privacy report: its importer, stewards and admins may")
    return {
        "ref": version.ref,
        "state": version.status,
        "imported_by": version.imported_by,
        "reviews": ctx.catalog.reviews(version.id),
        "report": ctx.catalog.report(version.id),
    }


@operation("review.decide")
def review_decide(req: Request, ref: str, decision: str, note: str) -> dict[str, Any]:
    ctx = req.ctx
    version = ctx.catalog.resolve(ref)
    require_reviewer(req, version)
    personal = req.config.personal
    version = decide(ctx, version, decision, note, principal=req.user, four_eyes=not personal)  # type: ignore[arg-type]
    return {
        "ref": version.ref,
        "decision": decision,
        "principal": req.user,
        "four_eyes": not personal,
        "note": PERSONAL_NOTE if personal else None,
    }
