"""The review state machine: pending_review -> approved | rejected, four-eyes, rejection shreds."""

from __future__ import annotations

import json

from aircluster.errors import DatasetShredded, PermissionDenied
from tests.unit.store.conftest import approve, text_records, version, write_jsonl


def imported(cli, tmp_path, policy) -> str:
    write_jsonl(tmp_path / "a.jsonl", text_records(20))
    cli.ok("data", "import", "ds", str(tmp_path / "a.jsonl"), "--policy", str(policy))
    return "ds@1"


def test_reject_shreds_and_is_audited(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    out = json.loads(cli.ok("review", "reject", ref, "--note", "contains raw logs", "--json", user="steward"))
    assert out["decision"] == "rejected"
    v = version(ref)
    assert v.status == "shredded" and v.review_state == "rejected" and "rejected in review by steward" in v.shred_reason
    code, _, err = cli("data", "read", ref, user="bob")
    assert code == DatasetShredded.exit_code
    entries = json.loads(cli.ok("audit", "tail", "-n", "10", "--json"))
    actions = [e["action"] for e in entries]
    assert actions.index("review.reject") < actions.index("data.shred")
    reject = next(e for e in entries if e["action"] == "review.reject")
    assert reject["principal"] == "steward" and reject["note"] == "contains raw logs"


def test_decisions_are_final_and_need_a_note(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    code, _, err = cli("review", "approve", ref, "--note", "  ", user="steward")
    assert code != 0 and "--note must say why" in err
    approve(cli, ref)
    code, _, err = cli("review", "reject", ref, "--note", "changed my mind", user="carol")
    assert code != 0 and "already approved" in err


def test_importer_cannot_reject_either(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    code, _, err = cli("review", "reject", ref, "--note", "x", user="alice")
    assert code == PermissionDenied.exit_code and "four-eyes" in err
    assert version(ref).status == "pending_review"


def test_review_show_lists_report_and_decisions(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    approve(cli, ref)
    doc = json.loads(cli.ok("review", "show", ref, "--json"))
    assert doc["state"] == "approved" and doc["imported_by"] == "alice"
    assert [(r["decision"], r["principal"]) for r in doc["reviews"]] == [("approved", "steward")]
    assert doc["report"]["records"] == 20
    html = doc["html_report"]
    assert html and html.endswith(".html") and "Privacy review" in open(html).read()
    human = cli.ok("review", "show", ref)
    assert "approved by steward" in human and "records scanned 20" in human
