"""Reading a whole file into a mutable buffer, without an intermediate copy.

Shards are decrypted in place (see `format.open_shard`), which needs their ciphertext in writable
memory; `f.read()` would return immutable bytes that must be copied first.
"""

from __future__ import annotations

import os
from typing import Any


def read_mutable(f: Any, size: int | None = None) -> bytearray:
    """The rest of `f` (a binary file object with `readinto`, local or fsspec) as a bytearray. `size` (the
    expected length, e.g. from the manifest) sizes the buffer up front; the result is still exactly what the
    file holds, longer or shorter."""
    if size is None:
        try:
            size = os.fstat(f.fileno()).st_size - f.tell()
        except (AttributeError, OSError, ValueError):  # fsspec files of remote stores have no descriptor
            size = getattr(f, "size", None) or 0
    buf = bytearray(max(size or 0, 0))
    view = memoryview(buf)
    filled = 0
    while filled < len(buf):
        n = f.readinto(view[filled:])
        if not n:
            break
        filled += n
    view.release()
    if filled < len(buf):
        del buf[filled:]  # shorter than expected: the caller's length check reports it
    else:
        buf += f.read()  # longer than expected: keep all of it, for the same reason
    return buf
