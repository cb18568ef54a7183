"""Signed tree heads: (tree size, root hash, timestamp) signed with the log owner's Ed25519 key.

Anyone holding the public key can check a head; only the key's holder can make one. What is signed
is a fixed binary layout (as RFC 6962's TreeHeadSignature is), never JSON, so no two encodings of one
head exist. The fingerprint names a key in a few characters: SHA-256 of its raw 32 bytes, in hex.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from aircluster.durable import fsync_dir

_DOMAIN = b"aircluster-audit-tree-head-v1\x00"


class HeadFormatError(ValueError):
    """A head, key or witness file that does not parse; the message names the file."""


def fingerprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class TreeHead:
    size: int
    root: bytes
    timestamp_ms: int

    def signed_bytes(self) -> bytes:
        return _DOMAIN + struct.pack(">QQ", self.size, self.timestamp_ms) + self.root

    def sign(self, key: Ed25519PrivateKey) -> SignedTreeHead:
        return SignedTreeHead(
            self.size, self.root, self.timestamp_ms, key.sign(self.signed_bytes()), fingerprint(key.public_key())
        )


@dataclass(frozen=True)
class SignedTreeHead(TreeHead):
    signature: bytes
    key_fingerprint: str

    def verifies_under(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.signed_bytes())
        except InvalidSignature:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree_size": self.size,
            "root_hash": self.root.hex(),
            "timestamp_ms": self.timestamp_ms,
            "signature": base64.b64encode(self.signature).decode(),
            "key_fingerprint": self.key_fingerprint,
        }

    @classmethod
    def from_dict(cls, doc: Any, where: str) -> SignedTreeHead:
        try:
            root = bytes.fromhex(doc["root_hash"])
            head = cls(
                int(doc["tree_size"]),
                root,
                int(doc["timestamp_ms"]),
                base64.b64decode(doc["signature"], validate=True),
                str(doc["key_fingerprint"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HeadFormatError(f"{where}: not a signed tree head ({exc.__class__.__name__}: {exc})") from None
        if len(root) != 32 or head.size < 0:
            raise HeadFormatError(f"{where}: not a signed tree head (bad size or root hash)")
        return head


# --- files ---------------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Replace `path` whole or not at all: write a temp file, fsync, rename, fsync the directory."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)  # whatever the umask
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_bytes())
    except ValueError:
        raise HeadFormatError(f"{path}: {what} is not valid JSON") from None


def create_signing_key(private_path: Path, public_path: Path) -> Ed25519PrivateKey:
    """A new key pair: the private key readable by its owner only, the public key by everyone."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    write_atomic(public_path, public_pem, 0o644)
    fsync_dir(private_path.parent)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise HeadFormatError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError:
        raise HeadFormatError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise HeadFormatError(f"{path}: not an Ed25519 public key")
    return key
