"""Pieces for the scan workers are cut by the text they hold, so each is about the same work."""

from __future__ import annotations

import pytest

from aircluster.privacy.review.pieces import pieces, text_size


def test_text_size_counts_strings_and_key_names_at_any_depth():
    assert text_size({"text": "abcd"}) == 4 + 4
    assert text_size({"a": {"bb": ["xyz", "q"]}}) == 1 + 2 + 3 + 1 + 8  # a list adds a little, like a scalar
    assert text_size({"n": 12345678901234567890, "f": None}) == 1 + 8 + 1 + 8


def test_long_and_short_records_give_pieces_of_about_the_same_text():
    docs = [{"body": "d" * 9_000} for _ in range(40)]  # long documents: a few to a piece
    posts = [{"text": "p" * 200} for _ in range(2_000)]  # short posts: many to a piece
    for records in (docs, posts):
        out = list(pieces([records[:7], records[7:]], max_chars=64_000, max_records=512))
        assert [r for p in out for r in p] == records  # every record once, in order
        for p in out[:-1]:
            size = sum(map(text_size, p))
            # each piece ends as soon as it holds max_chars: without its last record it held less
            assert size >= 64_000 > size - text_size(p[-1])
    assert len(list(pieces([docs], 64_000, 512))[0]) == 8  # 8 x 9,004 characters, not 512 records


def test_record_count_bounds_pieces_of_little_text_and_a_huge_record_is_a_piece_alone():
    tiny = [{"n": i} for i in range(1_000)]
    assert [len(p) for p in pieces([tiny], 64_000, 300)] == [300, 300, 300, 100]
    huge = {"text": "x" * 1_000_000}
    out = list(pieces([[{"text": "a"}, huge, {"text": "b"}]], 64_000, 512))
    assert out == [[{"text": "a"}, huge], [{"text": "b"}]]


def test_empty_input_and_bad_sizes():
    assert list(pieces([], 10, 10)) == []
    assert list(pieces([[], []], 10, 10)) == []
    with pytest.raises(ValueError, match="at least 1"):
        list(pieces([[{"a": "b"}]], 0, 10))
