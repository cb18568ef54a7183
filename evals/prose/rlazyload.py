"""R's lazy-load data as Debian's r-cran-* packages ship it (`data/Rdata.rdx`, `Rdata.rdb`), read without R: the
serialization format (XDR) as far as character vectors need it, and a package's text lines joined into paragraphs.
Two evaluation parts read it (unseen9's Austen, unseen10's Moby-Dick), and the name tagger's silver books."""

from __future__ import annotations

import struct
from typing import Any


class _RReader:
    """R's serialization format (XDR), as far as a lazy-load database of character vectors needs it: vectors of
    strings, integers, doubles and logicals, lists, pairlists, symbols and references to them, names as attributes."""

    def __init__(self, data: bytes) -> None:
        if data[:2] != b"X\n":
            raise ValueError("not R's XDR serialization")
        self.data, self.at, self.symbols = data, 2, []
        version = self.int()
        self.at += 8  # the writer's R version and the oldest that reads it
        if version == 3:
            length = self.int()  # the native encoding's name, skipped
            self.at += length

    def int(self) -> int:
        (value,) = struct.unpack_from(">i", self.data, self.at)
        self.at += 4
        return value

    def numbers(self, code: str, size: int) -> list[Any]:
        n = self.int()
        values = list(struct.unpack_from(f">{n}{code}", self.data, self.at))
        self.at += size * n
        return values

    def object(self) -> Any:
        flags = self.int()
        kind, has_attributes, has_tag = flags & 0xFF, flags & 512, flags & 1024
        if kind == 254:  # NULL
            return None
        if kind == 255:  # a symbol met before
            return self.symbols[(flags >> 8) - 1]
        if kind == 1:  # a symbol: its name
            name = self.object()
            self.symbols.append(name)
            return name
        if kind == 9:  # a string (NA as None)
            n = self.int()
            if n < 0:
                return None
            self.at += n
            return self.data[self.at - n : self.at].decode("utf-8")
        if kind == 2:  # a pairlist, as [(tag, value), ...]
            if has_attributes:
                self.object()
            tag = self.object() if has_tag else None
            head = self.object()
            return [(tag, head), *(self.object() or [])]
        if kind in (16, 19):  # strings, list
            values = [self.object() for _ in range(self.int())]
        elif kind in (10, 13):  # logicals, integers
            values = self.numbers("i", 4)
        elif kind == 14:  # doubles
            values = self.numbers("d", 8)
        else:
            raise ValueError(f"R object of type {kind} not read")
        if has_attributes:
            names = dict(self.object()).get("names")
            if names:
                return dict(zip(names, values))
        return values


def unserialize(data: bytes) -> Any:
    return _RReader(data).object()


def paragraphs_of_lines(lines: list[str]) -> list[str]:
    """Runs of non-blank lines, each run's lines trimmed and joined with a space."""
    out, run = [], []
    for line in [*lines, ""]:
        if line.strip():
            run.append(line.strip())
        elif run:
            out.append(" ".join(run))
            run = []
    return out
