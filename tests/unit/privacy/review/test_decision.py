"""Four-eyes lives in the library: `decide()` (what the CLI and the demo call) and the catalog itself
refuse a decision by the importer; the audit entry is written before the decision is recorded."""

from __future__ import annotations

import pytest

from aircluster.context import open_context
from aircluster.errors import PermissionDenied, UsageError
from aircluster.installation import principal
from aircluster.privacy.review.decision import decide
from tests.unit.store.conftest import text_records, write_jsonl

IMPORTER = principal()  # the account running the tests imports, through its personal server


@pytest.fixture
def pending(cli, tmp_path, permissive_policy):
    src = write_jsonl(tmp_path / "in.jsonl", text_records(30))
    cli.ok("data", "import", "posts", str(src), "--policy", str(permissive_policy))
    return "posts@1"


def test_the_importer_cannot_decide_through_the_library(pending):
    with open_context() as ctx:
        version = ctx.catalog.resolve(pending)
        with pytest.raises(PermissionDenied, match="four-eyes"):
            decide(ctx, version, "approved", "looks fine", principal=IMPORTER)
        with pytest.raises(PermissionDenied, match="four-eyes"):
            ctx.catalog.record_review(version.id, "approved", IMPORTER, "straight into the catalog")
        assert ctx.catalog.resolve(pending).review_state == "pending_review"


def test_a_second_principal_decides_once_with_a_note(pending):
    with open_context() as ctx:
        version = ctx.catalog.resolve(pending)
        with pytest.raises(UsageError, match="--note must say why"):
            decide(ctx, version, "approved", "  ", principal="carol")
        approved = decide(ctx, version, "approved", "checked the report", principal="carol")
        assert approved.review_state == "approved"
        with pytest.raises(UsageError, match="already approved"):
            decide(ctx, approved, "rejected", "changed my mind", principal="dave")
        with pytest.raises(UsageError, match="already approved"):
            ctx.catalog.record_review(version.id, "rejected", "dave", "behind the library's back")
        entries = ctx.audit.tail(5)
    approve = [e for e in entries if e["action"] == "review.approve"]
    assert len(approve) == 1 and approve[0]["decided_by"] == "carol" and approve[0]["version"] == 1


def test_no_audit_entry_no_decision(pending, monkeypatch):
    with open_context() as ctx:
        version = ctx.catalog.resolve(pending)

        def broken_log(action, **details):
            raise OSError("audit log unwritable")

        monkeypatch.setattr(ctx, "log", broken_log)
        with pytest.raises(OSError):
            decide(ctx, version, "approved", "fine", principal="carol")
        assert ctx.catalog.resolve(pending).review_state == "pending_review"
