"""The review state machine: notes, final decisions, `review show`.

The gate itself (pending is unreadable, four-eyes, rejection shreds), end to end: tests/invariants/test_5_review_gate.py."""

from __future__ import annotations

import json
import os
import stat

from aircluster.installation import principal
from tests.unit.store.conftest import approve, text_records, write_jsonl


def imported(cli, tmp_path, policy) -> str:
    write_jsonl(tmp_path / "a.jsonl", text_records(20))
    cli.ok("data", "import", "ds", str(tmp_path / "a.jsonl"), "--policy", str(policy))
    return "ds@1"


def test_decisions_are_final_and_need_a_note(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    code, _, err = cli("review", "approve", ref, "--note", "  ", user="steward")
    assert code != 0 and "--note must say why" in err
    approve(cli, ref)
    code, _, err = cli("review", "reject", ref, "--note", "changed my mind", user="carol")
    assert code != 0 and "already approved" in err


def test_review_show_lists_report_and_decisions(cli, tmp_path, permissive_policy):
    ref = imported(cli, tmp_path, permissive_policy)
    approve(cli, ref)
    me = principal()  # a personal installation: its one person imported and approved
    doc = json.loads(cli.ok("review", "show", ref, "--json", "--html", str(tmp_path / "report.html")))
    assert doc["state"] == "approved" and doc["imported_by"] == me
    assert [(r["decision"], r["principal"]) for r in doc["reviews"]] == [("approved", me)]
    assert doc["report"]["records"] == 20
    html = doc["html_report"]
    assert html and html.endswith(".html") and "Privacy review" in open(html).read()
    assert stat.S_IMODE(os.stat(html).st_mode) == 0o600
    human = cli.ok("review", "show", ref)
    assert f"approved by {me}" in human and "records scanned 20" in human
