"""Merkle tree hashing and proofs as RFC 6962 section 2.1 defines them.

Leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right); a tree of n > 1 leaves
splits at k, the largest power of two below n. Inclusion proofs (2.1.1, "audit paths") show that a
leaf sits at an index of a tree with a given root; consistency proofs (2.1.2) show that a tree of m
leaves is a prefix of a tree of n leaves, so a log that was only appended to can prove it to anyone
who kept an older root. Proof elements are listed bottom-up, the last being the sibling nearest the
root, as the RFC's PATH and SUBPROOF build them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

Hash = bytes

EMPTY_ROOT: Hash = hashlib.sha256(b"").digest()  # MTH({}): the hash of an empty string


def leaf_hash(leaf: bytes) -> Hash:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: Hash, right: Hash) -> Hash:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_root(leaves: Sequence[Hash], lo: int, hi: int) -> Hash:
    """MTH of leaves[lo:hi] (given as leaf hashes), without copying the list."""
    if hi - lo == 1:
        return leaves[lo]
    k = split_point(hi - lo)
    return node_hash(subtree_root(leaves, lo, lo + k), subtree_root(leaves, lo + k, hi))


def root(leaves: Sequence[Hash]) -> Hash:
    """MTH of a whole tree, given its leaf hashes."""
    return subtree_root(leaves, 0, len(leaves)) if leaves else EMPTY_ROOT


class CompactRange:
    """The roots of the perfect subtrees that make up a tree, left to right (largest first).

    Enough to append leaves and recompute the root in O(log n) without the leaves themselves,
    which is how a writer extends a large log without rereading it."""

    def __init__(self, size: int = 0, peaks: Iterable[Hash] = ()):
        self.size = size
        self.peaks = list(peaks)
        if len(self.peaks) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} perfect subtrees, not {len(self.peaks)}")

    def append(self, leaf: Hash) -> None:
        self.peaks.append(leaf)
        self.size += 1
        # each trailing 1-bit of the old size is a perfect subtree now joined with its right neighbour
        merges = (self.size ^ (self.size - 1)).bit_length() - 1
        for _ in range(merges):
            right = self.peaks.pop()
            self.peaks[-1] = node_hash(self.peaks[-1], right)

    def root(self) -> Hash:
        if not self.peaks:
            return EMPTY_ROOT
        acc = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            acc = node_hash(peak, acc)
        return acc


# --- inclusion (RFC 6962 2.1.1) -------------------------------------------------------------------


def inclusion_proof(leaves: Sequence[Hash], index: int) -> list[Hash]:
    """PATH(index, D[n]): the siblings from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    return _path(leaves, index, 0, len(leaves))


def _path(leaves: Sequence[Hash], m: int, lo: int, hi: int) -> list[Hash]:
    if hi - lo == 1:
        return []
    k = split_point(hi - lo)
    if m < k:
        return _path(leaves, m, lo, lo + k) + [subtree_root(leaves, lo + k, hi)]
    return _path(leaves, m - k, lo + k, hi) + [subtree_root(leaves, lo, lo + k)]


def verify_inclusion(leaf: Hash, index: int, size: int, proof: Sequence[Hash], expected_root: Hash) -> bool:
    """True if `proof` shows `leaf` (a leaf hash) at `index` of the tree of `size` leaves with `expected_root`."""
    if not 0 <= index < size:
        return False
    remaining = list(proof)
    computed = _root_from_path(leaf, index, size, remaining)
    return computed is not None and not remaining and computed == expected_root


def _root_from_path(leaf: Hash, m: int, n: int, proof: list[Hash]) -> Hash | None:
    """Walk down the same split as PATH, consuming proof elements from the root end."""
    if n == 1:
        return leaf
    if not proof:
        return None
    sibling = proof.pop()
    k = split_point(n)
    if m < k:
        below = _root_from_path(leaf, m, k, proof)
        return None if below is None else node_hash(below, sibling)
    below = _root_from_path(leaf, m - k, n - k, proof)
    return None if below is None else node_hash(sibling, below)


# --- consistency (RFC 6962 2.1.2) -----------------------------------------------------------------


def consistency_proof(leaves: Sequence[Hash], old_size: int) -> list[Hash]:
    """PROOF(m, D[n]) for m = old_size, n = len(leaves); empty when m is 0 or n (nothing to prove)."""
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise ValueError(f"a tree of {n} leaves has no prefix of {old_size} leaves")
    if old_size in (0, n):
        return []
    return _subproof(leaves, old_size, 0, n, True)


def _subproof(leaves: Sequence[Hash], m: int, lo: int, hi: int, whole_old_tree: bool) -> list[Hash]:
    if m == hi - lo:
        # the old tree's root itself is known to the verifier; any other complete subtree is not
        return [] if whole_old_tree else [subtree_root(leaves, lo, hi)]
    k = split_point(hi - lo)
    if m <= k:
        return _subproof(leaves, m, lo, lo + k, whole_old_tree) + [subtree_root(leaves, lo + k, hi)]
    return _subproof(leaves, m - k, lo + k, hi, False) + [subtree_root(leaves, lo, lo + k)]


def verify_consistency(old_size: int, new_size: int, proof: Sequence[Hash], old_root: Hash, new_root: Hash) -> bool:
    """True if `proof` shows the tree (old_size, old_root) is a prefix of the tree (new_size, new_root)."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT  # the empty tree is a prefix of every tree
    if old_size == new_size:
        return not proof and old_root == new_root
    remaining = list(proof)
    roots = _roots_from_subproof(old_size, new_size, remaining, True, old_root)
    return roots is not None and not remaining and roots == (old_root, new_root)


def _roots_from_subproof(m: int, n: int, proof: list[Hash], whole_old_tree: bool, old_root: Hash) -> tuple[Hash, Hash] | None:
    """(old subtree root, new subtree root) implied by the proof for this node, mirroring SUBPROOF."""
    if m == n:
        if whole_old_tree:
            return old_root, old_root
        if not proof:
            return None
        node = proof.pop()
        return node, node
    if not proof:
        return None
    sibling = proof.pop()
    k = split_point(n)
    if m <= k:
        below = _roots_from_subproof(m, k, proof, whole_old_tree, old_root)
        return None if below is None else (below[0], node_hash(below[1], sibling))
    below = _roots_from_subproof(m - k, n - k, proof, False, old_root)
    return None if below is None else (node_hash(sibling, below[0]), node_hash(sibling, below[1]))
