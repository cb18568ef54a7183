"""Invariant 4, crypto-shredding (DESIGN.md): expiring a version (by command or by its retention period) destroys
its KEK, so no copy of its shards anywhere can be read again; the catalog and the audit log keep a record of the
shredding (ids and times, no data); rotating the master key makes old backups of the key store useless too.

"Old backups of the key store" are copies of keys/keystore.db: the master key is kept apart from them. A copy of
the whole keys/ directory, master key included, taken before an expiry still reads the version (see issue 12).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from aircluster.installation import principal
from tests.invariants import keyholder
from tests.invariants.conftest import Installation
from tests.unit.store.conftest import text_records

SHRED_ENTRY_FIELDS = {
    "seq",
    "time",
    "principal",
    "action",
    "prev",
    "mac",
    "dataset",
    "version",
    "version_id",
    "reason",
    "pseudonym_key_destroyed",
}


def test_an_expired_version_is_unreadable_from_every_copy_and_its_shredding_is_recorded(installation: Installation):
    inst = installation
    for seed in (1, 2):
        inst.import_records("ds", text_records(80, seed=seed))
    inst.approve("ds@1")
    inst.approve("ds@2")
    v1 = inst.show("ds@1")
    location = Path(v1["location"])
    keystore = inst.home / "server" / "keys" / "keystore.db"
    offsite = inst.root / "offsite-copy"  # the shards, copied away while the version was readable
    shutil.copytree(location, offsite)
    backup = inst.root / "keystore-backup.db"  # a backup of the key store taken before the expiry
    shutil.copy(keystore, backup)
    assert len(inst.read("ds@1")) == 80

    assert json.loads(inst.ok("data", "expire", "ds@1", "--json")) == {"shredded": ["ds@1"]}
    failed = inst.fails("data", "read", "ds@1", code=4, user="bob")
    assert "ds@1 was shredded" in failed.stderr and "never be read again" in failed.stderr and failed.stdout == ""
    assert len(inst.read("ds@2")) == 80  # the other version is untouched

    # The copied shards, put back in place, stay unreadable; no key the installation holds opens any of them.
    shutil.copytree(offsite, location, dirs_exist_ok=True)
    inst.fails("data", "read", "ds@1", code=4)
    assert f"kek:{v1['id']}" not in inst.key_ids()
    keys = list(keyholder.current_keys(inst.home / "server" / "keys").values())
    assert not [s for s in offsite.glob("shard-*.air") if keyholder.opens_with_any(keys, s.read_bytes())]
    assert all(keyholder.opens_with_any(keys, s.read_bytes()) for s in inst.location("ds@2").glob("shard-*.air"))

    # The backup still holds the wrapped KEK, under a master key that no longer exists; no file here holds it.
    master = keyholder.master_key(inst.home / "master" / "master.key")
    wrapped_kek = keyholder.wrapped_keys(backup)[f"kek:{v1['id']}"]
    with pytest.raises(InvalidTag):
        keyholder.unwrap_under_master(master, f"kek:{v1['id']}", wrapped_kek)
    assert [p for p in inst.written_files() if wrapped_kek in p.read_bytes()] == []  # zeroed, not just unlinked
    current = inst.root / "keystore-current.db"
    shutil.copy(keystore, current)
    shutil.copy(backup, keystore)  # restored in place: refused
    assert "does not belong to key store" in inst.fails("data", "read", "ds@1", code=2).stderr
    db = sqlite3.connect(keystore)  # ... and made to claim the current master key: nothing unwraps
    db.execute(
        "UPDATE meta SET value=? WHERE name='master_id'",
        (json.loads((inst.home / "master" / "master.key").read_text())["id"],),
    )
    db.commit()
    db.close()
    # The CLI refuses on the catalog's record before it needs a key; the key itself stays out of reach:
    assert "was shredded" in inst.fails("data", "read", "ds@1", code=4).stderr
    # The server's housekeeping (every 5 s) may already have dropped the shredded KEK from the restored store,
    # as the key store must match the catalog's record; while it is there, nothing unwraps it.
    restored = keyholder.wrapped_keys(keystore).get(f"kek:{v1['id']}")
    assert restored in (None, wrapped_kek)
    if restored is not None:
        with pytest.raises(InvalidTag):
            keyholder.unwrap_under_master(keyholder.master_key(inst.home / "master" / "master.key"), f"kek:{v1['id']}", restored)
    shutil.copy(current, keystore)
    assert len(inst.read("ds@2")) == 80

    # The record: ids, times and why; no data.
    shown = inst.show("ds@1")
    assert shown["status"] == "shredded" and shown["shredded_at"] >= v1["created_at"]
    assert shown["shred_reason"] == f"expired by {principal()}"
    shreds = [e for e in inst.audit() if e["action"] == "data.shred"]
    assert shreds[0]["version_id"] == v1["id"] and shreds[0]["principal"] == principal()
    assert shreds[0]["reason"] == f"expired by {principal()}"
    # If the housekeeping tick fell while the backup was in place, it destroyed the restored key again, and said so.
    assert [(e["version_id"], e["reason"]) for e in shreds[1:]] in (
        [],
        [(v1["id"], "the catalog said shredded and the key store still held the key")],
    )
    assert all(set(e) <= SHRED_ENTRY_FIELDS for e in shreds)
    assert json.loads(inst.ok("audit", "verify", "--json"))["ok"] is True


def test_a_version_is_shredded_when_its_retention_period_ends(installation: Installation):
    inst = installation
    result = inst.import_records("short", text_records(10), "--retention-days", str(1.0 / 86400))  # one second
    time.sleep(1.2)
    listing = json.loads(inst.ok("data", "ls", "--json"))  # any command applies retention first
    assert [(v["ref"], v["status"], v["shred_reason"]) for v in listing] == [("short@1", "shredded", "retention period ended")]
    inst.fails("data", "read", "short@1", code=4, user="bob")
    assert f"kek:{result['version_id']}" not in inst.key_ids()
    shreds = [e for e in inst.audit() if e["action"] == "data.shred"]
    assert [(e["version_id"], e["reason"]) for e in shreds] == [(result["version_id"], "retention period ended")]


def test_rotating_the_master_key_makes_old_key_store_backups_useless(installation: Installation):
    inst = installation
    inst.import_records("ds", text_records(30))
    inst.approve("ds@1")
    keys_dir = inst.home / "server" / "keys"
    backup = inst.root / "keystore-backup.db"
    shutil.copy(keys_dir / "keystore.db", backup)
    master_file = inst.home / "master" / "master.key"  # kept apart from the server's state
    old_master_file = master_file.read_bytes()
    old_master = json.loads(old_master_file)["key"].encode()

    out = json.loads(inst.ok("keys", "rotate-master", "--json"))
    assert out["keys_rewrapped"] >= 2 and out["old_master_id"] != out["new_master_id"]
    assert len(inst.read("ds@1")) == 30  # every key was re-wrapped

    # The old master key is gone from every file; the backup's keys do not unwrap under the new one.
    assert [p for p in inst.written_files() if old_master in p.read_bytes()] == []
    master = keyholder.master_key(master_file)
    backed_up = keyholder.wrapped_keys(backup)
    assert len(backed_up) >= 2
    for key_id, blob in backed_up.items():
        with pytest.raises(InvalidTag):
            keyholder.unwrap_under_master(master, key_id, blob)
    # and the old master key cannot open the rotated store either
    master_file.write_bytes(old_master_file)
    assert "does not belong to key store" in inst.fails("data", "read", "ds@1", code=2).stderr
