"""Cut a stream of record batches into pieces of about the same scanning work, for the scan workers.

    for piece in pieces(batches, max_chars=PIECE_CHARS, max_records=512): ...   # lists of records, in order

A scan's cost grows with the text it reads, not with the number of records: 512 short posts are about
100 kB, 512 long documents about 4.6 MB. Pieces are therefore cut by characters of text (string values
and key names, nested), so every piece is about the same work whatever the records look like and a worker
never waits long behind another; `max_records` bounds pieces of records with little text. A record longer
than `max_chars` is a piece of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

# About a fifth of a second of scanning on one core (0.2-0.4 MB/s): small enough that the last pieces of
# an import keep both workers busy, large enough that sending a piece costs nothing beside its scan.
PIECE_CHARS = 64_000
# What a number, a boolean or a null adds to a record's size (it is not scanned, but it is read and sent).
_SCALAR_CHARS = 8


def text_size(value: Any) -> int:
    """Characters a scan reads in `value`: its strings and key names, nested; a little for anything else."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + text_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(text_size(v) for v in value) + _SCALAR_CHARS
    return _SCALAR_CHARS


def pieces(batches: Iterable[list[dict]], max_chars: int = PIECE_CHARS, max_records: int = 512) -> Iterator[list[dict]]:
    """The records of `batches`, in order, in lists of at most `max_records` records that end as soon as
    they hold `max_chars` characters of text."""
    if max_chars < 1 or max_records < 1:
        raise ValueError("max_chars and max_records must be at least 1")
    piece: list[dict] = []
    size = 0
    for batch in batches:
        for record in batch:
            piece.append(record)
            size += text_size(record)
            if size >= max_chars or len(piece) >= max_records:
                yield piece
                piece, size = [], 0
    if piece:
        yield piece
