"""Crypto-shredding (DESIGN.md, invariant 4)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from aircluster.context import open_context
from aircluster.errors import DatasetShredded, IntegrityError
from aircluster.security.keys import KeyService, kek_id
from aircluster.store.reader import VersionReader
from tests.unit.store.conftest import approve, read_all, text_records, version, write_jsonl


@pytest.fixture
def two_versions(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(80, seed=1))
    write_jsonl(tmp_path / "b.jsonl", text_records(80, seed=2))
    for src in ("a.jsonl", "b.jsonl"):
        cli.ok("data", "import", "ds", str(tmp_path / src), "--policy", str(permissive_policy), "--shard-size", "4k")
    approve(cli, "ds@1")
    approve(cli, "ds@2")
    return tmp_path


def open_shards(ref: str) -> int:
    with open_context() as ctx:
        reader = VersionReader(ctx, ctx.catalog.resolve(ref), require_approved=False)
        return sum(len(reader.open_shard(i)) for i in range(reader.num_shards))


def test_expire_makes_reads_fail_and_keeps_others(cli, two_versions):
    cli.ok("data", "expire", "ds@1")
    code, out, err = cli("data", "read", "ds@1", user="bob")
    assert code == DatasetShredded.exit_code and out == ""
    assert "ds@1 was shredded" in err and "never be read again" in err
    assert len(read_all(cli, "ds@2")) == 80
    v = version("ds@1")
    assert v.shredded_at is not None and v.status == "shredded"
    entries = json.loads(cli.ok("audit", "tail", "--json", "-n", "50"))
    shred = [e for e in entries if e["action"] == "data.shred"]
    assert len(shred) == 1 and shred[0]["version_id"] == v.id 


@pytest.mark.parametrize("rotate_after", [False, True])
def test_keystore_copy_from_before_expiry_cannot_read_it(cli, two_versions, home, tmp_path, rotate_after):
    """An attacker holds a copy of the key store taken before the expiry (not the master key file)."""
    stolen = tmp_path / "stolen-keystore.db"
    shutil.copy(home / "keys" / "keystore.db", stolen)
    current = tmp_path / "current-keystore.db"
    v1 = version("ds@1")
    cli.ok("data", "expire", "ds@1")
    if rotate_after:
        cli.ok("keys", "rotate-master")
    shutil.copy(home / "keys" / "keystore.db", current)

    # Plant the stolen copy and make it claim the current master key, to get past the id check.
    master_id = json.loads((home / "keys" / "master.key").read_text())["id"]
    shutil.copy(stolen, home / "keys" / "keystore.db")
    db = sqlite3.connect(home / "keys" / "keystore.db")
    db.execute("UPDATE meta SET value=? WHERE name='master_id'", (master_id,))
    db.commit()
    db.close()
    keys = KeyService(home / "keys" / "keystore.db", home / "keys" / "master.key")
    assert keys.has_key(kek_id(v1.id))  # the stolen copy still holds the wrapped KEK...
    with pytest.raises(IntegrityError, match="fails to unwrap under the master key"):
        keys.unwrapper(v1.id, "ds@1")  # ...but the master key that wrapped it is gone
    keys.close()
    code, out, err = cli("data", "read", "ds@1", user="bob")
    # the CLI refuses before it needs the key (the catalog knows ds@1 is shredded); nothing is printed either way
    assert code == DatasetShredded.exit_code and out == "" and "can never be read again" in err
    # every shard of ds@1 stays unreadable: each DEK needs the KEK
    manifest = json.loads((Path(v1.location) / "manifest.json").read_text())
    assert len(manifest["shards"]) >= 2

    shutil.copy(current, home / "keys" / "keystore.db")
    assert open_shards("ds@2") == 80  # other versions are unaffected
    with pytest.raises(DatasetShredded):
        open_shards("ds@1")


def test_retention_period_shreds_on_next_open(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(10))
    cli.ok("data", "import", "short", str(tmp_path / "a.jsonl"), "--policy", str(permissive_policy),
           "--retention-days", str(1.0 / 86400))  # one second
    approve(cli, "short@1")
    time.sleep(1.2)
    cli.ok("data", "ls")  # any command opens the catalog and applies retention
    v = version("short@1")
    assert v.shredded_at is not None and v.shred_reason == "retention period ended"
    code, _, err = cli("data", "read", "short@1", user="bob")
    assert code == DatasetShredded.exit_code
    with pytest.raises(DatasetShredded):
        open_shards("short@1")


def test_pseudonym_key_goes_with_the_last_readable_version(cli, two_versions, home):
    from aircluster.security.keys import pseudonym_key_id

    dataset_id = version("ds@1").dataset_id
    with open_context() as ctx:
        ctx.keys.pseudonym_key(dataset_id)  # the import's review created it; make sure it exists either way
        assert ctx.keys.has_key(pseudonym_key_id(dataset_id))
    cli.ok("data", "expire", "ds@1")
    with open_context() as ctx:
        assert ctx.keys.has_key(pseudonym_key_id(dataset_id))  # ds@2 still uses it
    cli.ok("data", "expire", "ds@2")
    with open_context() as ctx:
        assert not ctx.keys.has_key(pseudonym_key_id(dataset_id))
    entries = [e for e in json.loads(cli.ok("audit", "tail", "--json", "-n", "20")) if e["action"] == "data.shred"]
    assert [e["pseudonym_key_destroyed"] for e in entries] == [False, True]
