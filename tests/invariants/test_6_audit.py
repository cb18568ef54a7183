"""Invariant 6, audit (DESIGN.md): every import, review decision, key release, expiry and key rotation is in the
log, and edits, insertions, deletions, reordering and truncation are detected.

Tested for today's log: an RFC 6962 Merkle tree over the entries with an Ed25519-signed head, checked by
`aircluster audit verify` (tests/unit/security/test_audit_log.py has the attacks that also re-sign the head or
roll it back, caught against the head a user saw). Writing every entry in the control-plane server, before each
action takes effect, comes with that server (issue 12).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aircluster.installation import principal
from tests.invariants.conftest import Installation
from tests.unit.store.conftest import text_records


@dataclass
class Log:
    inst: Installation
    path: Path
    pristine: bytes
    texts: list[str]  # the text of every record read, which no entry may hold


@pytest.fixture(scope="module")
def story(module_installation: Installation) -> Log:
    inst = module_installation
    for _ in range(2):
        inst.import_records("ds", text_records(20))
    inst.approve("ds@1")
    inst.ok("review", "reject", "ds@2", "--note", "holds raw logs", user="steward")
    texts = [r["text"] for r in inst.read("ds@1", user="bob")]
    inst.ok("data", "expire", "ds@1")
    inst.ok("keys", "rotate-master")
    path = inst.home / "audit" / "audit.log"
    return Log(inst, path, path.read_bytes(), texts)


@pytest.fixture
def log(story: Log):
    yield story
    story.path.write_bytes(story.pristine)


def verify(inst: Installation) -> tuple[int, dict[str, Any]]:
    proc = inst.run("audit", "verify", "--json")
    return proc.returncode, json.loads(proc.stdout)


def test_intact_log_verifies_and_records_every_kind_of_action(log: Log):
    code, result = verify(log.inst)
    entries = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert code == 0 and result["ok"] and result["entries"] == result["head"]["tree_size"] == len(entries)
    me = principal()  # a personal installation: one account does everything (the server names it, not the caller)
    story = [(e["action"], e["principal"]) for e in entries]
    assert story == [
        ("init", me),
        ("data.import", me),
        ("data.import", me),
        ("review.approve", me),
        ("review.reject", me),
        ("data.shred", me),
        ("keys.release", me),
        ("data.shred", me),
        ("keys.rotate_master", me),
    ]
    release = entries[6]
    assert release["dataset"] == "ds" and release["version"] == 1 and release["shards"] >= 1 and release["time"]
    raw = log.path.read_text()
    assert not [t for t in log.texts if t in raw]  # ids, names and counts: never data


def rewrite(path: Path, fn: Callable[[list[str]], object]) -> None:
    lines = path.read_text().splitlines()
    fn(lines)
    path.write_text("".join(line + "\n" for line in lines))


def edit(index: int, **fields) -> Callable[[list[str]], None]:
    def change(lines: list[str]) -> None:
        entry = json.loads(lines[index])
        entry.update(fields)
        lines[index] = json.dumps(entry, separators=(",", ":"))

    return change


def canonical_edit(lines: list[str]) -> None:
    """Edit an entry and write it back in the log's own canonical form: only the signed root gives it away."""
    entry = json.loads(lines[1])
    entry["principal"] = "mallory"
    lines[1] = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def swap(lines: list[str]) -> None:
    lines[2], lines[3] = lines[3], lines[2]


# Each: what is done to the log, the kind of failure verify reports, the first line it blames (None: the
# edit is found by the signed root, which cannot say where), and words its problem must hold.
TAMPERING: list[Any] = [
    pytest.param(edit(2, principal="mallory"), "edit", None, "signed root", id="principal-edited"),
    pytest.param(edit(6, shards=0), "edit", None, "signed root", id="release-count-edited"),
    pytest.param(canonical_edit, "edit", None, "signed root", id="edited-in-canonical-form-without-the-key"),
    pytest.param(lambda lines: lines.insert(3, lines[3]), "insertion", 5, "inserted", id="entry-duplicated"),
    pytest.param(lambda lines: lines.insert(4, lines[1]), "insertion", 5, "inserted", id="old-entry-replayed"),
    pytest.param(lambda lines: lines.pop(4), "deletion", 5, "deleted", id="middle-entry-deleted"),
    pytest.param(swap, "deletion", 3, "deleted", id="two-entries-swapped"),
    pytest.param(lambda lines: lines.pop(), "truncation", 9, "cut off", id="last-entry-deleted"),
    pytest.param(lambda lines: lines.__delitem__(slice(4, None)), "truncation", 5, "cut off", id="rolled-back-to-an-earlier-log"),
    pytest.param(lambda lines: lines.clear(), "truncation", 1, "cut off", id="emptied"),
    pytest.param(lambda lines: lines.__setitem__(-1, lines[-1][:-30]), "edit", 9, "not an audit entry", id="cut-mid-entry"),
]


@pytest.mark.parametrize("tamper, failure, bad_seq, problem", TAMPERING)
def test_tampering_is_detected(log: Log, tamper, failure: str, bad_seq: int | None, problem: str):
    rewrite(log.path, tamper)
    code, result = verify(log.inst)
    assert code == 3 and result["ok"] is False and result["failure"] == failure, result
    assert result["bad_seq"] == bad_seq and problem in result["problem"], result


def test_verify_prints_one_line_naming_the_problem(log: Log):
    rewrite(log.path, lambda lines: lines.pop(1))
    proc = log.inst.run("audit", "verify")
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.startswith("error: audit log tampered: line 2") and proc.stderr.count("\n") == 1
