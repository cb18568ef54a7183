"""The shard file format, version 1 (documented byte by byte in docs/format.md).

A shard is: a fixed header (ids and the wrapped data key, in plaintext), then segments, each a
group of records compressed (optionally) and sealed with AES-256-GCM under the shard's data key,
then a sealed index of the segments, then a fixed footer that locates the index.

Every seal's associated data binds the format version, flags, dataset id, version id, shard index,
segment kind and segment index, taken from what the reader *expects* (the manifest), not from the
file: a shard moved to another slot, another version or another dataset fails to open, and so does
any edited, reordered or truncated segment. Nothing is returned until every segment is checked.
"""

from __future__ import annotations

import os
import struct
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, cast

import msgpack
import zstandard

from aircluster.errors import IntegrityError
from aircluster.security.seal import KEY_BYTES, TAG_BYTES, AuthenticationFailed, Sealer, sealed_size

FORMAT_VERSION = 1
MAGIC = b"AIRSHRD1"
FOOTER_MAGIC = b"AIRSEND1"

FLAG_ZSTD = 1 << 0
# Benchmark-only: segments stored without encryption, to measure what encryption costs. Readers
# refuse such shards unless explicitly told the data is a benchmark's.
FLAG_UNENCRYPTED = 1 << 15


WRAPPED_DEK_BYTES = sealed_size(KEY_BYTES)
HEADER = struct.Struct(">8sHHI16s16sI60s")  # magic, format, flags, reserved, dataset, version, shard, wrapped DEK
FOOTER = struct.Struct(">QIIQ8s")  # index offset, index length, segment count, record count, magic
AAD = struct.Struct(">8sHHc16s16sIQ")
COUNT = struct.Struct("<I")

KIND_SEGMENT = b"S"
KIND_INDEX = b"I"

DEFAULT_SEGMENT_BYTES = 1 << 20
ZSTD_LEVEL = 3


def dek_aad(dataset_id: str, version_id: str, shard_index: int) -> bytes:
    """What a wrapped data key is bound to."""
    return b"aircluster-dek-v1|" + uuid.UUID(dataset_id).bytes + uuid.UUID(version_id).bytes + struct.pack(">I", shard_index)


def seal_aad(flags: int, kind: bytes, dataset_id: str, version_id: str, shard_index: int, index: int) -> bytes:
    return AAD.pack(
        MAGIC, FORMAT_VERSION, flags, kind, uuid.UUID(dataset_id).bytes, uuid.UUID(version_id).bytes, shard_index, index
    )


def _nonce(kind: bytes, index: int) -> bytes:
    # Each data key seals exactly one shard, so (kind, index) never repeats under a key.
    return kind + b"\0\0\0" + struct.pack(">Q", index)


def pack_record(record: dict[str, Any]) -> bytes:
    return cast(bytes, msgpack.packb(record, use_bin_type=True))


@dataclass(frozen=True)
class ShardInfo:
    index: int
    file: str
    records: int
    segments: int
    bytes_plain: int
    bytes_stored: int
    wrapped_dek: bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "file": self.file,
            "records": self.records,
            "segments": self.segments,
            "bytes_plain": self.bytes_plain,
            "bytes_stored": self.bytes_stored,
        }


class ShardWriter:
    """Streams records into one shard file. Plaintext never reaches the file: segments are sealed in memory."""

    def __init__(
        self,
        path: str,
        *,
        dataset_id: str,
        version_id: str,
        shard_index: int,
        dek: bytes,
        wrapped_dek: bytes,
        compress: bool,
        segment_bytes: int = DEFAULT_SEGMENT_BYTES,
        encrypt: bool = True,
    ):
        if len(wrapped_dek) != WRAPPED_DEK_BYTES:
            raise ValueError("wrapped data key has the wrong length")
        self.path = path
        self.flags = (FLAG_ZSTD if compress else 0) | (0 if encrypt else FLAG_UNENCRYPTED)
        self._ids = (dataset_id, version_id, shard_index)
        self._box = Sealer(dek)
        self._compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL) if compress else None
        self._segment_bytes = segment_bytes
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._segments: list[tuple[int, int, int]] = []  # offset, sealed length, records
        # Compression and sealing run on one background thread (zstd and AES-GCM release the GIL) while
        # the caller packs the next segment; sealed segments are written in order, at most 2 in flight.
        self._sealer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aircluster-seal")
        self._in_flight: deque[tuple[Future[bytes], int]] = deque()
        self._submitted = 0
        self.records = 0
        self.bytes_plain = 0
        self._wrapped_dek = wrapped_dek
        self._file = open(path, "xb")
        self._file.write(
            HEADER.pack(
                MAGIC,
                FORMAT_VERSION,
                self.flags,
                0,
                uuid.UUID(dataset_id).bytes,
                uuid.UUID(version_id).bytes,
                shard_index,
                wrapped_dek,
            )
        )
        self._offset = HEADER.size

    def add(self, packed: bytes) -> None:
        self._pending.append(packed)
        self._pending_bytes += len(packed)
        if self._pending_bytes >= self._segment_bytes:
            self._flush_segment()

    def _seal(self, kind: bytes, index: int, body: bytes) -> bytes:
        if self.flags & FLAG_UNENCRYPTED:
            return body
        return self._box.seal_at(_nonce(kind, index), body, seal_aad(self.flags, kind, *self._ids, index))

    def _compress_and_seal(self, index: int, body: bytes) -> bytes:
        if self._compressor is not None:
            body = self._compressor.compress(body)
        return self._seal(KIND_SEGMENT, index, body)

    def _flush_segment(self) -> None:
        if not self._pending:
            return
        n = len(self._pending)
        ends = []
        pos = 0
        for rec in self._pending:
            pos += len(rec)
            ends.append(pos)
        body = COUNT.pack(n) + struct.pack(f"<{n}I", *ends) + b"".join(self._pending)
        self.bytes_plain += len(body)
        self._in_flight.append((self._sealer.submit(self._compress_and_seal, self._submitted, body), n))
        self._submitted += 1
        self.records += n
        self._pending = []
        self._pending_bytes = 0
        while len(self._in_flight) > 2:
            self._write_oldest()

    def _write_oldest(self) -> None:
        future, n = self._in_flight.popleft()
        sealed = future.result()
        self._file.write(sealed)
        self._segments.append((self._offset, len(sealed), n))
        self._offset += len(sealed)

    @property
    def size_plain(self) -> int:
        return self.bytes_plain + self._pending_bytes

    def close(self, file_name: str) -> ShardInfo:
        """Seal the last segment and the index, write the footer, fsync. Returns what the manifest records."""
        self._flush_segment()
        while self._in_flight:
            self._write_oldest()
        self._sealer.shutdown()
        index_body = cast(
            bytes, msgpack.packb({"segments": self._segments, "records": self.records, "bytes_plain": self.bytes_plain})
        )
        sealed = self._seal(KIND_INDEX, len(self._segments), index_body)
        self._file.write(sealed)
        self._file.write(FOOTER.pack(self._offset, len(sealed), len(self._segments), self.records, FOOTER_MAGIC))
        size = self._offset + len(sealed) + FOOTER.size
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return ShardInfo(self._ids[2], file_name, self.records, len(self._segments), self.bytes_plain, size, self._wrapped_dek)

    def abort(self) -> None:
        self._sealer.shutdown(cancel_futures=True)
        self._file.close()


def wrapped_dek_of(header: bytes | bytearray | memoryview) -> bytes | None:
    """The wrapped data key in a shard's first `HEADER.size` bytes, or None if they are not a shard header of
    this format (`open_shard` then says what is wrong, when the shard is opened)."""
    if len(header) < HEADER.size:
        return None
    magic, fmt, flags, _, _, _, _, wrapped = HEADER.unpack_from(header)
    if magic != MAGIC or fmt != FORMAT_VERSION or flags & FLAG_UNENCRYPTED:
        return None
    return bytes(wrapped)


class Unwrapper(Protocol):
    """Gives a shard its data key (what `open_shard` needs)."""

    def unwrap(self, wrapped: bytes, aad: bytes, shard: int) -> bytes: ...


class ReleasedKeys(Unwrapper, Protocol):
    """What a key release gives a reader. `prime` may ask ahead for the keys of shards about to be opened (pairs
    of shard index and wrapped key, as their headers hold them); an unwrapper that needs no round trip ignores it."""

    def prime(self, items: list[tuple[int, bytes]]) -> None: ...


class OpenShard:
    """A shard whose every segment has been authenticated and decrypted, in memory. Compressed segments
    are decompressed one at a time as they are read, so at most one decompressed segment is held."""

    def __init__(
        self,
        bodies: list[memoryview],
        counts: list[int],
        *,
        label: str = "",
        shard: int = 0,
        decompressor: zstandard.ZstdDecompressor | None = None,
    ):
        self._bodies = bodies
        self.counts = counts
        self.records = sum(counts)
        self._label, self._shard = label, shard
        self._decompressor = decompressor
        self._last: tuple[int, memoryview] | None = None  # the segment decompressed last, for random access

    def __len__(self) -> int:
        return self.records

    def _body(self, i: int) -> memoryview:
        if self._decompressor is None:
            return self._bodies[i]
        if self._last is not None and self._last[0] == i:
            return self._last[1]
        try:
            body = memoryview(self._decompressor.decompress(self._bodies[i]))
        except zstandard.ZstdError:
            raise IntegrityError(
                f"{self._label} shard {self._shard}: segment {i} does not decompress", dataset=self._label, shard=self._shard
            ) from None
        self._last = (i, body)
        return body

    def check(self) -> None:
        """Decompress every segment once (authentication already covered them): what `verify` needs."""
        for i in range(len(self._bodies)):
            self._body(i)

    def iter_packed(self) -> Iterator[memoryview]:
        for i in range(len(self._bodies)):
            body = self._body(i)
            n = COUNT.unpack_from(body)[0]
            ends = struct.unpack_from(f"<{n}I", body, 4)
            base = 4 + 4 * n
            start = 0
            for end in ends:
                yield body[base + start : base + end]
                start = end

    def _records_of(self, i: int) -> msgpack.Unpacker:
        """Segment i's records, decoded in one pass (the packed records follow the count and the end offsets)."""
        body = self._body(i)
        n = COUNT.unpack_from(body)[0]
        unpacker = msgpack.Unpacker(raw=False, max_buffer_size=len(body))
        unpacker.feed(body[4 + 4 * n :])
        return unpacker

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self._bodies)):
            yield from self._records_of(i)

    def unpack_all(self) -> list[dict[str, Any]]:
        """Every record, decoded in one pass over each segment (much cheaper per record than `record(i)`)."""
        out: list[dict[str, Any]] = []
        for i in range(len(self._bodies)):
            out.extend(self._records_of(i))
            if len(out) != sum(self.counts[: i + 1]):
                raise IntegrityError(
                    f"{self._label} shard {self._shard}: segment {i} holds another number of records than its header says",
                    dataset=self._label,
                    shard=self._shard,
                )
        self._last = None
        return out

    def packed(self, i: int) -> memoryview:
        """Random access to record i (the packed msgpack bytes)."""
        for seg, n in enumerate(self.counts):
            if i < n:
                body = self._body(seg)
                ends = struct.unpack_from(f"<{n}I", body, 4)
                base = 4 + 4 * n
                return body[base + (ends[i - 1] if i else 0) : base + ends[i]]
            i -= n
        raise IndexError(i)

    def record(self, i: int) -> dict[str, Any]:
        return msgpack.unpackb(self.packed(i), raw=False)


def open_shard(
    data: bytes | bytearray | memoryview,
    *,
    label: str,
    dataset_id: str,
    version_id: str,
    shard_index: int,
    unwrapper: Unwrapper | None,
    expected_records: int | None = None,
    allow_unencrypted: bool = False,
) -> OpenShard:
    """Authenticate and decrypt a whole shard held in memory. Raises IntegrityError naming `label` and the shard.

    Writable `data` (a bytearray, as `VersionReader.fetch_shard` returns) is decrypted in place and is
    plaintext afterwards, also when a later segment fails; read-only data is decrypted into a new buffer."""

    def bad(why: str) -> IntegrityError:
        return IntegrityError(f"{label} shard {shard_index}: {why}", dataset=label, shard=shard_index)

    view = memoryview(data)
    if len(view) < HEADER.size + FOOTER.size:
        raise bad(f"file is truncated ({len(view)} bytes)")
    magic, fmt, flags, _, ds, ver, idx, wrapped = HEADER.unpack_from(view)
    if magic != MAGIC:
        raise bad("not an aircluster shard (bad magic)")
    if fmt != FORMAT_VERSION:
        raise bad(f"format version {fmt} is not supported (this aircluster reads version {FORMAT_VERSION})")
    if uuid.UUID(bytes=ds).hex != uuid.UUID(dataset_id).hex or uuid.UUID(bytes=ver).hex != uuid.UUID(version_id).hex:
        raise bad("the file belongs to another dataset or version")
    if idx != shard_index:
        raise bad(f"the file is shard {idx} of this version, not shard {shard_index} (shards were swapped)")
    index_off, index_len, n_segments, n_records, fmagic = FOOTER.unpack_from(view, len(view) - FOOTER.size)
    if fmagic != FOOTER_MAGIC:
        raise bad("file is truncated or its footer was edited")
    if index_off + index_len + FOOTER.size != len(view) or index_off < HEADER.size:
        raise bad("file length does not match its footer (truncated or extended)")
    if expected_records is not None and n_records != expected_records:
        raise bad(f"holds {n_records} records but the manifest says {expected_records}")

    if flags & FLAG_UNENCRYPTED:
        if not allow_unencrypted:
            raise bad("is not encrypted (a benchmark-only shard); refusing to read it")
        box = None
    else:
        if unwrapper is None:
            raise bad("no key service to unwrap its data key")
        box = Sealer(unwrapper.unwrap(bytes(wrapped), dek_aad(dataset_id, version_id, shard_index), shard_index))

    def unseal(kind: bytes, i: int, sealed: memoryview, out: memoryview | None = None) -> memoryview:
        if box is None:
            return sealed
        aad = seal_aad(flags, kind, dataset_id, version_id, shard_index, i)
        try:
            return box.open_at(_nonce(kind, i), sealed, aad, out)
        except AuthenticationFailed:
            what = "index" if kind == KIND_INDEX else f"segment {i}"
            raise bad(f"{what} fails authentication (edited, reordered or truncated)") from None

    index = msgpack.unpackb(unseal(KIND_INDEX, n_segments, view[index_off : index_off + index_len]), raw=False)
    segments = index["segments"]
    if len(segments) != n_segments or index["records"] != n_records:
        raise bad("index does not match the footer")
    expected_off = HEADER.size
    for off, length, _ in segments:
        if off != expected_off:
            raise bad("segments are not contiguous")
        expected_off += length
    if expected_off != index_off:
        raise bad("segments do not end where the index starts")

    # Decrypt every segment before anything is returned: a bad segment anywhere means no record of
    # this shard is ever handed out. Writable ciphertext is decrypted in place, each segment over its
    # own bytes: half the memory traffic of a second buffer (decryption is memory-bound once a shard
    # outgrows the CPU caches) and one shard-sized buffer less.
    overhead = 0 if box is None else TAG_BYTES
    in_place = box is not None and not view.readonly
    plain: memoryview | None = None
    if box is not None and not in_place:
        total = sum(length - overhead for _, length, _ in segments)
        plain = memoryview(bytearray(total))
    bodies: list[memoryview] = []
    pos = 0
    for i, (off, length, _) in enumerate(segments):
        sealed = view[off : off + length]
        if in_place:
            out: memoryview | None = view[off : off + length - overhead]
        else:
            out = plain[pos : pos + length - overhead] if plain is not None else None
        bodies.append(unseal(KIND_SEGMENT, i, sealed, out))
        pos += length - overhead
    decompressor = zstandard.ZstdDecompressor() if flags & FLAG_ZSTD else None
    return OpenShard(bodies, [n for _, _, n in segments], label=label, shard=shard_index, decompressor=decompressor)
