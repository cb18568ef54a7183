"""Invariant 5, review gate (DESIGN.md): a version is readable for training only after its privacy review is
approved, by a steward other than the principal who imported it.

Tested as it stands today, where the acting principal is AIRCLUSTER_USER or else the OS user. The other half of
the invariant, principals authenticated by the kernel (the peer's uid on the server's Unix socket, MUNGE from
other nodes) and stewards as a role, comes with the control-plane server (issue 12).
"""

from __future__ import annotations

import json
from typing import Any

from tests.invariants import keyholder
from tests.invariants.conftest import Installation
from tests.unit.store.conftest import text_records


def review_entries(inst: Installation) -> list[dict[str, Any]]:
    return [e for e in inst.audit() if e["action"].startswith("review.")]


def test_a_pending_version_is_unreadable_until_a_second_principal_approves_it(installation: Installation):
    inst = installation
    inst.import_records("posts", text_records(120))  # imported by alice
    assert inst.show("posts@1")["status"] == "pending_review"

    for user in ("alice", "bob"):
        failed = inst.fails("data", "read", "posts@1", code=5, user=user)
        assert "posts@1 is pending privacy review" in failed.stderr and failed.stdout == ""
    run_dir = inst.home / "runs" / "gate"
    trained = inst.train(run_dir, 'data.datasets=["posts@1"]', "train.steps=2")
    assert trained.returncode == 5, trained.stderr[-3000:]
    assert trained.stderr.strip().splitlines()[-1].startswith("error: posts@1 is pending privacy review")
    assert not (run_dir / "checkpoints").exists() or not any((run_dir / "checkpoints").iterdir())

    for decision in ("approve", "reject"):  # the importer decides nothing about her own import
        failed = inst.fails("review", decision, "posts@1", "--note", "looks fine to me", code=6, user="alice")
        assert "four-eyes" in failed.stderr
    assert inst.show("posts@1")["status"] == "pending_review" and review_entries(inst) == []
    assert not [e for e in inst.audit() if e["action"] == "keys.release"]  # nothing was released while pending

    inst.approve("posts@1", user="steward")
    assert len(inst.read("posts@1", user="bob")) == 120
    trained = inst.train(run_dir, 'data.datasets=["posts@1"]', "train.steps=2")
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert [(e["action"], e["principal"]) for e in review_entries(inst)] == [("review.approve", "steward")]


def test_a_rejected_version_has_its_key_destroyed(installation: Installation):
    inst = installation
    result = inst.import_records("ds", text_records(20))
    location = inst.location("ds@1")
    out = json.loads(inst.ok("review", "reject", "ds@1", "--note", "contains raw logs", "--json", user="steward"))
    assert out["decision"] == "rejected"
    shown = inst.show("ds@1")
    assert shown["status"] == "shredded" and shown["review_state"] == "rejected"
    assert "rejected in review by steward" in shown["shred_reason"]
    inst.fails("data", "read", "ds@1", code=4, user="bob")
    inst.fails("review", "approve", "ds@1", "--note", "changed my mind", code=2, user="carol")  # final

    assert f"kek:{result['version_id']}" not in inst.key_ids()
    keys = list(keyholder.current_keys(inst.home / "server" / "keys").values())
    shards = list(location.glob("shard-*.air"))
    assert shards and not [s for s in shards if keyholder.opens_with_any(keys, s.read_bytes())]

    actions = [e["action"] for e in inst.audit()]
    assert actions.index("review.reject") < actions.index("data.shred")
    reject = next(e for e in inst.audit() if e["action"] == "review.reject")
    assert reject["principal"] == "steward" and reject["note"] == "contains raw logs"
