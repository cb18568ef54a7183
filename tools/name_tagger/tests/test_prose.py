"""The prose training posts: spans cover exactly the names and places, the same seed gives the same
posts, and the names come from many countries (most of them absent from the shipped word lists)."""

from __future__ import annotations

from aircluster.privacy.detect.lexicon import load_lexicon
from tools.name_tagger.prose import Pools, prose_posts, render


def test_spans_cover_the_entities_exactly():
    posts = list(prose_posts(600, 3))
    assert len(posts) == 600
    for text, spans in posts:
        for entity, s, t in spans:
            piece = text[s:t]
            assert entity in ("PERSON", "LOCATION") and piece and piece.strip() == piece
            assert "\n" not in piece  # an address block is a span per line
    texts = [t for t, _ in posts]
    assert any(t.islower() and any(spans) for t, spans in posts)  # lower-cased posts
    assert any("'s" in t for t in texts) and any("-- " in t for t in texts)


def test_the_same_seed_gives_the_same_posts():
    assert list(prose_posts(50, 9)) == list(prose_posts(50, 9))
    assert list(prose_posts(50, 9)) != list(prose_posts(50, 10))


def test_names_come_from_many_countries_and_mostly_outside_the_word_lists():
    pools = Pools(5, per_locale=20)
    lex = load_lexicon()
    firsts = set(pools.first)
    assert len(firsts) > 600
    assert any(not n.isascii() for n in firsts)  # "Šemsudin", "Þórunn"
    outside = [n for n in firsts if n.lower() not in lex.first_names]
    assert len(outside) > len(firsts) / 3


def test_an_address_block_is_one_span_per_line():
    pools = Pools(5, per_locale=20)
    text, spans = render("Ship to:\n{P}\n{ML}", pools)
    lines = text.split("\n")
    assert [text[s:t] for e, s, t in spans if e == "LOCATION"] == lines[2:]
