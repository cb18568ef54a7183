"""A size-bounded local cache of *ciphertext* shards, shared by every loader process on the host.

Entries are the shard files exactly as stored (encrypted), so the cache never holds plaintext; a
cached shard is authenticated again every time it is opened. The bound holds at every instant:
room is made (least recently used first) under an exclusive lock *before* a new entry is written,
and entries land by atomic rename so a reader never sees half a file. A shard larger than the whole
bound is passed through uncached.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aircluster.store.readbuf import read_mutable

ENTRY_SUFFIX = ".air"


class ShardCache:
    def __init__(self, directory: Path | str, max_bytes: int):
        if max_bytes < 0:
            raise ValueError(f"cache bound must be >= 0 bytes, not {max_bytes}")
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock_path = self.directory / ".lock"
        self.hits = 0
        self.misses = 0  # fetches from the source, in this process

    def _entry(self, key: str) -> Path:
        return self.directory / (key.replace("/", "_") + ENTRY_SUFFIX)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def get(self, key: str, fetch: Callable[[], bytearray]) -> bytearray:
        """The ciphertext for `key`, from the cache or else from `fetch()` (then cached if it fits), in a
        buffer the caller may overwrite (shards are decrypted in place)."""
        path = self._entry(key)
        try:
            with open(path, "rb") as f:
                data = read_mutable(f)
            os.utime(path)  # mark recently used
            self.hits += 1
            return data
        except FileNotFoundError:
            pass
        data = fetch()
        self.misses += 1
        if 0 < len(data) <= self.max_bytes:
            self._put(path, data)
        return data

    def head(self, key: str, n: int) -> bytes | None:
        """The first `n` bytes of a cached entry (a shard's header), or None if it is not cached. Not a use:
        its recency is left alone."""
        try:
            with open(self._entry(key), "rb", buffering=0) as f:
                return f.read(n)
        except FileNotFoundError:
            return None

    def discard(self, key: str) -> None:
        """Drop an entry (e.g. one that failed authentication) so the next read fetches it again."""
        with self._locked():
            self._entry(key).unlink(missing_ok=True)

    def _put(self, path: Path, data: bytes | bytearray) -> None:
        with self._locked():
            if path.exists():  # another process cached it meanwhile
                return
            self._make_room(len(data))
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def _make_room(self, needed: int) -> None:
        entries = []
        for entry in self.directory.iterdir():
            if entry.name.endswith(ENTRY_SUFFIX):
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue
                entries.append((st.st_mtime_ns, st.st_size, entry))
        used = sum(size for _, size, _ in entries)
        for _, size, entry in sorted(entries, key=lambda e: e[0]):
            if used + needed <= self.max_bytes:
                break
            entry.unlink(missing_ok=True)
            used -= size

    def used_bytes(self) -> int:
        """Bytes of every file in the cache (entries and entries being written), at this moment."""
        total = 0
        for entry in self.directory.iterdir():
            if entry.name == ".lock":
                continue
            try:
                total += entry.stat().st_size
            except FileNotFoundError:  # evicted while we looked
                pass
        return total
