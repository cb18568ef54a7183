"""Every imported sample comes back byte-identical, for each source format."""

from __future__ import annotations

import base64
import json
import sqlite3

import pytest

from tests.unit.store.conftest import (
    approve,
    read_all,
    text_records,
    version,
    write_csv,
    write_images,
    write_jsonl,
    write_parquet,
)


def imp(cli, policy, name, *sources, extra=()):
    return json.loads(
        cli.ok("data", "import", name, *map(str, sources), "--policy", str(policy), "--shard-size", "4k", "--json", *extra)
    )


def test_jsonl_roundtrip_several_files_many_shards(cli, tmp_path, permissive_policy):
    a = text_records(150, seed=1, prefix="a")
    b = text_records(150, seed=2, prefix="b")
    write_jsonl(tmp_path / "a.jsonl", a)
    write_jsonl(tmp_path / "b.jsonl", b)
    result = imp(cli, permissive_policy, "posts", tmp_path / "*.jsonl")
    assert result["records"] == 300 and result["shards"] > 3
    approve(cli, "posts@1")
    assert read_all(cli, "posts@1") == a + b
    v = version("posts@1")
    assert v.schema["fields"]["text"]["types"] == ["string"]
    assert v.schema["fields"]["score"]["types"] == ["float"]
    assert v.meta["text_field"] == "text"


def test_csv_roundtrip_keeps_strings(cli, tmp_path, permissive_policy):
    records = [{k: str(v) for k, v in r.items() if k != "tags"} for r in text_records(80)]
    records[3]["text"] = 'has "quotes", commas\nand a newline'
    write_csv(tmp_path / "data.csv", records)
    imp(cli, permissive_policy, "table", tmp_path / "data.csv")
    approve(cli, "table@1")
    assert read_all(cli, "table@1") == records


def test_parquet_roundtrip(cli, tmp_path, permissive_policy):
    records = text_records(120)
    for r in records:
        r["blob"] = bytes([r["id"] % 256]) * 5
    write_parquet(tmp_path / "data.parquet", records)
    imp(cli, permissive_policy, "pq", tmp_path / "data.parquet")
    approve(cli, "pq@1")
    back = read_all(cli, "pq@1")
    for r in back:
        r["blob"] = base64.b64decode(r["blob"])
    assert back == records


def test_image_folder_roundtrip_bytes_and_labels(cli, tmp_path, permissive_policy):
    root = write_images(tmp_path / "imgs")
    imp(cli, permissive_policy, "pics", root)
    approve(cli, "pics@1")
    back = read_all(cli, "pics@1")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert len(back) == len(files)
    by_file = {r["file"]: r for r in back}
    for p in files:
        r = by_file[str(p.relative_to(root))]
        assert base64.b64decode(r["image"]) == p.read_bytes()
        assert r["label"] == p.parent.name
    assert sorted({r["label_id"] for r in back}) == [0, 1, 2]


def test_versions_are_numbered_and_immutable(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "x.jsonl", text_records(10))
    imp(cli, permissive_policy, "ds", tmp_path / "x.jsonl")
    write_jsonl(tmp_path / "y.jsonl", text_records(20))
    imp(cli, permissive_policy, "ds", tmp_path / "y.jsonl")
    listing = json.loads(cli.ok("data", "ls", "--json"))
    assert [(v["ref"], v["records"]) for v in listing] == [("ds@1", 10), ("ds@2", 20)]
    # the shard files are read-only in spirit: a re-import never touches an older version's files
    assert version("ds@1").location != version("ds@2").location


def test_unapproved_version_cannot_be_read(cli, tmp_path, permissive_policy):
    write_jsonl(tmp_path / "x.jsonl", text_records(5))
    imp(cli, permissive_policy, "ds", tmp_path / "x.jsonl")
    code, out, err = cli("data", "read", "ds@1", user="bob")
    assert code != 0 and out == ""
    assert "pending privacy review" in err and "aircluster review approve ds@1" in err


def test_in_a_personal_installation_the_importer_approves_and_is_told_four_eyes_does_not_hold(cli, tmp_path, permissive_policy):
    # one person, one account: the server cannot tell a second principal from the first (tests/unit/server has
    # the shared installation, where the importer is refused)
    write_jsonl(tmp_path / "x.jsonl", text_records(5))
    imp(cli, permissive_policy, "ds", tmp_path / "x.jsonl")
    out = cli.ok("review", "approve", "ds@1", "--note", "mine", "--json")
    assert json.loads(out)["four_eyes"] is False
    assert version("ds@1").review_state == "approved"


def test_catalog_is_wal_and_versioned(cli, home):
    from aircluster.catalog.db import SCHEMA_VERSION

    db = sqlite3.connect(home / "server" / "catalog.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_catalog_schema_is_refused(cli, home):
    db = sqlite3.connect(home / "server" / "catalog.db")
    db.execute("PRAGMA user_version=999")
    db.commit()
    code, _, err = cli("data", "ls")
    assert code != 0 and "newer than this aircluster" in err


@pytest.mark.parametrize("compress", ["zstd", "none"])
def test_compression_setting_roundtrips(cli, tmp_path, permissive_policy, compress):
    records = text_records(60)
    write_jsonl(tmp_path / "x.jsonl", records)
    imp(cli, permissive_policy, "ds", tmp_path / "x.jsonl", extra=("--compress", compress))
    approve(cli, "ds@1")
    assert read_all(cli, "ds@1") == records
    assert version("ds@1").meta["compression"] == compress
