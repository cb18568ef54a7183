"""Input readers for `data import`: JSON Lines, CSV, Parquet and image folders (`images.py`).

Each yields plain dict records one at a time (memory stays bounded whatever the input size),
together with where each came from, and raises `InputError` naming the file and line (or row) of
anything malformed. With `on_error="skip"`, record-level problems are collected in `Problems`
instead and the record is left out; file-level problems (missing, unreadable) always fail.

Hostile input is refused before it is parsed: only regular files are opened and symbolic links are
never followed (`regular.py` says why); a file's first bytes must fit its format (`magic.py`);
files, lines, fields and nesting are bounded (`limits.py`); integers the store cannot keep exactly
are refused rather than read as floats (`bigints.py`).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import glob
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from aircluster.errors import InputError, UsageError
from aircluster.store import bigints
from aircluster.store.images import image_records
from aircluster.store.limits import Limits, human, record_problem, too_deep
from aircluster.store.magic import HEAD_BYTES, PARQUET, binary_kind
from aircluster.store.regular import bounded_lines, lstat, open_regular, refusal

FORMATS = ("jsonl", "csv", "parquet", "images")
_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass
class Problems:
    """Records skipped under `--on-error skip`: how many, and where (the first few, in full)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    keep: int = 20
    shown: Callable[[InputError], InputError] | None = None  # the error as the user should read it (see ingest)

    def add(self, err: InputError) -> None:
        self.count += 1
        if len(self.examples) < self.keep:
            self.examples.append(str(self.shown(err) if self.shown is not None else err))

    def to_dict(self) -> dict[str, Any]:
        return {"skipped": self.count, "examples": self.examples}


def expand(patterns: list[str]) -> list[Path]:
    """Files named directly or by glob, in a stable order; a name that matches nothing is an error, and so is
    anything but a regular file or a folder (a link, a FIFO, a device), named or matched."""
    if not patterns:
        raise UsageError("no input given: name one or more files, globs or image folders")
    out: list[Path] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", pattern)
            first_magic = next(i for i, part in enumerate(Path(pattern).parts) if glob.has_magic(part))
            for match in map(Path, matches):
                _refuse_links_below(match, first_magic)
                out.append(match)
        else:
            path = Path(pattern)
            if (why := refusal(lstat(path), folder_ok=True)) is not None:
                raise InputError(why, pattern)
            out.append(path)
    return out


def _refuse_links_below(match: Path, first_magic: int) -> None:
    """A glob follows links to folders: every part of `match` that the pattern's wildcards matched must be real."""
    parts = match.parts
    for end in range(first_magic + 1, len(parts) + 1):
        part = Path(*parts[:end])
        if (why := refusal(lstat(part), folder_ok=True)) is not None:
            raise InputError(why, str(part))


def detect_format(paths: list[Path], fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
        return fmt
    kinds = set()
    for p in paths:
        if p.is_dir():
            kinds.add("images")
        else:
            kind = _SUFFIX_FORMAT.get(p.suffix.lower())
            if kind is None:
                raise InputError(f"cannot tell the format from the name; pass --format ({', '.join(FORMATS)})", str(p))
            kinds.add(kind)
    if len(kinds) != 1:
        raise UsageError(f"inputs mix formats ({', '.join(sorted(kinds))}); import them separately")
    return kinds.pop()


@dataclass
class Progress:
    """Bytes of input consumed so far, for progress bars."""

    total: int = 0
    done: int = 0
    callback: Callable[[int], None] | None = None

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback is not None:
            self.callback(n)


def input_size(paths: list[Path]) -> int:
    """Bytes to read, for progress: sizes from `lstat`, so nothing is followed or opened here."""
    total = 0
    for p in paths:
        if p.is_dir():
            for root, _, files in os.walk(p):
                total += sum(_lsize(os.path.join(root, f)) for f in files)
        else:
            total += _lsize(p)
    return total


def _lsize(path: str | Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def iter_records(
    paths: list[Path],
    fmt: str,
    *,
    on_error: str,
    problems: Problems,
    progress: Progress | None = None,
    required_fields: dict[str, str] | None = None,
    limits: Limits | None = None,
) -> Iterator[dict[str, Any]]:
    """Records from every input in order. `required_fields` maps field -> the flag that named it."""
    if on_error not in ("fail", "skip"):
        raise UsageError(f"--on-error must be fail or skip, not {on_error!r}")
    progress = progress or Progress()
    limits = limits or Limits()
    required = required_fields or {}
    for path in paths:
        if fmt == "images" and not path.is_dir():
            raise InputError("is not a folder; an image dataset is a folder with one sub-folder per class", str(path))
        if fmt != "images" and path.is_dir():
            raise InputError(f"is a folder; for {fmt} name files (or a glob)", str(path))
        for item in _READERS[fmt](path, progress, limits):
            if isinstance(item, InputError):
                if on_error == "fail":
                    raise item
                problems.add(item)
                continue
            record, line = item
            if required and (missing := [f for f in required if f not in record]):
                err = InputError(f"field {missing[0]!r} (named by {required[missing[0]]}) is absent", str(path), line)
                if on_error == "fail":
                    raise err
                problems.add(err)
                continue
            yield record


# Each reader yields (record, line) or an InputError for a bad record (the caller decides to fail or skip), and
# refuses records beyond the field and depth limits itself (it knows the cheapest way to rule them out).
Item = tuple[dict[str, Any], int | None] | InputError


def _jsonl(path: Path, progress: Progress, limits: Limits) -> Iterator[Item]:
    with open_regular(path, limits.file_bytes) as f:
        _refuse_binary(f, path, "JSON Lines")
        pending = 0
        for lineno, line in bounded_lines(f, limits.line_bytes):
            if line is None:
                yield InputError(_line_too_long(limits), str(path), lineno)
                continue
            pending += len(line)
            if pending >= 1 << 20:
                progress.advance(pending)
                pending = 0
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                # an integer orjson cannot even hold as a float (past 1e308) fails here, not as a float
                key = bigints.inexact_int_field(line) if bigints.line_suspect(line) else None
                yield InputError(bigints.message(key) if key else _json_problem(line, exc, limits), str(path), lineno)
                continue
            if not isinstance(record, dict):
                yield InputError(f"expected a JSON object, found {type(record).__name__}", str(path), lineno)
                continue
            if (why := _json_record_problem(record, line, limits)) is not None:
                yield InputError(why, str(path), lineno)
                continue
            yield record, lineno
        progress.advance(pending)


_SCALARS = frozenset((str, int, bool, type(None)))


def _json_record_problem(record: dict[str, Any], line: bytes, limits: Limits) -> str | None:
    """An integer the store cannot keep, or a limit broken. Runs on every line, so the text rules out what it can
    first: no string's UTF-8 is longer than its JSON, no nesting deeper than its brackets."""
    if len(line) <= limits.field_bytes and _SCALARS.issuperset(map(type, record.values())):
        return None  # the common case, decided in C: one level of strings and integers, none longer than the line
    if b"[" in line or line.find(b"{", 1) >= 0:  # possibly nested
        if bigints.line_suspect(line) and (key := bigints.inexact_int_field(line)) is not None:
            return bigints.message(key)
        if len(line) > limits.field_bytes or line.count(b"{") + line.count(b"[") > limits.depth:
            return record_problem(record, limits)
        return None
    if bigints.flat_suspect(record) and (key := bigints.inexact_int_field(line)) is not None:
        return bigints.message(key)
    return record_problem(record, limits) if len(line) > limits.field_bytes else None


def _json_problem(line: bytes, exc: Exception, limits: Limits) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as ude:
        return f"not valid UTF-8 (byte 0x{line[ude.start]:02x} at column {ude.start + 1})"
    # orjson's message quotes the document; keep only its description so no data is echoed.
    msg = str(exc).split(":", 1)[0]
    if msg == "depth limit exceeded":  # orjson stops at 1024 levels, past any depth limit
        return "record " + too_deep(limits.depth)
    return f"malformed JSON ({msg})"


def _line_too_long(limits: Limits) -> str:
    return f"line is longer than the limit of {human(limits.line_bytes)} (raise it with --max-line-bytes)"


def _refuse_binary(f: BinaryIO, path: Path, what: str) -> None:
    """A text input that starts like a binary format is refused whole, before any of it is parsed."""
    head = f.read(HEAD_BYTES)
    f.seek(0)
    if (kind := binary_kind(head)) is not None:
        raise InputError(f"is {kind}, not {what} text in UTF-8: convert or decompress it first", str(path))


def _decoded_lines(f: BinaryIO, path: Path, progress: Progress, where: list[int], limits: Limits) -> Iterator[str]:
    for lineno, raw in bounded_lines(f, limits.line_bytes):
        where[0] = lineno
        if raw is None:
            raise InputError(_line_too_long(limits), str(path), lineno)
        progress.advance(len(raw))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as ude:
            raise InputError(
                f"not valid UTF-8 (byte 0x{raw[ude.start]:02x} at column {ude.start + 1})", str(path), lineno
            ) from None
        yield text.removeprefix("\ufeff") if lineno == 1 else text


def _csv(path: Path, progress: Progress, limits: Limits) -> Iterator[Item]:
    where = [0]
    # a quoted field may span lines and the csv module holds it whole: it is bounded like a line
    csv.field_size_limit(limits.line_bytes)
    with open_regular(path, limits.file_bytes) as f:
        _refuse_binary(f, path, "CSV")
        rows = csv.reader(_decoded_lines(f, path, progress, where, limits))
        try:
            header = next(rows, None)
            if header is None:
                return
            if len(set(header)) != len(header) or any(not h for h in header):
                raise InputError("header has empty or repeated column names", str(path), 1)
            for row in rows:
                if not row:
                    continue
                if len(row) != len(header):
                    yield InputError(f"row has {len(row)} fields but the header has {len(header)}", str(path), rows.line_num)
                    continue
                record = dict(zip(header, row))
                if (why := record_problem(record, limits)) is not None:
                    yield InputError(why, str(path), rows.line_num)
                    continue
                yield record, rows.line_num
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError(
                    f"a quoted field runs past {human(limits.line_bytes)} (raise the limit with --max-line-bytes)",
                    str(path),
                    where[0],
                ) from None
            raise InputError(f"malformed CSV ({exc})", str(path), where[0]) from None


def _plain(value: Any) -> Any:
    """Parquet values that msgpack cannot hold become strings (recorded as such in the schema)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, dt.timedelta)):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _parquet(path: Path, progress: Progress, limits: Limits) -> Iterator[Item]:
    with open_regular(path, limits.file_bytes) as f:
        yield from _parquet_rows(f, path, progress, limits)


def _parquet_rows(f: BinaryIO, path: Path, progress: Progress, limits: Limits) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    size = os.fstat(f.fileno()).st_size
    head = f.read(HEAD_BYTES)
    f.seek(max(0, size - len(PARQUET)))
    if size < 3 * len(PARQUET) or not head.startswith(PARQUET) or f.read() != PARQUET:
        kind = binary_kind(head)
        it_is = f"; it is {kind}" if kind else ""
        raise InputError(f"is not a Parquet file (no 'PAR1' at its start and end{it_is})", str(path))
    f.seek(0)
    try:
        pf = pq.ParquetFile(f)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", str(path)) from None
    row = 0
    per_row = size / max(1, pf.metadata.num_rows)
    try:
        for batch in pf.iter_batches(batch_size=4096):
            for values in batch.to_pylist():
                row += 1
                record = {k: _plain(v) for k, v in values.items()}
                why = record_problem(record, limits)
                yield (record, row) if why is None else InputError(why, str(path), row)
            progress.advance(int(per_row * batch.num_rows))
    except pa.ArrowException as exc:
        raise InputError(f"Parquet data unreadable after row {row} ({exc})", str(path)) from None


def _images(root: Path, progress: Progress, limits: Limits) -> Iterator[Item]:
    return image_records(root, progress.advance, limits)


_READERS: dict[str, Callable[[Path, Progress, Limits], Iterator[Item]]] = {
    "jsonl": _jsonl,
    "csv": _csv,
    "parquet": _parquet,
    "images": _images,
}
