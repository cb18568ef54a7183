"""Shredding is decided by the key store, and enforced on every batch of keys:

- a shred faked in the catalog (root edits `shredded_at`) becomes a real one at the server's next housekeeping:
  the key is destroyed, so setting the column back reopens nothing; a key gone from the key store (a shred cut
  short after the key went) makes the version shredded, whatever the catalog said;
- a reader holding an open lease is refused at its very next `keys.unwrap` after `data expire`.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest

from aircluster.client.remote import ServerKeys
from aircluster.errors import DatasetShredded
from aircluster.security.keys import kek_id
from tests.accounts import call_as, clean_env
from tests.unit.server.conftest import Installation, one_line_error, read_rows, records

pytestmark = pytest.mark.slow  # a server, real accounts and a process per command

HOUSEKEEPING_WITHIN_S = 10.0


# --- run as the server's account (root acting on the server's files, keeping their owner) ---------------------


def _set_shredded_at(catalog: str, version_id: str, at: float | None) -> None:
    with sqlite3.connect(catalog) as db:
        reason = None if at is None else "faked by root"
        db.execute("UPDATE versions SET shredded_at=?, shred_reason=? WHERE id=?", (at, reason, version_id))


def _key_ids(keystore: str) -> list[str]:
    with sqlite3.connect(keystore) as db:
        return [r[0] for r in db.execute("SELECT key_id FROM keys")]


def _master_id(keystore: str) -> str:
    with sqlite3.connect(keystore) as db:
        return db.execute("SELECT value FROM meta WHERE name='master_id'").fetchone()[0]


def _delete_key(keystore: str, key_id: str) -> int:
    with sqlite3.connect(keystore) as db:
        return db.execute("DELETE FROM keys WHERE key_id=?", (key_id,)).rowcount


def _try_release(ref: str) -> dict[str, Any]:
    """As a reader: what the server's listing says of the version, and what keys.open answers."""
    with ServerKeys.connect() as keys:
        version = keys.catalog.resolve(ref)
        try:
            keys.release(version, purpose="read", shards=version.shards)
        except DatasetShredded as err:
            return {"shredded_at": version.shredded_at, "refused": str(err)}
        return {"shredded_at": version.shredded_at, "refused": None}


def refused_while_the_catalog_says_readable(shared: Installation, version_id: str, ref: str) -> str:
    """The server's refusal of a key for `ref` at a moment its catalog row says not shredded (the column is set back
    before each try: housekeeping may mark it between two steps, and then it is tried again)."""
    for _ in range(3):
        call_as(shared.server, _set_shredded_at, str(shared.paths.catalog), version_id, None)
        tried = call_as(shared.alice, _try_release, ref, env=shared.env())
        if tried["shredded_at"] is None:
            assert tried["refused"] is not None, f"{ref}: keys released although its key is gone from the key store"
            return tried["refused"]
    raise AssertionError(f"{ref}: housekeeping marked it shredded before every try")


def wait_until(what: str, condition: Callable[[], bool], timeout: float = HOUSEKEEPING_WITHIN_S) -> float:
    """Seconds until `condition` held; fails the test if it did not within `timeout`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.2)
    return time.monotonic() - start


def show(shared: Installation, ref: str) -> dict:
    return json.loads(shared.ok(shared.alice, "data", "show", ref, "--json"))


def test_a_catalog_column_cannot_fake_or_undo_a_shred(shared: Installation) -> None:
    faked_ref = shared.import_("posts", records(20))
    cut_ref = shared.import_("notes", records(20))
    for ref in (faked_ref, cut_ref):
        shared.approve(ref)
        assert len(read_rows(shared.ok(shared.alice, "data", "read", ref))) == 20
    faked, cut = shared.version_id(faked_ref), shared.version_id(cut_ref)
    catalog, keystore = str(shared.paths.catalog), str(shared.paths.keystore)

    def has_kek(version_id: str) -> bool:
        return kek_id(version_id) in call_as(shared.server, _key_ids, keystore)

    master_before = call_as(shared.server, _master_id, keystore)
    assert has_kek(faked) and has_kek(cut)

    # root fakes a shred in the catalog: the server makes it real at its next housekeeping
    call_as(shared.server, _set_shredded_at, catalog, faked, time.time())
    took = wait_until(f"the key of {faked_ref} destroyed", lambda: not has_kek(faked))
    print(f"\nfaked shred of {faked_ref} made real after {took:.1f} s")
    # a real shred: the master key rotated, so a key store copied before it holds nothing usable
    assert call_as(shared.server, _master_id, keystore) != master_before
    entries = [json.loads(line) for line in shared.paths.audit_log.read_text().splitlines()]
    assert [e["reason"] for e in entries if e["action"] == "data.shred" and e["version_id"] == faked] == [
        "the catalog said shredded and the key store still held the key"
    ]
    # ... and setting the column back opens nothing
    assert f"{faked_ref}: its key was destroyed" in refused_while_the_catalog_says_readable(shared, faked, faked_ref)
    done = shared.read(shared.alice, faked_ref)
    assert "can never be read again" in one_line_error(done) and done.stdout == ""
    assert has_kek(cut)  # the other dataset's key was not touched
    assert len(read_rows(shared.ok(shared.alice, "data", "read", cut_ref))) == 20

    # a shred cut short after its key went: the key store says shredded, the catalog does not (yet)
    assert call_as(shared.server, _delete_key, keystore, kek_id(cut)) == 1
    assert f"{cut_ref}: its key was destroyed" in refused_while_the_catalog_says_readable(shared, cut, cut_ref)
    done = shared.read(shared.alice, cut_ref)
    assert "can never be read again" in one_line_error(done) and done.stdout == ""
    wait_until(f"{cut_ref} shown shredded", lambda: show(shared, cut_ref)["status"] == "shredded")
    listed = {v["ref"]: v for v in json.loads(shared.ok(shared.alice, "data", "ls", "--json"))}
    assert listed[cut_ref]["status"] == "shredded" and listed[cut_ref]["shred_reason"] == "its key is no longer in the key store"
    # the faked one, its column set back, is shown shredded again too: the key store won
    wait_until(f"{faked_ref} shown shredded", lambda: show(shared, faked_ref)["status"] == "shredded")
    for ref in (faked_ref, cut_ref):
        assert f"{ref} was shredded" in one_line_error(shared.read(shared.alice, ref))


# --- a reader with an open lease -----------------------------------------------------------------------------

LEASED_READER = """
import json, sys
from aircluster.client.remote import ServerKeys
from aircluster.store.reader import VersionReader

def attempt(reader, index):
    try:
        return {"records": len(reader.open_shard(index))}
    except Exception as err:
        return {"error": type(err).__name__, "message": str(err)}

with ServerKeys.connect() as keys:
    # one lease each (keys.open, once), then the data key of shard 0 (keys.unwrap)
    readers = {ref: VersionReader(keys, keys.catalog.resolve(ref), purpose="data read") for ref in sys.argv[1:]}
    print(json.dumps({ref: attempt(r, 0) for ref, r in readers.items()}), flush=True)
    sys.stdin.readline()  # the test shreds one of them meanwhile
    print(json.dumps({ref: [attempt(r, 0), attempt(r, 1)] for ref, r in readers.items()}), flush=True)
"""


def test_a_shred_stops_an_open_lease_at_its_next_batch(shared: Installation) -> None:
    shredded_ref = shared.import_("posts", records(60), shard_bytes=1024)
    kept_ref = shared.import_("notes", records(60), shard_bytes=1024)
    for ref in (shredded_ref, kept_ref):
        shared.approve(ref)
        assert json.loads(shared.root_ok("data", "show", ref, "--json"))["shards"] >= 2
    alice = shared.alice
    argv = ["setpriv", f"--reuid={alice.pw_uid}", f"--regid={alice.pw_gid}", "--init-groups", "--"]
    reader = subprocess.Popen(
        [*argv, shared.python, "-c", LEASED_READER, shredded_ref, kept_ref],
        env=clean_env(alice, shared.env()),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        first = json.loads(reader.stdout.readline() or "null")
        assert first is not None, reader.stderr.read() if reader.stderr else ""
        assert first[shredded_ref]["records"] > 0 and first[kept_ref]["records"] > 0, first

        assert json.loads(shared.ok(alice, "data", "expire", shredded_ref, "--json")) == {"shredded": [shredded_ref]}
        reader.stdin.write("go\n")
        reader.stdin.flush()
        after = json.loads(reader.stdout.readline() or "null")
        assert reader.wait(timeout=60) == 0, reader.stderr.read() if reader.stderr else ""
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    assert after is not None
    # the lease on the shredded version unwraps nothing more: not the next shard, not even shard 0 again
    for refused in after[shredded_ref]:
        assert refused["error"] == "DatasetShredded", after
        assert refused["message"].startswith(f"{shredded_ref} was shredded") or refused["message"].startswith(
            f"{shredded_ref}: its key was destroyed"
        ), refused
    # the same connection's other lease keeps going: it is the shred that stopped the first, not the lease
    assert all(r.get("records", 0) > 0 for r in after[kept_ref]), after

    # each reader opened its lease once: the refusal came at a batch, not at a new keys.open
    entries = [json.loads(line) for line in shared.paths.audit_log.read_text().splitlines()]
    opened = [e["version"] for e in entries if e["action"] == "keys.release" and e["dataset"] == "posts"]
    shredded_number = int(shredded_ref.split("@")[1])
    assert opened.count(shredded_number) == 1
