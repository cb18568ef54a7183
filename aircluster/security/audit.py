"""The audit log (DESIGN.md, invariant 6): a transparency log in the style of RFC 6962.

`audit/audit.log` holds one canonical JSON entry per line (seq, time, principal, action, details:
ids, names, counts and principals, never data); the entries are the leaves of a Merkle tree
(security/merkle.py). After every append the log's owner signs a new tree head (size, root,
timestamp) with its Ed25519 key into `audit/log.head`; `audit/log.pub` lets anyone check it. A
user's `verify` recomputes the tree, checks the head, and checks that the head extends the last one
that user saw (security/witness.py), so cutting, rolling back or rewriting the log is caught by
anyone who looked at it before, even by someone who also holds the signing key.

Lines after the signed head are not part of the log: an append writes its entry, then the head,
under one lock; if it stops in between, its caller never acted on it, and the next append drops
the unsigned line before writing its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from aircluster.errors import IntegrityError, PermissionDenied
from aircluster.security import merkle
from aircluster.security.audit_check import DAMAGED, MISSING_KEY, VerifyResult, canonical, check
from aircluster.security.tree_head import (
    HeadFormatError,
    SignedTreeHead,
    TreeHead,
    create_signing_key,
    load_private_key,
    load_public_key,
    read_json,
    write_atomic,
)
from aircluster.security.witness import Witness

_CORE_FIELDS = ("seq", "time", "principal", "action")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    """The log's files; appending needs the signing key, reading and verifying only the public key."""

    def __init__(
        self, path: Path, head_path: Path, public_key_path: Path, signing_key_path: Path, witness: Witness | None = None
    ):
        self.path = path
        self.head_path = head_path
        self.public_key_path = public_key_path
        self.signing_key_path = signing_key_path
        self.witness = witness
        self._signing_key: Ed25519PrivateKey | None = None

    @property
    def log_id(self) -> str:
        """Where the log lives: what a user's witness record is keyed by (a new key there does not start afresh)."""
        return str(self.path.resolve())

    # --- creation --------------------------------------------------------------------------------------

    def create(self) -> bool:
        """Make the signing key pair and sign the log as it stands, unless the key exists. Idempotent.

        An installation from before signed heads has a log and no key: its entries are adopted as they are."""
        if self.signing_key_path.exists():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o755)  # readable by every user who verifies it
        with self._locked_log() as f:
            if self.signing_key_path.exists():
                return False
            self._signing_key = create_signing_key(self.signing_key_path, self.public_key_path)
            data = f.read()
            tree = merkle.CompactRange()
            complete = data[: data.rfind(b"\n") + 1]
            for line in complete.split(b"\n")[:-1]:
                tree.append(merkle.leaf_hash(line))
            self._write_head(tree, len(complete), 0)
        return True

    # --- appending ---------------------------------------------------------------------------------------

    def append(self, action: str, principal: str, **details: Any) -> dict[str, Any]:
        clash = set(details) & set(_CORE_FIELDS)
        if clash:
            raise ValueError(f"audit details may not set {sorted(clash)}")
        with self._locked_log() as f:
            key = self._key()
            tree, signed_bytes, last_ms = self._writer_state(f, key)
            os.ftruncate(f.fileno(), signed_bytes)  # drop what an interrupted append left after the head
            entry: dict[str, Any] = {
                **details,
                "seq": tree.size + 1,
                "time": now_iso(),
                "principal": principal,
                "action": action,
            }
            line = canonical(entry)
            f.write(line + b"\n")
            f.flush()
            os.fsync(f.fileno())
            tree.append(merkle.leaf_hash(line))
            self._write_head(tree, signed_bytes + len(line) + 1, last_ms)
        return entry

    def _locked_log(self) -> _Locked:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except PermissionError:
            raise PermissionDenied(f"cannot write the audit log {self.path}: only its owner appends to it") from None
        if os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, 0o644)  # whatever the umask: users verify it
        return _Locked(os.fdopen(fd, "r+b"))

    def _key(self) -> Ed25519PrivateKey:
        if self._signing_key is None:
            if not self.signing_key_path.exists():
                raise IntegrityError(
                    f"audit signing key {self.signing_key_path} is missing: no entry can be signed "
                    "(`aircluster init` makes one for an installation from before signed heads)"
                )
            try:
                self._signing_key = load_private_key(self.signing_key_path)
            except ValueError as exc:  # HeadFormatError, or what cryptography says of a damaged PEM
                raise IntegrityError(f"audit signing key {self.signing_key_path} is damaged: {exc}") from None
        return self._signing_key

    def _writer_state(self, f: BinaryIO, key: Ed25519PrivateKey) -> tuple[merkle.CompactRange, int, int]:
        """The tree so far (from the head's compact range, checked against the signed root), its length in bytes
        and its timestamp. Refuses to sign on top of a log that no longer matches its own head."""
        if not self.head_path.exists():
            raise IntegrityError(f"audit log {self.path} has no signed head {self.head_path}: run `aircluster audit verify`")
        try:
            doc = read_json(self.head_path, "the signed head")
            head = SignedTreeHead.from_dict(doc, str(self.head_path))
        except HeadFormatError as exc:
            raise IntegrityError(f"{exc}: run `aircluster audit verify`") from None
        if not head.verifies_under(key.public_key()):
            raise IntegrityError(f"{self.head_path} is not signed by this log's key: run `aircluster audit verify`")
        try:
            tree = merkle.CompactRange(head.size, [bytes.fromhex(h) for h in doc["frontier"]])
            signed_bytes = int(doc["log_bytes"])
        except (KeyError, TypeError, ValueError):
            raise IntegrityError(f"{self.head_path}: its compact range is damaged: run `aircluster audit verify`") from None
        if tree.root() != head.root:
            raise IntegrityError(f"{self.head_path}: its compact range does not match its signed root")
        size = os.fstat(f.fileno()).st_size
        if size < signed_bytes or _seq_ending_at(f, signed_bytes) != head.size:
            raise IntegrityError(
                f"audit log {self.path} no longer ends where its signed head says (entry {head.size}): "
                "run `aircluster audit verify`"
            )
        return tree, signed_bytes, head.timestamp_ms

    def _write_head(self, tree: merkle.CompactRange, signed_bytes: int, last_ms: int) -> None:
        # never older than the head it replaces, so heads order by time even if the clock steps back
        head = TreeHead(tree.size, tree.root(), max(int(time.time() * 1000), last_ms)).sign(self._key())
        doc = {**head.to_dict(), "frontier": [p.hex() for p in tree.peaks], "log_bytes": signed_bytes}
        write_atomic(self.head_path, json.dumps(doc, indent=2).encode() + b"\n", 0o644)

    # --- reading -------------------------------------------------------------------------------------------

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        with open(self.path, "rb") as f:
            for line in f:
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        out.append({"unparseable": True})
        return out

    def tail(self, n: int) -> list[dict[str, Any]]:
        return self.entries()[-n:] if n > 0 else []

    def head(self) -> SignedTreeHead:
        """The current signed head, checked against the public key."""
        if not self.head_path.exists():
            raise IntegrityError(f"audit log {self.path} has no signed head ({self.head_path} is missing)")
        try:
            head = SignedTreeHead.from_dict(read_json(self.head_path, "the signed head"), str(self.head_path))
            public_key = load_public_key(self.public_key_path)
        except HeadFormatError as exc:
            raise IntegrityError(str(exc)) from None
        except FileNotFoundError:
            raise IntegrityError(f"the audit log's public key {self.public_key_path} is missing") from None
        if not head.verifies_under(public_key):
            raise IntegrityError(f"{self.head_path} does not verify under {self.public_key_path}")
        return head

    # --- verifying -------------------------------------------------------------------------------------------

    def verify(self) -> VerifyResult:
        """Check the log against its head and the head against the last one this user saw; then remember it."""
        if not self.public_key_path.exists():
            return VerifyResult(False, failure=MISSING_KEY, problem=f"the log's public key {self.public_key_path} is missing")
        seen = self.witness.seen(self.log_id) if self.witness else None
        try:
            public_key = load_public_key(self.public_key_path)
            # the head before the log: the log only grows, so it then holds at least what the head signs
            head = (
                SignedTreeHead.from_dict(read_json(self.head_path, "the signed head"), str(self.head_path))
                if self.head_path.exists()
                else None
            )
        except HeadFormatError as exc:
            return VerifyResult(False, failure=DAMAGED, problem=str(exc), seen=seen.head if seen else None)
        log = self.path.read_bytes() if self.path.exists() else None
        result = check(log, head, public_key, seen.head if seen else None)
        if result.ok and self.witness and result.head and _newer(result.head, result.seen):
            result.witness = str(self.witness.record(self.log_id, result.head))
        elif self.witness:
            result.witness = str(self.witness.path_for(self.log_id))
        return result


def _newer(head: SignedTreeHead, seen: SignedTreeHead | None) -> bool:
    return seen is None or (head.size, head.timestamp_ms) > (seen.size, seen.timestamp_ms)


def _seq_ending_at(f: BinaryIO, offset: int) -> int:
    """The sequence number of the line ending at byte `offset` (0 if the log is empty up to there, -1 if none does)."""
    if offset == 0:
        return 0
    f.seek(offset - 1)
    if f.read(1) != b"\n":
        return -1
    line, start = b"", offset - 1
    while start > 0:  # read backwards until the newline before it
        step = min(4096, start)
        f.seek(start - step)
        line = f.read(step) + line
        start -= step
        if b"\n" in line:
            break
    line = line.rsplit(b"\n", 1)[-1]
    try:
        return int(json.loads(line)["seq"])
    except (ValueError, KeyError, TypeError):
        return -1


class _Locked:
    """An open log file held under an exclusive flock: every writer on this host appends in turn."""

    def __init__(self, f: BinaryIO):
        self.f = f

    def __enter__(self) -> BinaryIO:
        fcntl.flock(self.f, fcntl.LOCK_EX)
        self.f.seek(0)
        return self.f

    def __exit__(self, *exc: object) -> None:
        self.f.close()  # closing releases the lock
