"""R's data files as the unseen parts' tests write them: R's XDR serialization (format 3, as R 3.5 and later write it)
of the few objects a package's lazy-load database holds, and the index that says where each object is."""

from __future__ import annotations

import struct


class RWriter:
    """R's XDR serialization of the objects a lazy-load database holds (janeaustenr's novels, tokenizers' book), as R
    writes it: a symbol met before is a reference."""

    def __init__(self) -> None:
        # format 3, as R 3.5 and later write it: the native encoding's name after the versions
        self.out = bytearray(b"X\n" + struct.pack(">iiii", 3, 0x040201, 0x030500, 5) + b"UTF-8")
        self.symbols: list[str] = []

    def int(self, *values: int) -> None:
        self.out += struct.pack(f">{len(values)}i", *values)

    def chars(self, text: str) -> None:
        data = text.encode("utf-8")
        self.int(9 | 1 << 15, len(data))  # a CHARSXP marked UTF-8, as R marks it
        self.out += data

    def symbol(self, name: str) -> None:
        if name in self.symbols:
            self.int((self.symbols.index(name) + 1) << 8 | 255)
            return
        self.symbols.append(name)
        self.int(1)
        self.chars(name)

    def strings(self, values: list[str]) -> None:
        self.int(16, len(values))
        for v in values:
            self.chars(v)

    def named_list(self, items: dict[str, list[int]]) -> None:
        self.int(19 | 512, len(items))  # a list with attributes: its names
        for v in items.values():
            self.int(13, len(v), *v)
        self.int(2 | 1024)  # the attributes' pairlist: names = c(...)
        self.symbol("names")
        self.strings(list(items))
        self.int(254)


def serialized(write) -> bytes:
    w = RWriter()
    write(w)
    return bytes(w.out)


def lazy_load_index(where: dict[str, list[int]]) -> bytes:
    """list(variables = list(name = c(offset, length), ...), compressed = TRUE), serialized."""

    def write(w: RWriter) -> None:
        w.int(19 | 512, 2)
        w.named_list(where)
        w.int(10, 1, 1)
        w.int(2 | 1024)
        w.symbol("names")
        w.strings(["variables", "compressed"])
        w.int(254)

    return serialized(write)
