"""The labeled generator: deterministic, spans mark real PII, unseen names really are unseen."""

from __future__ import annotations

from aircluster.privacy.detect.lexicon import load_lexicon
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import TOPICS, generate_posts, generate_records
from evals.pii.templates import PostWriter
from evals.pii.tests.formats import iban_ok, luhn_ok


def test_same_seed_same_posts_other_seed_other_posts():
    assert list(generate_posts(30, seed=5)) == list(generate_posts(30, seed=5))
    assert list(generate_posts(30, seed=5)) != list(generate_posts(30, seed=6))


def test_spans_are_inside_the_text_and_typed():
    posts = list(generate_posts(300, seed=2))
    entities = set()
    for text, spans in posts:
        for s in spans:
            assert 0 <= s.start < s.end <= len(text)
            assert text[s.start : s.end].strip() == text[s.start : s.end]
            entities.add(s.entity)
    assert entities == set(FAMILY_ENTITIES)


def test_unseen_name_pool_uses_names_absent_from_the_lists():
    lexicon = load_lexicon()
    names = [
        text[s.start : s.end]
        for text, spans in generate_posts(200, seed=3, name_pool="unseen")
        for s in spans
        if s.entity == "PERSON"
    ]
    assert names
    words = [w.lower() for n in names for w in n.replace("-", " ").split() if not w.endswith(".")]
    known = [w for w in words if w in lexicon.first_names or w in lexicon.last_names]
    assert len(known) <= len(words) * 0.05  # only prefixes/particles like "Dr" may be listed


def test_records_have_user_text_and_label():
    records = list(generate_records(50, seed=1))
    assert records == list(generate_records(50, seed=1))
    assert all(set(r) == {"user", "text", "label"} and 0 <= r["label"] < len(TOPICS) for r in records)


# ---- the held-out template family (evaluation only) ----------------------------------------------


def test_heldout_family_is_deterministic_and_differs_from_tuning():
    assert list(generate_posts(40, seed=5, template_set="heldout")) == list(generate_posts(40, seed=5, template_set="heldout"))
    assert list(generate_posts(40, seed=5, template_set="heldout")) != list(generate_posts(40, seed=5, template_set="tuning"))
    # the default stays the tuning family, post for post
    assert list(generate_posts(20, seed=5)) == list(generate_posts(20, seed=5, template_set="tuning"))


def test_heldout_templates_share_no_sentence_with_the_tuning_templates():
    from evals.pii import synth

    tuning = (
        {t for ts in synth.PII_TEMPLATES.values() for t in ts}
        | set(synth.NEAR_MISSES)
        | {t for ts in synth.TOPIC_SENTENCES.values() for t in ts}
    )
    held = (
        {t for ts in synth.HELDOUT_PII_TEMPLATES.values() for t in ts}
        | set(synth.HELDOUT_NEAR_MISSES)
        | {t for ts in synth.HELDOUT_TOPIC_SENTENCES.values() for t in ts}
        | set(synth.HELDOUT_SIGNATURES)
    )
    assert not tuning & held
    assert len(held) >= 40
    assert set(synth.HELDOUT_PII_TEMPLATES) == set(FAMILY_ENTITIES)


def test_heldout_spans_are_exact_and_cover_every_entity():
    import re

    entities = set()
    for text, spans in generate_posts(400, seed=11, template_set="heldout"):
        for s in spans:
            value = text[s.start : s.end]
            assert 0 <= s.start < s.end <= len(text)
            assert value.strip() == value and value
            entities.add(s.entity)
            if s.entity == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", value)
            if s.entity == "US_SSN":
                assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", value)
            if s.entity == "PERSON":
                assert value[0].isupper() and not value.endswith(("'s", ",", "."))
        assert sorted(spans, key=lambda s: s.start) == spans  # in text order, no overlap
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert entities == set(FAMILY_ENTITIES)


def test_heldout_values_take_the_new_shapes():
    texts = [text[s.start : s.end] for text, spans in generate_posts(600, seed=4, template_set="heldout") for s in spans]
    assert any(", " in t and t.count(" ") == 1 and t[0].isupper() for t in texts)  # "Gonzalez, Maria"
    assert any(" van " in t or " de " in t or "'" in t for t in texts)  # particles, O'Brien
    assert any(" of " in t and t[-4:].isdigit() for t in texts)  # "3rd of March 1987"


def test_unknown_template_set_is_refused():
    import pytest

    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="nope"))


# ---- the blind template family (evaluation only, never used to change the detector) --------------


def _family(prefix: str) -> set[str]:
    from evals.pii import synth

    if prefix == "":
        return (
            {t for ts in synth.PII_TEMPLATES.values() for t in ts}
            | set(synth.NEAR_MISSES)
            | {t for ts in synth.TOPIC_SENTENCES.values() for t in ts}
        )
    out: set[str] = set()
    for name in dir(synth):
        if name.startswith(prefix) and name.isupper():
            obj = getattr(synth, name)
            if isinstance(obj, dict):
                out |= {t for ts in obj.values() for t in ts}
            elif isinstance(obj, list):
                out |= set(obj)
    return out


def test_blind_family_is_deterministic_per_seed_and_differs_from_the_others():
    first = list(generate_posts(60, seed=5, template_set="blind"))
    assert first == list(generate_posts(60, seed=5, template_set="blind"))
    assert first != list(generate_posts(60, seed=6, template_set="blind"))
    assert first != list(generate_posts(60, seed=5, template_set="heldout"))
    assert first != list(generate_posts(60, seed=5, template_set="tuning"))
    unseen = list(generate_posts(30, seed=5, name_pool="unseen", template_set="blind"))
    assert unseen == list(generate_posts(30, seed=5, name_pool="unseen", template_set="blind"))


def test_blind_family_does_not_follow_the_clock():
    import time

    # near misses carry timestamps and times: they must come from the seed, not from "now"
    before = list(generate_posts(200, seed=8, pii_rate=0.0, template_set="blind"))
    assert any("Server time is" in t for t, _ in before)
    time.sleep(1.1)
    assert before == list(generate_posts(200, seed=8, pii_rate=0.0, template_set="blind"))


def test_blind_templates_are_disjoint_from_the_other_families_and_big_enough():
    import re

    from evals.pii import synth

    tuning, held, blind = _family(""), _family("HELDOUT_"), _family("BLIND_")
    assert not blind & tuning and not blind & held

    # not even the same words with other slots or punctuation
    def bare(t: str) -> str:
        return re.sub(r"[^a-z ]", "", re.sub(r"\{\w+\}", "", t.lower())).strip()

    others = {bare(t) for t in tuning | held} - {""}
    assert not ({bare(t) for t in blind} - {""}) & others
    assert set(synth.BLIND_PII_TEMPLATES) == set(FAMILY_ENTITIES)
    assert sum(map(len, synth.BLIND_PII_TEMPLATES.values())) >= 50
    assert len(synth.BLIND_NEAR_MISSES) >= 15
    assert all(len(ts) >= 3 for ts in synth.BLIND_PII_TEMPLATES.values())


def test_blind_spans_are_exact_and_cover_every_entity_and_style():
    import ipaddress
    import re

    entities, styles = set(), set()
    for text, spans in generate_posts(500, seed=13, template_set="blind"):
        for s in spans:
            value = text[s.start : s.end]
            assert 0 <= s.start < s.end <= len(text)
            assert value and value.strip() == value
            # a span ends at a token boundary; only "-p<password>" glues a secret to its flag
            assert s.end == len(text) or not text[s.end].isalnum()
            assert s.start == 0 or not text[s.start - 1].isalnum() or s.entity == "SECRET"
            entities.add(s.entity)
            if s.entity == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.\w+", value)
            elif s.entity == "US_SSN":
                assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", value)
            elif s.entity == "CREDIT_CARD":
                assert re.fullmatch(r"\d+([ -]\d+)*", value) and luhn_ok(re.sub(r"\D", "", value))
            elif s.entity == "IBAN":
                assert iban_ok(value)
            elif s.entity == "IP_ADDRESS":
                ipaddress.ip_address(value)
            elif s.entity == "URL":
                assert re.fullmatch(r"https?://\S+", value)
            elif s.entity == "PERSON":
                assert value[0].isupper() and not value.endswith(("'s", ","))
                assert "\n" not in value and not value.startswith("@")
            elif s.entity in ("LOCATION", "DATE_OF_BIRTH"):
                assert "\n" not in value and value[-1] not in ",.;:"
        assert sorted(spans, key=lambda s: s.start) == spans  # in text order, no overlap
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
        styles.add(
            "chat"
            if re.match(r"\[\d\d:\d\d\] \w+: ", text)
            else "ticket"
            if text.startswith("Ticket #")
            else "email"
            if text.split("\n", 1)[0].endswith(",")
            else "forum"
        )
    assert entities == set(FAMILY_ENTITIES)
    assert styles == {"chat", "ticket", "email", "forum"}


def test_blind_near_misses_and_framing_carry_no_gold_spans():
    import random

    from evals.pii import synth

    fakers = synth.make_fakers(3, synth.DEFAULT_LOCALE_MIX)
    values = synth.Values(fakers, random.Random(3), "any")
    no_pii = (
        synth.BLIND_NEAR_MISSES
        + [t for ts in synth.BLIND_TOPIC_SENTENCES.values() for t in ts]
        + [g for g in synth.BLIND_GREETINGS if "{" not in g]
    )
    for loc in fakers:
        for template in no_pii:
            out = PostWriter()
            synth.fill(template, "tech", values, loc, out)
            assert out.spans == [], template
    # near-miss values: card-like order numbers fail Luhn, UUIDs and hashes are what they say
    text = "".join(t for t, _ in generate_posts(300, seed=21, pii_rate=0.0, template_set="blind"))
    import re

    for m in re.finditer(r"Order #(\d+)", text):
        assert not luhn_ok(m.group(1))
    assert re.search(r"Request ID [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)


def test_adding_the_blind_family_leaves_the_other_families_alone():
    # the other families draw nothing from the blind slots or lists
    from evals.pii import synth

    blind_slots = {
        "FULL_NAME",
        "CARD",
        "SIG_ADDRESS",
        "HANDLE",
        "TIME",
        "TIMESTAMP",
        "UUID",
        "SHORT_SHA",
        "MAC",
        "CASE_NO",
        "JOB",
        "LB",
        "RB",
    }
    for t in _family("") | _family("HELDOUT_"):
        assert not any("{" + slot + "}" in t for slot in blind_slots), t
    assert synth.TEMPLATE_SETS[:2] == ("tuning", "heldout") and "blind" in synth.TEMPLATE_SETS
