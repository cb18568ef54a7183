"""The reader's side of invariant 2: a bad shard yields nothing, and ciphertext buffers are handled as documented.

The attacks through the command line (flipped bytes, swaps, replays, manifest edits) are in
tests/invariants/test_2_authenticated_everything.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from aircluster.context import open_context
from aircluster.errors import IntegrityError
from aircluster.store.reader import VersionReader
from tests.unit.store.conftest import approve, text_records, version, write_jsonl


@pytest.fixture
def stored(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(200, seed=1))
    cli.ok("data", "import", "posts", str(tmp_path / "a.jsonl"), "--policy", str(permissive_policy), "--shard-size", "4k")
    approve(cli, "posts@1")
    v = version("posts@1")
    assert v.shards >= 4
    return Path(v.location)


def test_no_record_is_returned_from_a_bad_shard(cli, stored):
    """The reader checks a whole shard before yielding any of its records."""
    shard = stored / "shard-00001.air"
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a middle segment: earlier segments of the same shard are fine
    shard.write_bytes(bytes(data))
    with open_context() as ctx:
        reader = VersionReader(ctx, ctx.catalog.resolve("posts@1"))
        first = len(reader.open_shard(0))
        got = []
        with pytest.raises(IntegrityError) as info:
            for record in reader:
                got.append(record)
        assert info.value.shard == 1 and info.value.dataset == "posts@1"
        assert len(got) == first  # everything from shard 0, nothing from shard 1


def test_writable_ciphertext_is_decrypted_in_place_and_read_only_ciphertext_is_left_alone(cli, stored):
    with open_context() as ctx:
        reader = VersionReader(ctx, ctx.catalog.resolve("posts@1"))
        fetched = reader.fetch_shard(0)
        assert isinstance(fetched, bytearray)  # what the loader and the reader open: writable
        ciphertext = bytes(fetched)
        expected = list(reader.open_shard(0, ciphertext))
        assert ciphertext == bytes(fetched)  # read-only input: decrypted into a new buffer
        assert list(reader.open_shard(0, fetched)) == expected and expected
        assert bytes(fetched) != ciphertext  # overwritten by the plaintext: no second shard-sized buffer
        assert (stored / "shard-00000.air").read_bytes() == ciphertext  # the file is never touched
        tampered = bytearray(ciphertext)
        tampered[-100] ^= 0x01  # the sealed index
        with pytest.raises(IntegrityError, match="posts@1 shard 0"):
            reader.open_shard(0, tampered)


def test_a_renumbered_catalog_row_cannot_serve_another_versions_data(cli, home, tmp_path, permissive_policy):
    """An edit behind the library's back that swaps version numbers is caught by the manifest."""
    import sqlite3

    for i in range(2):
        write_jsonl(tmp_path / f"{i}.jsonl", text_records(20, seed=i))
        cli.ok("data", "import", "r", str(tmp_path / f"{i}.jsonl"), "--policy", str(permissive_policy))
        approve(cli, f"r@{i + 1}")
    v1, v2 = version("r@1"), version("r@2")
    db = sqlite3.connect(home / "server" / "catalog.db")
    db.execute("UPDATE versions SET number=number+100 WHERE id=?", (v2.id,))
    db.execute("UPDATE versions SET number=2 WHERE id=?", (v1.id,))
    db.execute("UPDATE versions SET number=1 WHERE id=?", (v2.id,))
    db.commit()
    db.close()
    code, out, err = cli("data", "read", "r@2")
    assert code == IntegrityError.exit_code and out == ""
    assert "r@2 manifest: was written for r@1, not r@2 (the catalog was edited)" in err
    code, _, err = cli("data", "verify", "r@1")
    assert code == IntegrityError.exit_code and "was written for r@2, not r@1" in err
