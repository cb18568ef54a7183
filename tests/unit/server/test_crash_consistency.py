"""A server killed (SIGKILL, at random moments) while a steward approves many versions never leaves a decision
without its audit entry.

decide() appends the entry (fsynced, then the signed head) before the catalog records the decision, so a
kill between the two leaves an entry whose decision never happened: the version is still pending and is
decided again later, with an entry of its own. The honest invariant is therefore one-sided: every approval
in the catalog has a signed `review.approve` entry for that version, made before it; entries without an
approval are allowed, and each of them belongs to a version that stayed pending at that moment.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from aircluster import installation
from aircluster.context import open_context
from aircluster.server import config as server_config
from aircluster.store.ingest import ImportOptions, import_dataset
from tests.accounts import call_as, clean_env, home_of
from tests.unit.server.conftest import Installation, read_rows, records, write_jsonl

pytestmark = pytest.mark.slow

VERSIONS = 40

APPROVER = """
import sys
from aircluster.client.connection import connect
from aircluster.errors import ServerUnavailable

with connect(autostart=False) as server:
    print("ready", flush=True)
    for ref in sys.argv[1:]:
        try:
            server.call("review.decide", ref=ref, decision="approved", note="kill test")
        except ServerUnavailable:
            sys.exit(3)
        print(ref, flush=True)
"""


def _import_versions(home: str, source: str, importer: str, n: int) -> list[str]:
    """As the server's account: `n` pending versions of `posts`, imported by `importer`."""
    config = server_config.load(installation.Paths(Path(home)))
    with open_context(paths=config.paths(Path(home))) as ctx:
        return [import_dataset(ctx.as_caller(importer), "posts", [source], ImportOptions(), review=None).ref for _ in range(n)]


def _decisions(catalog: str) -> dict[str, tuple[str, str]]:
    """ref -> (version id, review state), as the catalog file holds them."""
    with sqlite3.connect(catalog) as db:
        rows = db.execute(
            "SELECT d.name || '@' || v.number, v.id, v.review_state FROM versions v JOIN datasets d ON d.id = v.dataset_id"
        )
        return {ref: (vid, state) for ref, vid, state in rows}


def signed_entries(shared: Installation) -> list[dict]:
    """The entries the signed head covers (an entry written but not yet signed is not in the log)."""
    size = json.loads(shared.paths.audit_head.read_text())["tree_size"]
    lines = shared.paths.audit_log.read_bytes().split(b"\n")
    return [json.loads(line) for line in lines[:size]]


def test_killing_the_server_during_decisions_never_leaves_a_decision_without_its_entry(shared: Installation) -> None:
    source = write_jsonl(shared.top / "sources" / "posts.jsonl", records(5))
    refs = call_as(shared.server, _import_versions, str(shared.home), str(source), shared.alice.pw_name, VERSIONS, timeout=300)
    carol = shared.carol
    argv = ["setpriv", f"--reuid={carol.pw_uid}", f"--regid={carol.pw_gid}", "--init-groups", "--", shared.python]
    rng = random.Random(12)
    kills = interrupted = 0
    for _ in range(80):
        states = call_as(shared.server, _decisions, str(shared.paths.catalog))
        pending = [ref for ref in refs if states[ref][1] == "pending_review"]
        if not pending:
            break
        shared.start()
        approver = subprocess.Popen(
            [*argv, "-c", APPROVER, *pending], env=clean_env(carol, shared.env()), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert approver.stdout is not None
        assert approver.stdout.readline() == b"ready\n", approver.stderr.read() if approver.stderr else b""
        # a few decisions in, then a kill at a random point of the next one (decisions take milliseconds)
        for _ in range(rng.randint(0, 4)):
            approver.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.006))
        shared.kill()
        kills += 1
        out, err = approver.communicate(timeout=60)
        assert approver.returncode in (0, 3), err.decode()
        interrupted += approver.returncode == 3
    assert interrupted >= 3, f"only {interrupted} of {kills} kills caught the steward mid-way"

    states = call_as(shared.server, _decisions, str(shared.paths.catalog))
    entries = signed_entries(shared)
    approvals = [e for e in entries if e["action"] == "review.approve"]
    audited = {e["version_id"] for e in approvals}
    approved = {vid for vid, state in states.values() if state == "approved"}
    assert len(approved) == len(refs), "every version ends up approved"
    assert approved <= audited, f"decisions without an entry: {approved - audited}"
    # an entry for a version decided twice: the first was written, then the kill came before the decision
    repeated = len(approvals) - len(audited)
    assert all(e["decided_by"] == carol.pw_name and e["four_eyes"] is True for e in approvals)

    # the server comes back, the log verifies for another account, and each approval opens its data (its proof
    # was written with it)
    shared.start()
    witness = {"XDG_STATE_HOME": str(home_of(shared.bob) / "state")}  # the heads bob has seen: his own
    verified = shared.cli(shared.bob, "audit", "verify", "--json", env=witness)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert json.loads(verified.stdout)["entries"] == len(signed_entries(shared))
    for ref in rng.sample(refs, 3):
        assert len(read_rows(shared.ok(shared.alice, "data", "read", ref))) == 5
    print(f"{kills} kills, {interrupted} mid-way, {repeated} entries whose decision a kill prevented")
