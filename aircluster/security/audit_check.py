"""What `aircluster audit verify` decides, given what it read: the log's lines, its signed head, its
public key and the last head this user saw. No file access here, so every verdict is easy to test.

The order of the checks is the order of trust: the key first (is it the one that signed what this
user saw?), then the head's signature, then the entries against the head, then the head against the
one seen before. Each failure is named (`failure`) and described in one line (`problem`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from aircluster.security import merkle
from aircluster.security.tree_head import SignedTreeHead, fingerprint

# the names of what verify detects, as `failure` reports them
TRUNCATION = "truncation"
ROLLBACK = "rollback"
DELETION = "deletion"
EDIT = "edit"
INSERTION = "insertion"
REWRITE = "rewrite"  # re-signed, entries seen before changed, and nothing in the entries says which way
OTHER_KEY = "other_key"
MISSING_HEAD = "missing_head"
MISSING_LOG = "missing_log"
MISSING_KEY = "missing_key"
DAMAGED = "damaged"  # a head or key file that does not parse


def canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class VerifyResult:
    ok: bool
    entries: int = 0
    head: SignedTreeHead | None = None
    seen: SignedTreeHead | None = None
    first_use: bool = False
    failure: str = ""
    problem: str = ""
    bad_seq: int | None = None
    unsigned: int = 0  # complete lines after the signed head: an append in progress, or one that never finished
    witness: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "failure": self.failure or None,
            "problem": self.problem,
            "bad_seq": self.bad_seq,
            "first_use": self.first_use,
            "unsigned_entries": self.unsigned,
            "head": self.head.to_dict() if self.head else None,
            "seen": self.seen.to_dict() if self.seen else None,
            "witness": self.witness,
        }


def _fail(failure: str, problem: str, bad_seq: int | None = None, **kw: Any) -> VerifyResult:
    return VerifyResult(False, failure=failure, problem=problem, bad_seq=bad_seq, **kw)


def check(
    log: bytes | None, head: SignedTreeHead | None, public_key: Ed25519PublicKey, seen: SignedTreeHead | None
) -> VerifyResult:
    """The verdict on a log (its bytes, None if the file is missing) and its head, given the head seen before."""
    fp = fingerprint(public_key)
    if seen is not None and seen.key_fingerprint != fp:
        return _fail(
            OTHER_KEY,
            f"the log's public key is now {fp[:16]}, but the heads you saw were signed by "
            f"{seen.key_fingerprint[:16]}: the log was re-signed with another key",
            seen=seen,
        )
    if head is None:
        return _fail(MISSING_HEAD, "the log has no signed head: without one nothing in it can be trusted", seen=seen)
    if head.key_fingerprint != fp or not head.verifies_under(public_key):
        return _fail(
            OTHER_KEY,
            f"the signed head does not verify under the log's public key {fp[:16]}: it was signed by another key or edited",
            head=head,
            seen=seen,
        )
    if log is None and (head.size > 0 or (seen is not None and seen.size > 0)):
        return _fail(
            MISSING_LOG,
            f"the log file is missing but its head covers {head.size} entries" + (f" and you saw {seen.size}" if seen else ""),
            head=head,
            seen=seen,
        )

    lines = (log or b"").split(b"\n")
    complete, partial = lines[:-1], lines[-1]
    structural = _check_lines(complete[: head.size])
    if structural is not None:
        structural.head, structural.seen = head, seen
        return structural
    if len(complete) < head.size:
        return _fail(
            TRUNCATION,
            f"the log ends at entry {len(complete)} but its signed head covers {head.size}: entries were cut off the end",
            len(complete) + 1,
            head=head,
            seen=seen,
        )
    leaves = [merkle.leaf_hash(line) for line in complete[: head.size]]
    if merkle.root(leaves) != head.root:
        return _fail(
            EDIT,
            f"the {head.size} entries do not hash to the signed root: an entry was edited "
            "(every line still parses and the sequence numbers run on)",
            head=head,
            seen=seen,
        )
    unsigned = len(complete) - head.size + (1 if partial else 0)
    result = VerifyResult(True, entries=head.size, head=head, seen=seen, unsigned=unsigned, first_use=seen is None)
    if seen is not None:
        against_seen = _check_against_seen(leaves, head, seen)
        if against_seen is not None:
            return against_seen
    return result


def _check_lines(lines: list[bytes]) -> VerifyResult | None:
    """Each line a canonical entry numbered by its position: names a hand edit, a deletion or an insertion."""
    for lineno, raw in enumerate(lines, start=1):
        try:
            entry = json.loads(raw)
        except ValueError:
            return _fail(EDIT, f"line {lineno} is not an audit entry (it was edited or damaged)", lineno)
        if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
            return _fail(EDIT, f"line {lineno} is not an audit entry (no sequence number)", lineno)
        seq = entry["seq"]
        if seq > lineno:
            return _fail(DELETION, f"line {lineno} holds entry {seq}: entries {lineno}..{seq - 1} were deleted", lineno)
        if seq < lineno:
            return _fail(INSERTION, f"line {lineno} holds entry {seq} again: an entry was inserted before it", lineno)
        if canonical(entry) != raw:
            return _fail(EDIT, f"entry {seq} is not as it was written (not in canonical form): it was edited", seq)
    return None


def _check_against_seen(leaves: list[merkle.Hash], head: SignedTreeHead, seen: SignedTreeHead) -> VerifyResult | None:
    if head.size < seen.size:
        if head.timestamp_ms <= seen.timestamp_ms:
            return _fail(
                ROLLBACK,
                f"the log and its head were put back to an older copy: its head covers {head.size} "
                f"entries, signed before the head of {seen.size} entries you saw",
                head=head,
                seen=seen,
            )
        return _fail(
            TRUNCATION,
            f"the log now holds {head.size} entries under a newly signed head, but you saw {seen.size}: "
            "entries you saw were removed (cut off the end or deleted)",
            head=head,
            seen=seen,
        )
    proof = merkle.consistency_proof(leaves, seen.size)
    if not merkle.verify_consistency(seen.size, head.size, proof, seen.root, head.root):
        return _fail(
            REWRITE,
            f"the log is not an extension of the head of {seen.size} entries you saw: entries you "
            "saw were edited, inserted or deleted and the head re-signed",
            head=head,
            seen=seen,
        )
    return None
