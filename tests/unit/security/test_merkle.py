"""RFC 6962 Merkle trees: roots, inclusion and consistency proofs, checked against trees drawn by hand.

The shapes below are the RFC's split (left subtree: the largest power of two below n) written out for
every size from 1 to 8; the named nodes are those of the RFC's 7-leaf example (section 2.1.3), whose
proofs the RFC lists. Roots here are computed from the shapes with hashlib alone, not by the module.
"""

from __future__ import annotations

import hashlib
import itertools

import pytest

from aircluster.security import merkle

LEAVES = [f"entry {i}".encode() for i in range(8)]

SHAPES = {
    1: 0,
    2: (0, 1),
    3: ((0, 1), 2),
    4: ((0, 1), (2, 3)),
    5: (((0, 1), (2, 3)), 4),
    6: (((0, 1), (2, 3)), (4, 5)),
    7: (((0, 1), (2, 3)), ((4, 5), 6)),
    8: (((0, 1), (2, 3)), ((4, 5), (6, 7))),
}


def by_hand(shape, leaves=LEAVES) -> bytes:
    if isinstance(shape, int):
        return hashlib.sha256(b"\x00" + leaves[shape]).digest()
    return hashlib.sha256(b"\x01" + by_hand(shape[0], leaves) + by_hand(shape[1], leaves)).digest()


def hashes(n: int, leaves=LEAVES) -> list[bytes]:
    return [merkle.leaf_hash(leaf) for leaf in leaves[:n]]


def flipped(h: bytes) -> bytes:
    return bytes([h[0] ^ 1]) + h[1:]


# the RFC's 7-leaf example: a..f and j are leaves d0..d6, g h i the pairs, k l the halves
a, b, c, d, e, f, j = (by_hand(i) for i in range(7))
g, h, i = by_hand((0, 1)), by_hand((2, 3)), by_hand((4, 5))
k, l = by_hand(((0, 1), (2, 3))), by_hand(((4, 5), 6))  # noqa: E741 - the RFC's name


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    assert merkle.root([]) == hashlib.sha256(b"").digest() == merkle.EMPTY_ROOT


@pytest.mark.parametrize("n", range(1, 9))
def test_root_matches_the_tree_drawn_by_hand(n):
    assert merkle.root(hashes(n)) == by_hand(SHAPES[n])


def test_root_of_the_rfc_example():
    assert merkle.root(hashes(7)) == merkle.node_hash(k, l)


@pytest.mark.parametrize("n", range(0, 21))
def test_compact_range_keeps_the_root_while_appending(n):
    leaves = [merkle.leaf_hash(f"entry {x}".encode()) for x in range(n)]
    tree = merkle.CompactRange()
    for leaf in leaves:
        tree.append(leaf)
    assert tree.size == n and tree.root() == merkle.root(leaves)
    assert len(tree.peaks) == bin(n).count("1")
    if n <= 8:
        assert tree.root() == (by_hand(SHAPES[n]) if n else merkle.EMPTY_ROOT)
    again = merkle.CompactRange(tree.size, tree.peaks)  # what the writer reloads from the head file
    again.append(merkle.leaf_hash(b"next"))
    assert again.root() == merkle.root(leaves + [merkle.leaf_hash(b"next")])


def test_compact_range_with_the_wrong_number_of_peaks_is_refused():
    with pytest.raises(ValueError, match="perfect subtrees"):
        merkle.CompactRange(3, [a])


# --- inclusion ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("index", "expected"), [(0, [b, h, l]), (3, [c, g, l]), (4, [f, j, k]), (6, [i, k])])
def test_inclusion_proofs_of_the_rfc_example(index, expected):
    assert merkle.inclusion_proof(hashes(7), index) == expected
    assert merkle.verify_inclusion(hashes(7)[index], index, 7, expected, merkle.node_hash(k, l))


@pytest.mark.parametrize("n", range(1, 9))
def test_every_inclusion_proof_verifies_and_every_wrong_one_is_rejected(n):
    root = by_hand(SHAPES[n])
    leaves = hashes(n)
    for index in range(n):
        proof = merkle.inclusion_proof(leaves, index)
        assert len(proof) <= (n - 1).bit_length()  # at most the depth of the tree
        assert merkle.verify_inclusion(leaves[index], index, n, proof, root)
        assert not merkle.verify_inclusion(flipped(leaves[index]), index, n, proof, root)
        assert not merkle.verify_inclusion(leaves[index], index, n, proof, flipped(root))
        for pos in range(len(proof)):
            bad = list(proof)
            bad[pos] = flipped(bad[pos])
            assert not merkle.verify_inclusion(leaves[index], index, n, bad, root)
        for other in range(-1, n + 1):
            if other != index:
                assert not merkle.verify_inclusion(leaves[index], other, n, proof, root)
        assert not merkle.verify_inclusion(leaves[index], index, n, proof + [a], root)
        if proof:
            assert not merkle.verify_inclusion(leaves[index], index, n, proof[:-1], root)
            assert not merkle.verify_inclusion(leaves[index], index, n, proof[1:], root)


def test_inclusion_proof_of_a_leaf_outside_the_tree_is_refused():
    with pytest.raises(ValueError, match="not in a tree of 3"):
        merkle.inclusion_proof(hashes(3), 3)


# --- consistency ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("m", "expected"), [(3, [c, d, g, l]), (4, [l]), (6, [i, j, k])])
def test_consistency_proofs_of_the_rfc_example(m, expected):
    assert merkle.consistency_proof(hashes(7), m) == expected
    assert merkle.verify_consistency(m, 7, expected, by_hand(SHAPES[m]), by_hand(SHAPES[7]))


PAIRS = [(m, n) for n in range(1, 9) for m in range(1, n + 1)]


@pytest.mark.parametrize(("m", "n"), PAIRS)
def test_every_consistency_proof_verifies(m, n):
    proof = merkle.consistency_proof(hashes(n), m)
    assert merkle.verify_consistency(m, n, proof, by_hand(SHAPES[m]), by_hand(SHAPES[n]))
    assert (proof == []) == (m == n)


@pytest.mark.parametrize(("m", "n"), [(m, n) for m, n in PAIRS if m < n])
def test_every_wrong_consistency_proof_is_rejected(m, n):
    old, new = by_hand(SHAPES[m]), by_hand(SHAPES[n])
    proof = merkle.consistency_proof(hashes(n), m)
    assert not merkle.verify_consistency(m, n, proof, flipped(old), new)
    assert not merkle.verify_consistency(m, n, proof, old, flipped(new))
    assert not merkle.verify_consistency(n, m, proof, new, old)
    for pos in range(len(proof)):
        bad = list(proof)
        bad[pos] = flipped(bad[pos])
        assert not merkle.verify_consistency(m, n, bad, old, new)
    assert not merkle.verify_consistency(m, n, proof[:-1], old, new)
    assert not merkle.verify_consistency(m, n, proof[1:], old, new)
    assert not merkle.verify_consistency(m, n, proof + [a], old, new)
    assert not merkle.verify_consistency(m, n, [a] + proof, old, new)
    for other_m in range(1, n + 1):
        if other_m != m:
            assert not merkle.verify_consistency(other_m, n, proof, by_hand(SHAPES[other_m]), new)
    for other_n in range(m, 9):
        if other_n != n:
            assert not merkle.verify_consistency(m, other_n, proof, old, by_hand(SHAPES[other_n]))


@pytest.mark.parametrize(("m", "n"), [(m, n) for m, n in PAIRS if m < n])
def test_a_rewritten_prefix_cannot_prove_consistency_with_the_old_root(m, n):
    """The log's honest proof for a tree whose first m leaves changed does not reach the root seen before."""
    old = by_hand(SHAPES[m])
    for edited in range(m):
        leaves = list(LEAVES)
        leaves[edited] = b"mallory was here"
        new_tree = hashes(n, leaves)
        proof = merkle.consistency_proof(new_tree, m)
        assert not merkle.verify_consistency(m, n, proof, old, merkle.root(new_tree))
    for dropped in range(m):
        shorter = LEAVES[:dropped] + LEAVES[dropped + 1 :] + [b"appended later"]
        new_tree = hashes(n, shorter)
        assert not merkle.verify_consistency(m, n, merkle.consistency_proof(new_tree, m), old, merkle.root(new_tree))


def test_consistency_from_the_empty_tree_and_bad_sizes():
    assert merkle.consistency_proof(hashes(5), 0) == []
    assert merkle.verify_consistency(0, 5, [], merkle.EMPTY_ROOT, by_hand(SHAPES[5]))
    assert not merkle.verify_consistency(0, 5, [], a, by_hand(SHAPES[5]))
    assert not merkle.verify_consistency(0, 5, [a], merkle.EMPTY_ROOT, by_hand(SHAPES[5]))
    assert not merkle.verify_consistency(-1, 5, [], merkle.EMPTY_ROOT, by_hand(SHAPES[5]))
    with pytest.raises(ValueError, match="no prefix of 6"):
        merkle.consistency_proof(hashes(5), 6)


def test_proof_sizes_stay_logarithmic():
    leaves = [merkle.leaf_hash(str(x).encode()) for x in range(1000)]
    for m, n in itertools.product((1, 7, 64, 333, 999), (1000,)):
        proof = merkle.consistency_proof(leaves[:n], m)
        assert len(proof) <= 2 * (n - 1).bit_length()
        assert merkle.verify_consistency(m, n, proof, merkle.root(leaves[:m]), merkle.root(leaves[:n]))
