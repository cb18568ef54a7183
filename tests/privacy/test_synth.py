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


# ---- the held-out template family (evaluation only) ----------------------------------------------

def test_heldout_family_is_deterministic_and_differs_from_tuning():
    assert list(generate_posts(40, seed=5, template_set="heldout")) == \
        list(generate_posts(40, seed=5, template_set="heldout"))
    assert list(generate_posts(40, seed=5, template_set="heldout")) != \
        list(generate_posts(40, seed=5, template_set="tuning"))
    # the default stays the tuning family, post for post
    assert list(generate_posts(20, seed=5)) == list(generate_posts(20, seed=5, template_set="tuning"))


def test_heldout_templates_share_no_sentence_with_the_tuning_templates():
    from aircluster.privacy import synth

    tuning = {t for ts in synth.PII_TEMPLATES.values() for t in ts} | set(synth.NEAR_MISSES) \
        | {t for ts in synth.TOPIC_SENTENCES.values() for t in ts}
    held = {t for ts in synth.HELDOUT_PII_TEMPLATES.values() for t in ts} | set(synth.HELDOUT_NEAR_MISSES) \
        | {t for ts in synth.HELDOUT_TOPIC_SENTENCES.values() for t in ts} | set(synth.HELDOUT_SIGNATURES)
    assert not tuning & held
    assert len(held) >= 40
    assert set(synth.HELDOUT_PII_TEMPLATES) == set(ENTITIES)


def test_heldout_spans_are_exact_and_cover_every_entity():
    import re

    entities = set()
    for text, spans in generate_posts(400, seed=11, template_set="heldout"):
        for s in spans:
            value = text[s.start:s.end]
            assert 0 <= s.start < s.end <= len(text)
            assert value.strip() == value and value
            entities.add(s.entity)
            if s.entity == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", value)
            if s.entity == "US_SSN":
                assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", value)
            if s.entity == "PERSON":
                assert value[0].isupper() and not value.endswith(("'s", ",", "."))
        assert sorted(spans, key=lambda s: s.start) == spans       # in text order, no overlap
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert entities == set(ENTITIES)


def test_heldout_values_take_the_new_shapes():
    texts = [text[s.start:s.end] for text, spans in generate_posts(600, seed=4, template_set="heldout")
             for s in spans]
    assert any(", " in t and t.count(" ") == 1 and t[0].isupper() for t in texts)      # "Gonzalez, Maria"
    assert any(" van " in t or " de " in t or "'" in t for t in texts)                 # particles, O'Brien
    assert any(" of " in t and t[-4:].isdigit() for t in texts)                        # "3rd of March 1987"


def test_unknown_template_set_is_refused():
    import pytest

    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="nope"))
