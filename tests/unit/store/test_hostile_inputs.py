"""Hostile files: each is refused with one line naming the file (and line and field), and leaves no version behind.

Symbolic links are refused wherever they are, even when they point inside the source tree (see
aircluster/store/regular.py for why); FIFOs and devices are refused without being opened.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import zlib
from pathlib import Path

import pytest

from aircluster.catalog.catalog import check_name, parse_ref
from aircluster.context import open_context
from aircluster.errors import InputError, UsageError
from aircluster.store.ingest import ImportOptions, import_dataset
from aircluster.store.limits import Limits, human
from aircluster.store.regular import bounded_lines
from tests.conftest import run_cli_process
from tests.unit.store.conftest import approve, read_all, text_records, write_csv, write_images, write_jsonl, write_parquet
from tests.unit.store.test_bad_input import assert_nothing_imported, fails


def nested(depth: int) -> dict:
    """A record `depth` levels deep, the record itself included."""
    value: object = 1
    for _ in range(depth - 1):
        value = {"a": value}
    assert isinstance(value, dict)
    return value


def fails_in_process(cli, home: Path, *args, needle: str) -> str:
    """The real command in its own process, with a deadline: a hang is a failure, not a stuck suite."""
    proc = run_cli_process(["data", "import", "ds", *map(str, args)], timeout=50)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # InputError's code: not 0, not 70 (an internal error)
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert needle in proc.stderr, proc.stderr
    assert_nothing_imported(cli, home)
    return proc.stderr


def library_import(sources: list[Path], limits: Limits | None = None):
    with open_context() as ctx:
        return import_dataset(ctx, "ds", [str(s) for s in sources], ImportOptions(limits=limits or Limits()))


def imp_json(cli, policy: Path, *args) -> dict:
    return json.loads(cli.ok("data", "import", "ds", *map(str, args), "--policy", str(policy), "--json"))


# --- only regular files, never a link ---------------------------------------------------------------


@pytest.mark.timeout(60)
def test_fifo_in_image_folder_is_refused_without_hanging(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    fifo = root / "cat" / "stream.png"
    os.mkfifo(fifo)
    fails_in_process(cli, home, root, needle=f"{fifo}: is a FIFO (named pipe), not a regular file")


@pytest.mark.timeout(60)
def test_fifo_in_image_folder_is_a_bad_record_that_skip_skips(cli, home, tmp_path, permissive_policy):
    root = write_images(tmp_path / "imgs", per_class=2)
    fifo = root / "dog" / "stream.jpg"
    os.mkfifo(fifo)
    result = imp_json(cli, permissive_policy, root, "--on-error", "skip")
    assert (result["records"], result["skipped"]) == (6, 1)
    assert result["examples"] == [f"{fifo}: is a FIFO (named pipe), not a regular file; only regular files are read"]


@pytest.mark.timeout(60)
def test_fifo_named_as_input_is_refused_without_hanging(cli, home, tmp_path):
    fifo = tmp_path / "posts.jsonl"
    os.mkfifo(fifo)
    fails_in_process(cli, home, fifo, needle=f"{fifo}: is a FIFO (named pipe)")


@pytest.mark.timeout(60)
def test_device_named_as_input_is_refused(cli, home):
    fails_in_process(cli, home, "/dev/zero", "--format", "jsonl", needle="/dev/zero: is a character device")


@pytest.mark.timeout(60)
def test_image_symlinked_to_dev_zero_is_refused(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    link = root / "owl" / "zero.png"
    link.symlink_to("/dev/zero")
    fails_in_process(cli, home, root, needle=f"{link}: is a symbolic link; links are not followed")


def test_class_folder_linked_outside_the_tree_is_refused(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    outside = write_images(tmp_path / "private", classes=("secret",)) / "secret"
    (root / "zebra").symlink_to(outside, target_is_directory=True)
    fails_in_process(cli, home, root, needle=f"{root / 'zebra'}: is a symbolic link")
    # --on-error skip does not skip it: a class folder is no record, and leaving it out would renumber the labels
    fails(cli, home, root, "--on-error", "skip", needle=f"{root / 'zebra'}: is a symbolic link")


def test_link_inside_the_tree_is_refused_too(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    link = root / "dog" / "again.png"
    link.symlink_to(root / "cat" / "cat1.png")
    fails(cli, home, root, needle=f"{link}: is a symbolic link")
    sub = root / "cat" / "more"
    sub.symlink_to(root / "dog", target_is_directory=True)
    link.unlink()
    fails(cli, home, root, needle=f"{sub}: is a symbolic link")


def test_linked_record_file_is_refused_named_or_globbed(cli, home, tmp_path):
    real = write_jsonl(tmp_path / "real.jsonl", text_records(3))
    (tmp_path / "data").mkdir()
    link = tmp_path / "data" / "posts.jsonl"
    link.symlink_to(real)
    fails(cli, home, link, needle=f"{link}: is a symbolic link")
    fails(cli, home, tmp_path / "data" / "*.jsonl", needle=f"{link}: is a symbolic link")


def test_glob_through_a_linked_folder_is_refused(cli, home, tmp_path):
    (tmp_path / "mine").mkdir()
    write_jsonl(tmp_path / "mine" / "a.jsonl", text_records(2))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_jsonl(elsewhere / "a.jsonl", text_records(2))
    (tmp_path / "theirs").symlink_to(elsewhere, target_is_directory=True)
    fails(cli, home, str(tmp_path / "*" / "a.jsonl"), needle=f"{tmp_path / 'theirs'}: is a symbolic link")
    with pytest.raises(InputError, match="is a symbolic link"):
        library_import([tmp_path / "**" / "a.jsonl"])
    assert_nothing_imported(cli, home)


def test_dangling_link_in_image_folder_is_refused_not_a_crash(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    link = root / "cat" / "gone.jpg"
    link.symlink_to(tmp_path / "nowhere.jpg")
    fails(cli, home, root, needle=f"{link}: is a symbolic link")


# --- suffix and magic bytes before parsing ---------------------------------------------------------


def test_compressed_jsonl_is_named_as_such(cli, home, tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(gzip.compress(b'{"a": 1}\n'))
    fails(cli, home, path, needle=f"{path}: is gzip-compressed data, not JSON Lines text in UTF-8")


def test_utf16_csv_is_named_as_such(cli, home, tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes("id,text\n1,hello\n".encode("utf-16"))
    fails(cli, home, path, needle=f"{path}: is UTF-16 text, not CSV text in UTF-8")


def test_parquet_without_its_magic_is_refused_before_parsing(cli, home, tmp_path):
    path = tmp_path / "data.parquet"
    path.write_text("id,text\n1,hello\n")
    fails(cli, home, path, needle=f"{path}: is not a Parquet file (no 'PAR1' at its start and end)")
    path.write_bytes(gzip.compress(b"PAR1" * 10))
    fails(cli, home, path, needle="it is gzip-compressed data")


def test_image_whose_bytes_are_another_format_is_refused(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    gif = root / "cat" / "anim.png"
    gif.write_bytes(b"GIF89a" + b"\0" * 40)
    fails(cli, home, root, needle=f"{gif}: is a GIF image, not JPEG or PNG")
    gif.write_bytes(b"just some text, not an image")
    fails(cli, home, root, needle=f"{gif}: is not a JPEG or PNG file (its first bytes are neither)")


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    bomb = root / "dog" / "huge.png"
    bomb.write_bytes(_png_header(40_000, 40_000))  # 1.6 gigapixels announced in 60 bytes
    fails(cli, home, root, needle=f"{bomb}: has more pixels than images are decoded with")


# --- per-file, per-line, per-field and depth limits --------------------------------------------------


def test_record_nested_600_deep_is_refused_at_import(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "deep.jsonl", [{"id": 1}, {"id": 2, "payload": nested(599)}])
    err = fails_in_process(cli, home, path, needle=f"{path}:2: field 'payload' is nested more than 64 levels deep")
    assert "--max-depth" in err
    with pytest.raises(InputError, match=r"deep\.jsonl:2: field 'payload' is nested more than 64 levels"):
        library_import([path])
    assert_nothing_imported(cli, home)


def test_record_deeper_than_the_json_parser_goes_is_a_depth_error(cli, home, tmp_path):
    path = tmp_path / "abyss.jsonl"
    path.write_text("[" * 5000 + "]" * 5000 + "\n")
    fails(cli, home, path, needle=f"{path}:1: record is nested more than 64 levels deep")


def test_raised_depth_limit_imports_and_reads_back(cli, home, tmp_path, permissive_policy):
    records = [{"id": 1, "tree": nested(99)}, {"id": 2, "list": [[[["x"]]]]}]
    path = write_jsonl(tmp_path / "deep.jsonl", records)
    fails(cli, home, path, needle=f"{path}:1: field 'tree' is nested more than 64 levels deep")
    assert imp_json(cli, permissive_policy, path, "--max-depth", "100")["records"] == 2
    approve(cli, "ds@1")
    assert read_all(cli, "ds@1") == records


def test_deepest_allowed_record_reads_back(cli, home, tmp_path, permissive_policy):
    records = [{"id": 0, "tree": nested(254)}]  # 255 levels with the record: the ceiling
    path = write_jsonl(tmp_path / "deep.jsonl", records)
    imp_json(cli, permissive_policy, path, "--max-depth", "255")
    approve(cli, "ds@1")
    assert read_all(cli, "ds@1") == records


@pytest.mark.parametrize(
    ("flag", "value", "needle"),
    [
        ("--max-depth", "256", "--max-depth 256 is too deep"),
        ("--max-depth", "0", "--max-depth must be positive"),
        ("--max-field-bytes", "lots", "--max-field-bytes 'lots' is not a size"),
        ("--max-line-bytes", "0", "--max-line-bytes must be positive"),
    ],
)
def test_bad_limit_flags_are_usage_errors(cli, home, tmp_path, flag, value, needle):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    code, _, err = cli("data", "import", "ds", str(path), flag, value)
    assert code == 2 and needle in err and err.count("\n") == 1
    assert_nothing_imported(cli, home)


def test_field_over_the_limit_is_refused_naming_it(cli, home, tmp_path, permissive_policy):
    records = text_records(3)
    records[1]["text"] = "é" * 1500  # 1500 characters, 3000 bytes
    path = write_jsonl(tmp_path / "a.jsonl", records)
    fails(
        cli,
        home,
        path,
        "--max-field-bytes",
        "2KiB",
        needle=f"{path}:2: field 'text' is 2.9 KiB, over the limit of 2.0 KiB (raise it with --max-field-bytes)",
    )
    assert imp_json(cli, permissive_policy, path, "--max-field-bytes", "3KiB")["records"] == 3


def test_nested_string_and_key_over_the_limit_are_refused(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "meta": {"notes": ["short", "x" * 5000]}}])
    fails(
        cli,
        home,
        path,
        "--max-field-bytes",
        "4k",
        needle=f"{path}:1: field 'meta' holds a string of 4.9 KiB, over the limit",
    )
    path = write_jsonl(tmp_path / "b.jsonl", [{"id": 1, "meta": {"k" * 5000: 1}}])
    fails(cli, home, path, "--max-field-bytes", "4k", needle=f"{path}:1: field 'meta' holds a key of 4.9 KiB")


def test_csv_field_over_the_limit_is_refused(cli, home, tmp_path):
    path = write_csv(tmp_path / "a.csv", [{"id": "1", "text": "ok"}, {"id": "2", "text": "y" * 3000}])
    fails(cli, home, path, "--max-field-bytes", "2k", needle=f"{path}:3: field 'text' is 2.9 KiB, over the limit")


def test_parquet_field_over_the_limit_is_refused_naming_its_row(cli, home, tmp_path):
    records = text_records(5)
    records[3]["text"] = "p" * 3000
    path = write_parquet(tmp_path / "data.parquet", records)
    fails(cli, home, path, "--max-field-bytes", "2k", needle=f"{path}:4: field 'text' is 2.9 KiB, over the limit")


def test_line_limit_counts_the_line_without_its_newline():
    lines = b"a" * 10 + b"\n" + b"b" * 11 + b"\n" + b"c" * 10
    got = list(bounded_lines(io.BytesIO(lines), 10))
    assert got == [(1, b"a" * 10 + b"\n"), (2, None), (3, b"c" * 10)]
    endless = io.BytesIO(b"x" * (5 << 20) + b"\nafter\n")  # a line 500x the limit is skipped, never held
    assert list(bounded_lines(endless, 10_000)) == [(1, None), (2, b"after\n")]


def test_long_line_is_refused_and_never_held_whole(cli, home, tmp_path, permissive_policy):
    path = tmp_path / "a.jsonl"
    with open(path, "w") as f:
        f.write('{"id": 1}\n{"id": 2, "text": "' + "z" * 100_000 + '"}\n{"id": 3}\n')
    fails(
        cli,
        home,
        path,
        "--max-line-bytes",
        "64k",
        needle=f"{path}:2: line is longer than the limit of 64.0 KiB (raise it with --max-line-bytes)",
    )
    result = imp_json(cli, permissive_policy, path, "--max-line-bytes", "64k", "--on-error", "skip")
    assert (result["records"], result["skipped"]) == (2, 1)  # the lines after it keep their numbers and are read


def test_file_without_newlines_is_refused_at_the_line_limit(cli, home, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,text\n1," + b"w" * 300_000)
    fails(cli, home, path, "--max-line-bytes", "100k", needle=f"{path}:2: line is longer than the limit of 100.0 KiB")


def test_quoted_csv_field_spanning_lines_is_bounded(cli, home, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,text\n1,"' + "many short lines\n" * 2000 + '"\n')
    err = fails(
        cli,
        home,
        path,
        "--max-line-bytes",
        "8k",
        needle="a quoted field runs past 8.0 KiB (raise the limit with --max-line-bytes)",
    )
    assert err.startswith(f"error: {path}:")


def test_file_over_the_limit_is_refused_before_reading(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(50))
    size = path.stat().st_size
    fails(
        cli,
        home,
        path,
        "--max-file-bytes",
        "1k",
        needle=f"{path}: is {size / 1024:.1f} KiB, over the limit of 1.0 KiB (raise it with --max-file-bytes)",
    )
    sparse = tmp_path / "sparse.jsonl"
    with open(sparse, "wb") as f:
        f.truncate(1 << 40)  # a terabyte of nothing, no disk used
    fails(cli, home, sparse, needle=f"{sparse}: is 1024.0 GiB, over the limit of 64.0 GiB")


def test_image_over_the_field_limit_is_refused_before_reading(cli, home, tmp_path):
    root = write_images(tmp_path / "imgs")
    big = root / "cat" / "cat0.jpg"
    fails(
        cli,
        home,
        root,
        "--max-field-bytes",
        "100",
        needle=f"{big}: is {human(big.stat().st_size)}, over the limit of 100 bytes (raise it with --max-field-bytes)",
    )


# --- integers kept exactly or refused ----------------------------------------------------------------


def test_integer_beyond_64_bits_is_refused_not_turned_into_a_float(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "n": 5}\n{"id": 2, "n": 18446744073709551616}\n')
    err = fails_in_process(
        cli,
        home,
        path,
        needle=f"{path}:2: field 'n' holds an integer outside -2^63..2^64-1, which "
        "the store cannot keep exactly (it would become a float): write it as a string",
    )
    assert "18446744073709551616" not in err  # the value itself is not echoed


@pytest.mark.parametrize("literal", ["-9223372036854775809", "1" * 40, "-" + "9" * 5000])
def test_integers_below_int64_or_past_float_range_are_refused(cli, home, tmp_path, literal):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "n": 5}\n{"id": 2, "n": ' + literal + "}\n")
    err = fails(cli, home, path, needle=f"{path}:2: field 'n' holds an integer outside -2^63..2^64-1")
    assert literal[:19] not in err


def test_nested_big_integer_names_its_top_level_field(cli, home, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "stats": {"counts": [1, 2, 340282366920938463463374607431768211456]}}\n')
    with pytest.raises(InputError, match=r"a\.jsonl:1: field 'stats' holds an integer outside"):
        library_import([path])
    assert_nothing_imported(cli, home)


def test_integers_at_the_edges_and_long_digit_strings_are_kept_exactly(cli, home, tmp_path, permissive_policy):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"max": 18446744073709551615, "min": -9223372036854775808, "digits": "123456789012345678901234567890",'
        ' "big_float": 1e300, "float": 18446744073709551616.0}\n'
    )
    imp_json(cli, permissive_policy, path)
    approve(cli, "ds@1")
    [back] = read_all(cli, "ds@1")
    assert back == {
        "max": 2**64 - 1,
        "min": -(2**63),
        "digits": "123456789012345678901234567890",
        "big_float": 1e300,
        "float": 2.0**64,
    }
    assert isinstance(back["max"], int) and isinstance(back["min"], int) and isinstance(back["float"], float)


# --- dataset names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["posts\n", "posts\n\n", "\nposts", "posts\r", "po\nsts"])
def test_dataset_name_with_a_newline_is_refused(cli, home, tmp_path, name):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    with pytest.raises(UsageError):
        check_name(name)
    with pytest.raises(UsageError):
        parse_ref(name + "@1")
    code, _, err = cli("data", "import", name, str(path))
    assert code == 2 and f"dataset name {name!r} is invalid" in err
    assert err.count("\n") == 1  # the name is quoted (repr), so even its newline stays on the line
    assert_nothing_imported(cli, home)
    assert check_name("posts") == "posts"


def test_dataset_name_with_a_trailing_newline_is_refused_by_the_command(cli, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", text_records(2))
    proc = run_cli_process(["data", "import", "posts\n", str(path)], timeout=50)
    assert (
        proc.returncode == 2
        and proc.stderr
        == f"error: dataset name {'posts' + chr(10)!r} is invalid: use letters, digits, "
        "'_', '.', '-' (at most 128, starting with a letter or digit)\n"
    )
    assert_nothing_imported(cli, home)
