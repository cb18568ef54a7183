"""Invariant 6, audit (DESIGN.md): every import, review decision, key release, expiry and key rotation is in the
log, and edits, insertions, deletions, reordering and truncation are detected.

Tested for today's log: a MAC-chained file with its newest (seq, MAC) anchored in the key store, checked by
`aircluster audit verify`. The signed Merkle-tree log that users verify with a public key, written by the server
before each action takes effect, comes with the control-plane server (issue 12).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
    assert code == 0 and result["ok"] and result["entries"] == result["anchor_seq"] == len(entries)
    story = [(e["action"], e["principal"]) for e in entries]
    assert story == [
        ("init", "alice"),
        ("data.import", "alice"),
        ("data.import", "alice"),
        ("review.approve", "steward"),
        ("review.reject", "steward"),
        ("data.shred", "steward"),
        ("keys.release", "bob"),
        ("data.shred", "alice"),
        ("keys.rotate_master", "alice"),
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


def rehash(lines: list[str]) -> None:
    """Edit an entry and recompute its 'mac' as a plain SHA-256: without the audit key it does not fit."""
    entry = json.loads(lines[1])
    entry["principal"] = "mallory"
    entry.pop("mac")
    entry["mac"] = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
    lines[1] = json.dumps(entry)


def swap(lines: list[str]) -> None:
    lines[2], lines[3] = lines[3], lines[2]


# Each: what is done to the log, the first entry (line) verify must blame, and words its problem must hold.
TAMPERING: list[Any] = [
    pytest.param(edit(2, principal="mallory"), 3, "edited", id="principal-edited"),
    pytest.param(edit(6, shards=0), 7, "edited", id="release-count-edited"),
    pytest.param(rehash, 2, "", id="edited-and-rehashed-without-the-key"),
    pytest.param(lambda lines: lines.insert(3, lines[3]), 5, "inserted or deleted", id="entry-duplicated"),
    pytest.param(lambda lines: lines.insert(4, lines[1]), 5, "inserted or deleted", id="old-entry-replayed"),
    pytest.param(lambda lines: lines.pop(4), 5, "inserted or deleted", id="middle-entry-deleted"),
    pytest.param(swap, 3, "inserted or deleted", id="two-entries-swapped"),
    pytest.param(lambda lines: lines.pop(), 9, "anchor", id="last-entry-deleted"),
    pytest.param(lambda lines: lines.__delitem__(slice(4, None)), 5, "anchor", id="rolled-back-to-an-earlier-log"),
    pytest.param(lambda lines: lines.clear(), 1, "anchor", id="emptied"),
    pytest.param(
        lambda lines: lines.__setitem__(-1, lines[-1][:-30]), 9, "not a valid audit entry", id="cut-mid-entry"
    ),
]


@pytest.mark.parametrize("tamper, bad_seq, problem", TAMPERING)
def test_tampering_is_detected(log: Log, tamper, bad_seq: int, problem: str):
    rewrite(log.path, tamper)
    code, result = verify(log.inst)
    assert code == 3 and result["ok"] is False and result["bad_seq"] == bad_seq and problem in result["problem"], result


def test_verify_prints_one_line_naming_the_problem(log: Log):
    rewrite(log.path, lambda lines: lines.pop(1))
    proc = log.inst.run("audit", "verify")
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.startswith("error: audit log tampered: line 2") and proc.stderr.count("\n") == 1
