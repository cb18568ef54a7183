"""The labeled generator: deterministic, spans mark real PII, unseen names really are unseen."""

from __future__ import annotations

from aircluster.privacy.entities import ENTITIES
from aircluster.privacy.lexicon import load_lexicon
from aircluster.privacy.synth import TOPICS, generate_posts, generate_records


def test_same_seed_same_posts_other_seed_other_posts():
    assert list(generate_posts(30, seed=5)) == list(generate_posts(30, seed=5))
    assert list(generate_posts(30, seed=5)) != list(generate_posts(30, seed=6))


def test_spans_are_inside_the_text_and_typed():
    posts = list(generate_posts(300, seed=2))
    entities = set()
    for text, spans in posts:
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)
            assert text[s.start:s.end].strip() == text[s.start:s.end]
            entities.add(s.entity)
    assert entities == set(ENTITIES)


def test_unseen_name_pool_uses_names_absent_from_the_lists():
    lexicon = load_lexicon()
    names = [text[s.start:s.end] for text, spans in generate_posts(200, seed=3, name_pool="unseen")
             for s in spans if s.entity == "PERSON"]
    assert names
    words = [w.lower() for n in names for w in n.replace("-", " ").split() if not w.endswith(".")]
    known = [w for w in words if w in lexicon.first_names or w in lexicon.last_names]
    assert len(known) <= len(words) * 0.05   # only prefixes/particles like "Dr" may be listed


def test_records_have_user_text_and_label():
    records = list(generate_records(50, seed=1))
    assert records == list(generate_records(50, seed=1))
    assert all(set(r) == {"user", "text", "label"} and 0 <= r["label"] < len(TOPICS) for r in records)
