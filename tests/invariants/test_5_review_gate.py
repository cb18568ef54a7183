"""Invariant 5, review gate (DESIGN.md): a version is readable for training only after its privacy review is
approved, by a steward other than the principal who imported it.

Tested here on a personal installation (one account: the server cannot tell a second person from the first, so
the gate is what is tested, and the decision's audit entry says four-eyes did not hold). Four-eyes between real
accounts, stewards as a role and grants are tested in tests/unit/server/test_roles_and_grants.py.
"""

from __future__ import annotations

import json
from typing import Any

from aircluster.installation import principal
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

    assert inst.show("posts@1")["status"] == "pending_review" and review_entries(inst) == []
    assert not [e for e in inst.audit() if e["action"] == "keys.release"]  # nothing was released while pending

    inst.approve("posts@1", user="steward")
    assert len(inst.read("posts@1", user="bob")) == 120
    trained = inst.train(run_dir, 'data.datasets=["posts@1"]', "train.steps=2")
    assert trained.returncode == 0, trained.stderr[-3000:]
    entries = review_entries(inst)
    assert [(e["action"], e["principal"], e["four_eyes"]) for e in entries] == [("review.approve", principal(), False)]


def test_a_rejected_version_has_its_key_destroyed(installation: Installation):
    inst = installation
    result = inst.import_records("ds", text_records(20))
    location = inst.location("ds@1")
    out = json.loads(inst.ok("review", "reject", "ds@1", "--note", "contains raw logs", "--json", user="steward"))
    assert out["decision"] == "rejected"
    shown = inst.show("ds@1")
    assert shown["status"] == "shredded" and shown["review_state"] == "rejected"
    assert f"rejected in review by {principal()}" in shown["shred_reason"]
    inst.fails("data", "read", "ds@1", code=4, user="bob")
    inst.fails("review", "approve", "ds@1", "--note", "changed my mind", code=2, user="carol")  # final

    assert f"kek:{result['version_id']}" not in inst.key_ids()
    keys = list(keyholder.current_keys(inst.home / "server" / "keys").values())
    shards = list(location.glob("shard-*.air"))
    assert shards and not [s for s in shards if keyholder.opens_with_any(keys, s.read_bytes())]

    actions = [e["action"] for e in inst.audit()]
    assert actions.index("review.reject") < actions.index("data.shred")
    reject = next(e for e in inst.audit() if e["action"] == "review.reject")
    assert reject["principal"] == principal() and reject["note"] == "contains raw logs"
