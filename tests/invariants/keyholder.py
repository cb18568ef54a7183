"""What anyone holding the key files can do with the documented format (docs/format.md) and `cryptography`.

The invariant tests open shards with this, not with aircluster's own reader, so the envelope is checked from
the outside: if aircluster wrote its keys or shards some other way than documented, these functions fail.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgpack
import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE = 12
HEADER = struct.Struct(">8sHHI16s16sI60s")  # magic, format, flags, reserved, dataset id, version id, shard, wrapped DEK
FOOTER = struct.Struct(">QIIQ8s")  # index offset, index length, segments, records, magic
FLAG_ZSTD = 1


def master_key(path: Path) -> bytes:
    return base64.b64decode(json.loads(path.read_text())["key"])


def wrapped_keys(keystore: Path) -> dict[str, bytes]:
    """key id -> wrapped key, read straight from the SQLite file."""
    db = sqlite3.connect(f"file:{keystore}?mode=ro", uri=True)
    try:
        return {key_id: bytes(blob) for key_id, blob in db.execute("SELECT key_id, wrapped FROM keys")}
    finally:
        db.close()


def unwrap(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """nonce || ciphertext || tag under AES-256-GCM; raises cryptography's InvalidTag on any mismatch."""
    return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)


def unwrap_under_master(master: bytes, key_id: str, blob: bytes) -> bytes:
    return unwrap(master, blob, f"aircluster-wrap-v1|master|{key_id}".encode())


@dataclass(frozen=True)
class Header:
    flags: int
    dataset_id: bytes
    version_id: bytes
    shard: int
    wrapped_dek: bytes


def header(shard: bytes) -> Header:
    magic, fmt, flags, _, dataset_id, version_id, index, wrapped = HEADER.unpack_from(shard)
    assert (magic, fmt) == (b"AIRSHRD1", 1)
    return Header(flags, dataset_id, version_id, index, wrapped)


def dek_aad(h: Header) -> bytes:
    return b"aircluster-dek-v1|" + h.dataset_id + h.version_id + struct.pack(">I", h.shard)


def unwrap_dek(kek: bytes, h: Header) -> bytes:
    return unwrap(kek, h.wrapped_dek, dek_aad(h))


def _open(dek: bytes, h: Header, kind: bytes, index: int, sealed: bytes) -> bytes:
    nonce = kind + b"\0\0\0" + struct.pack(">Q", index)
    aad = b"AIRSHRD1" + struct.pack(">HH", 1, h.flags) + kind + h.dataset_id + h.version_id + struct.pack(">IQ", h.shard, index)
    return AESGCM(dek).decrypt(nonce, sealed, aad)


def decrypt_shard(dek: bytes, shard: bytes) -> list[dict[str, Any]]:
    """Every record of a shard, decrypted with its data key."""
    h = header(shard)
    index_off, index_len, n_segments, _, _ = FOOTER.unpack_from(shard, len(shard) - FOOTER.size)
    index = msgpack.unpackb(_open(dek, h, b"I", n_segments, shard[index_off : index_off + index_len]), raw=False)
    records: list[dict[str, Any]] = []
    for i, (off, length, count) in enumerate(index["segments"]):
        body = _open(dek, h, b"S", i, shard[off : off + length])
        if h.flags & FLAG_ZSTD:
            body = zstandard.ZstdDecompressor().decompress(body)
        start = 4 + 4 * count  # record count, then the end offset of each record
        records.extend(_unpack(body[start:]))
    return records


def _unpack(data: bytes) -> list[dict[str, Any]]:
    unpacker = msgpack.Unpacker(raw=False, max_buffer_size=max(len(data), 1))
    unpacker.feed(data)
    return list(unpacker)


def current_keys(keys_dir: Path) -> dict[str, bytes]:
    """Every key an installation holds at this moment (key id -> key), unwrapped as the key service would."""
    master = master_key(keys_dir.parent.parent / "master" / "master.key")  # HOME/server/keys -> HOME/master
    return {key_id: unwrap_under_master(master, key_id, blob) for key_id, blob in wrapped_keys(keys_dir / "keystore.db").items()}


def opens_with_any(keys: list[bytes], shard: bytes) -> bool:
    """Whether any of `keys` unwraps the shard's data key."""
    for key in keys:
        try:
            unwrap_dek(key, header(shard))
            return True
        except InvalidTag:
            pass
    return False
