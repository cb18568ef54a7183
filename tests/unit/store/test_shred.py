"""Crypto-shredding's pseudonym keys (DESIGN.md, invariant 4).

Expiry, retention and key-store backups, end to end: tests/invariants/test_4_crypto_shredding.py."""

from __future__ import annotations

import json

import pytest

from aircluster.context import open_context
from tests.unit.store.conftest import approve, text_records, version, write_jsonl


@pytest.fixture
def two_versions(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "a.jsonl", text_records(80, seed=1))
    write_jsonl(tmp_path / "b.jsonl", text_records(80, seed=2))
    for src in ("a.jsonl", "b.jsonl"):
        cli.ok("data", "import", "ds", str(tmp_path / src), "--policy", str(permissive_policy), "--shard-size", "4k")
    approve(cli, "ds@1")
    approve(cli, "ds@2")
    return tmp_path


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
