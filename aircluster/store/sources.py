"""Input readers for `data import`: JSON Lines, CSV, Parquet and image folders.

Each yields plain dict records one at a time (memory stays bounded whatever the input size),
together with where each came from, and raises `InputError` naming the file and line (or row) of
anything malformed. With `on_error="skip"`, record-level problems are collected in `Problems`
instead and the record is left out; file-level problems (missing, unreadable) always fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import glob
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from aircluster.errors import InputError, UsageError

FORMATS = ("jsonl", "csv", "parquet", "images")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@dataclass
class Problems:
    """Records skipped under `--on-error skip`: how many, and where (the first few, in full)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)
    keep: int = 20

    def add(self, err: InputError) -> None:
        self.count += 1
        if len(self.examples) < self.keep:
            self.examples.append(str(err))

    def to_dict(self) -> dict[str, Any]:
        return {"skipped": self.count, "examples": self.examples}


def expand(patterns: list[str]) -> list[Path]:
    """Files named directly or by glob, in a stable order; a name that matches nothing is an error."""
    if not patterns:
        raise UsageError("no input given: name one or more files, globs or image folders")
    out: list[Path] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", pattern)
            out.extend(Path(m) for m in matches)
        else:
            path = Path(pattern)
            if not path.exists():
                raise InputError("no such file or directory", pattern)
            out.append(path)
    return out


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
    total = 0
    for p in paths:
        if p.is_dir():
            for root, _, files in os.walk(p):
                total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        else:
            total += p.stat().st_size
    return total


def iter_records(paths: list[Path], fmt: str, *, on_error: str, problems: Problems, progress: Progress | None = None,
                 required_fields: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """Records from every input in order. `required_fields` maps field -> the flag that named it."""
    if on_error not in ("fail", "skip"):
        raise UsageError(f"--on-error must be fail or skip, not {on_error!r}")
    progress = progress or Progress()
    reader = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "images": _images}[fmt]
    required = required_fields or {}
    for path in paths:
        if fmt == "images" and not path.is_dir():
            raise InputError("is not a folder; an image dataset is a folder with one sub-folder per class", str(path))
        if fmt != "images" and path.is_dir():
            raise InputError(f"is a folder; for {fmt} name files (or a glob)", str(path))
        for item in reader(path, progress):
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


# Each reader yields (record, line) or an InputError for a bad record (the caller decides to fail or skip).
Item = tuple[dict[str, Any], int | None] | InputError


def _jsonl(path: Path, progress: Progress) -> Iterator[Item]:
    with _open(path) as f:
        pending = 0
        for lineno, line in enumerate(f, start=1):
            pending += len(line)
            if pending >= 1 << 20:
                progress.advance(pending)
                pending = 0
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield InputError(_json_problem(line, exc), str(path), lineno)
                continue
            if not isinstance(record, dict):
                yield InputError(f"expected a JSON object, found {type(record).__name__}", str(path), lineno)
                continue
            yield record, lineno
        progress.advance(pending)


def _json_problem(line: bytes, exc: Exception) -> str:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as ude:
        return f"not valid UTF-8 (byte 0x{line[ude.start]:02x} at column {ude.start + 1})"
    # orjson's message quotes the document; keep only its description so no data is echoed.
    msg = str(exc).split(":", 1)[0]
    return f"malformed JSON ({msg})"


def _open(path: Path):
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", str(path)) from None


def _decoded_lines(f, path: Path, progress: Progress, where: list[int]) -> Iterator[str]:
    for lineno, raw in enumerate(f, start=1):
        where[0] = lineno
        progress.advance(len(raw))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as ude:
            raise InputError(f"not valid UTF-8 (byte 0x{raw[ude.start]:02x} at column {ude.start + 1})", str(path), lineno) from None
        yield text.removeprefix("\ufeff") if lineno == 1 else text


def _csv(path: Path, progress: Progress) -> Iterator[Item]:
    where = [0]
    with _open(path) as f:
        rows = csv.reader(_decoded_lines(f, path, progress, where))
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
                yield dict(zip(header, row)), rows.line_num
        except csv.Error as exc:
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


def _parquet(path: Path, progress: Progress) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc})", str(path)) from None
    row = 0
    per_row = path.stat().st_size / max(1, pf.metadata.num_rows)
    try:
        for batch in pf.iter_batches(batch_size=4096):
            for record in batch.to_pylist():
                row += 1
                yield {k: _plain(v) for k, v in record.items()}, row
            progress.advance(int(per_row * batch.num_rows))
    except pa.ArrowException as exc:
        raise InputError(f"Parquet data unreadable after row {row} ({exc})", str(path)) from None


def _images(root: Path, progress: Progress) -> Iterator[Item]:
    from PIL import Image, UnidentifiedImageError

    classes = sorted(d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise InputError("has no class sub-folders (expected one sub-folder per class)", str(root))
    for label_id, label in enumerate(classes):
        for dirpath, dirnames, filenames in os.walk(root / label):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                rel = str(path.relative_to(root))
                data = path.read_bytes()
                progress.advance(len(data))
                if path.suffix.lower() not in IMAGE_SUFFIXES:
                    yield InputError("is not a JPEG or PNG file", str(path))
                    continue
                try:
                    with Image.open(io.BytesIO(data)) as im:
                        fmt, (width, height) = im.format, im.size
                        im.load()  # a full decode: verify() misses truncated JPEG data
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                    yield InputError(f"unreadable image ({type(exc).__name__})", str(path))
                    continue
                if fmt not in ("JPEG", "PNG"):
                    yield InputError(f"is {fmt}, not JPEG or PNG", str(path))
                    continue
                yield {"image": data, "label": label, "label_id": label_id, "file": rel,
                       "format": fmt, "width": width, "height": height}, None
