"""Tampering with stored shards or the manifest is detected and named (DESIGN.md, invariant 2)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aircluster.context import open_context
from aircluster.errors import IntegrityError
from aircluster.store.reader import VersionReader
from tests.unit.store.conftest import approve, text_records, version, write_jsonl


@pytest.fixture
def stored(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(200, seed=1))
    write_jsonl(tmp_path / "b.jsonl", text_records(200, seed=2, prefix="other"))
    for name, src in (("posts", "a.jsonl"), ("other", "b.jsonl")):
        cli.ok("data", "import", name, str(tmp_path / src), "--policy", str(permissive_policy), "--shard-size", "4k")
        approve(cli, f"{name}@1")
    v = version("posts@1")
    assert v.shards >= 4
    return Path(v.location)


def verify_fails(cli, *needles: str) -> str:
    code, out, err = cli("data", "verify", "posts@1")
    assert code == IntegrityError.exit_code, (code, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    for needle in needles:
        assert needle in err, err
    # nothing of the data is printed
    assert "alpha" not in out + err and "rec " not in out + err
    return err


def read_fails(cli, stored: Path, bad_shard: int, *needles: str) -> None:
    """`data read` prints the good shards before the bad one, and not one record of the bad one."""
    code, out, err = cli("data", "read", "posts@1", user="bob")
    shards = json.loads((stored / "manifest.json").read_text())["shards"]
    assert code == IntegrityError.exit_code
    assert len(out.splitlines()) == sum(s["records"] for s in shards[:bad_shard])
    for needle in needles:
        assert needle in err


def test_intact_version_verifies(cli, stored):
    out = cli.ok("data", "verify", "posts@1", "--json")
    assert json.loads(out)[0]["ok"] is True


@pytest.mark.parametrize("where", ["segment", "header_dek", "index", "footer"])
def test_flipped_byte_is_detected(cli, stored, where):
    shard = stored / "shard-00001.air"
    data = bytearray(shard.read_bytes())
    pos = {"segment": 200, "header_dek": 60, "index": len(data) - 40, "footer": len(data) - 20}[where]
    data[pos] ^= 0x01
    shard.write_bytes(bytes(data))
    verify_fails(cli, "posts@1 shard 1")
    read_fails(cli, stored, 1, "posts@1 shard 1")


def test_truncated_shard_is_detected(cli, stored):
    shard = stored / "shard-00002.air"
    shard.write_bytes(shard.read_bytes()[:-100])
    verify_fails(cli, "posts@1 shard 2", "truncated")


def test_swapped_shards_are_detected(cli, stored):
    a, b = stored / "shard-00000.air", stored / "shard-00001.air"
    tmp = stored / "swap"
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)
    verify_fails(cli, "posts@1 shard 0")


def test_deleted_shard_is_detected(cli, stored):
    (stored / "shard-00003.air").unlink()
    verify_fails(cli, "posts@1 shard 3", "missing")


@pytest.mark.parametrize("edit", ["drop_shard", "records", "add_shard"])
def test_edited_manifest_is_detected(cli, stored, edit):
    path = stored / "manifest.json"
    doc = json.loads(path.read_text())
    if edit == "drop_shard":
        doc["shards"].pop()
    elif edit == "records":
        doc["shards"][0]["records"] += 1
    else:
        doc["shards"].append(dict(doc["shards"][-1], index=len(doc["shards"])))
    path.write_text(json.dumps(doc))
    verify_fails(cli, "posts@1 manifest", "fails authentication")


def test_shard_copied_from_another_dataset_is_detected(cli, stored):
    other = Path(version("other@1").location)
    shutil.copy(other / "shard-00000.air", stored / "shard-00000.air")
    verify_fails(cli, "posts@1 shard 0")


def test_shard_copied_into_another_slot_is_detected(cli, stored):
    # a stale copy of an earlier import of the same name: a different version id
    shutil.copy(stored / "shard-00002.air", stored / "shard-00004.air")
    verify_fails(cli, "posts@1 shard 4")


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
