"""Invariant 1, envelope encryption (DESIGN.md): every shard has its own random 256-bit data key (DEK) used with
AES-256-GCM, stored only wrapped by its dataset version's KEK; KEKs live only in the key store, wrapped by the
master key.

Checked from the outside: the key files and shards are opened with `cryptography` and the documented format
(keyholder.py), and what that decrypts must be exactly what `aircluster data read` prints.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from tests.invariants import keyholder
from tests.invariants.conftest import Installation
from tests.unit.store.conftest import text_records


class Version:
    def __init__(self, inst: Installation, ref: str):
        doc = inst.show(ref)
        self.ref, self.id = ref, doc["id"]
        self.shards = [p.read_bytes() for p in sorted(Path(doc["location"]).glob("shard-*.air"))]
        master = keyholder.master_key(inst.home / "master" / "master.key")
        wrapped = keyholder.wrapped_keys(inst.home / "server" / "keys" / "keystore.db")[f"kek:{self.id}"]
        self.kek = keyholder.unwrap_under_master(master, f"kek:{self.id}", wrapped)
        self.deks = [keyholder.unwrap_dek(self.kek, keyholder.header(s)) for s in self.shards]


@pytest.fixture(scope="module")
def versions(module_installation: Installation) -> tuple[Installation, Version, Version]:
    inst = module_installation
    records = text_records(150, seed=3)
    for _ in range(2):  # the same plaintext twice: ds@1 and ds@2
        inst.import_records("ds", records)
    inst.approve("ds@1")
    inst.approve("ds@2")
    return inst, Version(inst, "ds@1"), Version(inst, "ds@2")


def test_each_shard_decrypts_under_its_own_data_key_unwrapped_by_its_versions_kek(versions):
    inst, v1, v2 = versions
    for v in (v1, v2):
        assert len(v.shards) >= 4 and len(v.kek) == 32
        assert all(len(dek) == 32 for dek in v.deks)
        decrypted = [r for shard, dek in zip(v.shards, v.deks) for r in keyholder.decrypt_shard(dek, shard)]
        assert decrypted == inst.read(v.ref)  # AES-256-GCM under exactly these keys is all there is
    every_dek = v1.deks + v2.deks
    assert len(set(every_dek)) == len(every_dek)  # no data key is shared by two shards, even across versions
    assert v1.kek != v2.kek
    # The same plaintext imported twice shares no ciphertext: fresh keys, not a deterministic encryption.
    assert all(a[keyholder.HEADER.size :][:64] != b[keyholder.HEADER.size :][:64] for a, b in zip(v1.shards, v2.shards))


def test_a_data_key_unwraps_only_under_its_own_versions_kek_and_a_kek_only_as_itself(versions):
    inst, v1, v2 = versions
    with pytest.raises(InvalidTag):
        keyholder.unwrap_dek(v2.kek, keyholder.header(v1.shards[0]))
    master = keyholder.master_key(inst.home / "master" / "master.key")
    wrapped = keyholder.wrapped_keys(inst.home / "server" / "keys" / "keystore.db")
    with pytest.raises(InvalidTag):  # a wrapped KEK moved to another version's row does not unwrap
        keyholder.unwrap_under_master(master, f"kek:{v2.id}", wrapped[f"kek:{v1.id}"])


def test_no_data_key_or_kek_is_stored_or_printed_unwrapped(versions):
    inst, v1, v2 = versions
    secrets = [key for v in (v1, v2) for key in (v.kek, *v.deks)]
    needles = [form for key in secrets for form in (key, key.hex().encode(), base64.b64encode(key))]
    printed = [
        inst.run(*args, user="bob")
        for args in (
            ("data", "read", "ds@1"),
            ("data", "verify", "ds@2", "--json"),
            ("audit", "tail", "-n", "50", "--json"),
        )
    ]
    for proc in printed:
        assert proc.returncode == 0
        assert not [n for n in needles if n.decode("latin-1") in proc.stdout + proc.stderr]
    files = inst.written_files()
    assert any(p.name == "keystore.db" for p in files) and any(p.suffix == ".air" for p in files)
    hits = [(str(p), n[:8]) for p in files for n in needles if n in p.read_bytes()]
    assert hits == []


def test_a_wrapped_data_key_moved_to_another_shard_header_is_refused(versions):
    inst = versions[0]
    location = inst.location("ds@1")
    first, second = location / "shard-00000.air", location / "shard-00001.air"
    original = first.read_bytes()
    try:
        start = keyholder.HEADER.size - 60
        first.write_bytes(original[:start] + second.read_bytes()[start : start + 60] + original[start + 60 :])
        proc = inst.fails("data", "verify", "ds@1", code=3)
        assert "ds@1 shard 0: its data key does not unwrap" in proc.stderr
    finally:
        first.write_bytes(original)
    inst.ok("data", "verify", "ds@1")
