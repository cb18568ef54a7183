"""The audit log detects any edit, insertion or deletion (DESIGN.md, invariant 6).

These edit the log file alone, leaving its signed head as it was; tests/unit/security/test_audit_log.py
has the attacks that also replace or re-sign the head."""

from __future__ import annotations

import json

import pytest

from tests.unit.store.conftest import approve, text_records, write_jsonl


@pytest.fixture
def log(cli, home, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(20))
    for _ in range(3):
        cli.ok("data", "import", "ds", str(tmp_path / "a.jsonl"), "--policy", str(permissive_policy))
    approve(cli, "ds@1")
    cli.ok("data", "read", "ds@1", user="bob")
    cli.ok("keys", "rotate-master")
    path = home / "audit" / "audit.log"
    assert len(path.read_text().splitlines()) >= 7
    return path


def verify(cli) -> tuple[int, dict]:
    code, out, err = cli("audit", "verify", "--json")
    return code, json.loads(out)


def test_intact_log_verifies_and_records_the_story(cli, log):
    code, result = verify(cli)
    assert code == 0 and result["ok"] and result["entries"] == result["head"]["tree_size"] == len(log.read_text().splitlines())
    actions = [json.loads(line)["action"] for line in log.read_text().splitlines()]
    assert actions.count("data.import") == 3
    assert {"init", "review.approve", "keys.release", "keys.rotate_master"} <= set(actions)
    release = [json.loads(line) for line in log.read_text().splitlines() if '"keys.release"' in line][-1]
    assert release["principal"] == "bob" and release["dataset"] == "ds" and release["shards"] >= 1


def rewrite(log, fn):
    lines = log.read_text().splitlines()
    fn(lines)
    log.write_text("\n".join(lines) + "\n")


def test_edited_entry_fails(cli, log):
    """An entry rewritten in canonical form changes the tree's root; one rewritten any other way is also located."""
    saved = log.read_text()

    def edit(lines, **dumps):
        entry = json.loads(lines[2])
        entry["principal"] = "mallory"
        lines[2] = json.dumps(entry, **dumps)

    rewrite(log, lambda lines: edit(lines, separators=(",", ":")))
    code, result = verify(cli)
    assert code != 0 and not result["ok"] and result["failure"] == "edit" and "edited" in result["problem"]

    log.write_text(saved)
    rewrite(log, edit)  # json.dumps' default spacing, as a quick script would write it
    code, result = verify(cli)
    assert code != 0 and result["failure"] == "edit" and result["bad_seq"] == 3 and "entry 3" in result["problem"]


def test_inserted_entry_fails(cli, log):
    rewrite(log, lambda lines: lines.insert(3, lines[3]))
    code, result = verify(cli)
    assert code != 0 and not result["ok"] and result["bad_seq"] == 5 and result["failure"] == "insertion"


def test_deleted_middle_entry_fails(cli, log):
    rewrite(log, lambda lines: lines.pop(2))
    code, result = verify(cli)
    assert code != 0 and not result["ok"] and result["bad_seq"] == 3 and result["failure"] == "deletion"


def test_deleted_tail_fails_against_the_signed_head(cli, log):
    n = len(log.read_text().splitlines())
    rewrite(log, lambda lines: lines.pop())
    code, result = verify(cli)
    assert code != 0 and result["failure"] == "truncation" and result["bad_seq"] == n and "signed head" in result["problem"]


def test_canonical_edit_without_the_key_fails(cli, log):
    """An edit written in the log's own canonical form still changes the tree: the root no longer matches the head,
    which only the signing key could make again."""

    def forge(lines):
        entry = json.loads(lines[1])
        entry["principal"] = "mallory"
        lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    rewrite(log, forge)
    code, result = verify(cli)
    assert code != 0 and result["failure"] == "edit" and "signed root" in result["problem"]


def test_cli_verify_prints_one_line_error(cli, log):
    rewrite(log, lambda lines: lines.pop(1))
    code, out, err = cli("audit", "verify")
    assert code == 3 and err.startswith("error: audit log tampered") and err.count("\n") == 1
