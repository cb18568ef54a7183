"""Bad input: one clear line naming file and line, a non-zero exit, nothing imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.unit.store.conftest import text_records, write_images, write_jsonl


def assert_nothing_imported(cli, home: Path) -> None:
    assert json.loads(cli.ok("data", "ls", "--json")) == []
    staging = home / "store" / ".staging"
    assert not staging.exists() or not any(staging.iterdir())
    assert [p for p in (home / "store").iterdir() if not p.name.startswith(".")] == []
    import sqlite3

    keys = [r[0] for r in sqlite3.connect(home / "server" / "keys" / "keystore.db").execute("SELECT key_id FROM keys")]
    assert not [k for k in keys if k.startswith("kek:")]


def fails(cli, home, *args, needle: str) -> str:
    code, out, err = cli("data", "import", "ds", *map(str, args))
    assert code != 0, out
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert needle in err, err
    assert_nothing_imported(cli, home)
    return err


def test_malformed_json_line(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(5))
    with open(path, "a") as f:
        f.write('{"id": 6, "text": "oops"\n')
    fails(cli, home, path, needle=f"{path}:6: malformed JSON")


def test_json_line_not_an_object(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n[1, 2]\n')
    fails(cli, home, path, needle=f"{path}:2: expected a JSON object")


def test_non_utf8_jsonl(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": "ok"}\n{"a": "caf\xe9"}\n')
    fails(cli, home, path, needle=f"{path}:2: not valid UTF-8 (byte 0xe9")


def test_csv_ragged_row(cli, home, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,hello\n2,hi,extra\n3,bye\n")
    fails(cli, home, path, needle=f"{path}:3: row has 3 fields but the header has 2")


def test_non_utf8_csv(cli, home, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,text\n1,hello\n2,\xff\xfe\n")
    fails(cli, home, path, needle=f"{path}:3: not valid UTF-8")


def test_unreadable_image(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    bad = root / "dog" / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    fails(cli, home, root, needle=f"{bad}: unreadable image")


def test_truncated_jpeg(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    good = root / "cat" / "cat0.jpg"
    bad = root / "cat" / "cut.jpg"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    fails(cli, home, root, needle=f"{bad}: unreadable image")


def test_empty_input(cli, home, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")
    fails(cli, home, path, needle=f"{path}: no records to import")


def test_missing_file(cli, home, tmp_path):
    fails(cli, home, tmp_path / "nope.jsonl", needle=f"{tmp_path / 'nope.jsonl'}: no such file or directory")


def test_glob_matching_nothing(cli, home, tmp_path):
    fails(cli, home, str(tmp_path / "*.jsonl"), needle="no file matches this pattern")


def test_field_named_by_flag_absent(cli, home, tmp_path):
    records = text_records(4)
    del records[2]["label"]
    path = write_jsonl(tmp_path / "a.jsonl", records)
    fails(cli, home, path, "--label-field", "label", needle=f"{path}:3: field 'label' (named by --label-field) is absent")


def test_unknown_extension_needs_format(cli, home, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("{}\n")
    fails(cli, home, path, needle="pass --format")


def test_on_error_skip_reports_count_and_where(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(5))
    with open(path, "ab") as f:
        f.write(b"{broken\n")
        f.write(b'{"id": 7, "text": "caf\xe9"}\n')
        f.write(b'{"id": 8, "text": "fine"}\n')
    out = cli.ok("data", "import", "ds", str(path), "--on-error", "skip", "--json")
    result = json.loads(out)
    assert result["records"] == 6 and result["skipped"] == 2
    assert len(result["examples"]) == 2
    assert result["examples"][0].startswith(f"{path}:6: malformed JSON")
    assert result["examples"][1] == f"{path}:7: not valid UTF-8 (byte 0xe9 at column 23)"
    human = cli.ok("data", "import", "ds", str(path), "--on-error", "skip")
    assert "skipped 2 bad records" in human and f"{path}:6:" in human


def test_all_records_bad_with_skip_is_still_an_error(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("nope\nnope\n")
    code, _, err = cli("data", "import", "ds", str(path), "--on-error", "skip")
    assert code != 0 and "no records to import (2 bad records skipped)" in err
    assert_nothing_imported(cli, home)


def test_bad_names_and_refs(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    code, _, err = cli("data", "import", "bad name!", str(path))
    assert code != 0 and "dataset name 'bad name!' is invalid" in err
    code, _, err = cli("data", "show", "ds@zero")
    assert code != 0 and "must be a positive number" in err
    code, _, err = cli("data", "show", "nosuch")
    assert code != 0 and "no dataset named 'nosuch'" in err


def test_error_messages_do_not_echo_data(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"ssn": "123-45-6789", "text": SECRETCANARY}\n')
    code, out, err = cli("data", "import", "ds", str(path))
    assert code != 0 and "SECRETCANARY" not in err + out and "123-45-6789" not in err + out


@pytest.mark.parametrize("bad", ["0", "-3"])
def test_bad_retention(cli, home, tmp_path, bad):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    code, _, err = cli("data", "import", "ds", str(path), "--retention-days", bad)
    assert code != 0 and "--retention-days must be positive" in err
    assert os.path.exists(path)
