"""The fresh evaluation family: deterministic, exact gold spans of the right shape, every entity,
distractors without labels, and nothing taken from the clock."""

from __future__ import annotations

import random
import re

import pytest

from evals.pii import synth, synth_fresh
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX
from evals.pii.synth_fresh import fresh_posts
from evals.pii.templates import PostWriter
from evals.pii.tests.family_checks import (
    LOCALES,
    check_deterministic,
    check_distractors,
    check_ignores_the_clock,
    check_unlabeled_card_runs_fail_luhn,
    check_unseen_names,
    posts_of,
    span_values,
)
from evals.pii.tests.formats import check_value

_posts = posts_of(fresh_posts)


@pytest.fixture(scope="module")
def big() -> list[tuple[str, list[synth.Span], int, str]]:
    return _posts(2000, seed=31)


# ---- determinism -------------------------------------------------------------------------------------


def test_same_seed_same_posts_other_seed_or_family_other_posts():
    check_deterministic("fresh", _posts, others=("tuning", "heldout", "blind"))


def test_fresh_family_does_not_follow_the_clock(monkeypatch):
    check_ignores_the_clock(monkeypatch, lambda: _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0), wait=1.1)


# ---- gold spans --------------------------------------------------------------------------------------


def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc in big:
        for s, value in span_values(text, spans, label, loc):
            check_value(s.entity, value, born=(1901, 2009))


def test_every_entity_style_and_locale_appears(big):
    counts = {e: 0 for e in FAMILY_ENTITIES}
    for _, spans, _, _ in big:
        for s in spans:
            counts[s.entity] += 1
    assert all(c >= 50 for c in counts.values()), counts
    assert {loc for _, _, _, loc in big} == set(LOCALES)
    texts = [t for t, _, _, _ in big]
    markers = {
        "review": r"^(Rated \d|\d/5 stars|Verified buyer review)",
        "listing": r"^(FOR SALE|\[Selling\]|Marketplace)",
        "chat": r"^(Chat transcript|Live chat started)",
        "form": r"^(New starter form|Onboarding|Employee details)",
        "code": r"(\$ cat \.env|```(yaml|json|bash)?\n)",
        "csv": r"^[^\n]*:\n[a-z_]+(,[a-z_]+)+\n",
        "delivery": r"^(Delivery instructions|Note for the driver|Special delivery)",
        "voicemail": r"^(Voicemail|Missed call|New voicemail)",
    }
    for style, pattern in markers.items():
        assert any(re.search(pattern, t) for t in texts), style
    assert {s for s, _, _ in synth_fresh.FRESH_STYLES} == set(markers)


def test_value_shapes_vary_as_real_data_does(big):
    values: dict[str, list[str]] = {e: [] for e in FAMILY_ENTITIES}
    for text, spans, _, _ in big:
        for s in spans:
            values[s.entity].append(text[s.start : s.end])
    people = values["PERSON"]
    assert any(p.islower() for p in people) and any(p.isupper() and " " in p for p in people)
    assert any(re.fullmatch(r"\w\. \w+", p) for p in people)  # "J. Okafor"
    assert any(p.startswith(("Herr ", "Frau ", "Mme ", "Sra. ", "Sr. ")) for p in people)
    assert any(", " in p for p in people)  # "Last, First"
    places = values["LOCATION"]
    assert any(re.search(r"\b\d{5} [A-ZÄÖÜ]", p) for p in places)  # "10115 Berlin"
    assert any(re.search(r"\b(PO Box|P\.O\. Box|Postfach|BP|Apartado de Correos) ", p) for p in places)
    assert any(p.startswith("Flat ") for p in places) and any("º" in p for p in places)
    assert any(" " not in p for p in places)  # a bare town
    cards = values["CREDIT_CARD"]
    assert any("-" in c for c in cards) and any(" " in c for c in cards) and any(c.isdigit() for c in cards)
    assert any(" " in i for i in values["IBAN"]) and any(" " not in i for i in values["IBAN"])
    assert any(":" in ip for ip in values["IP_ADDRESS"]) and any("." in ip for ip in values["IP_ADDRESS"])
    assert any("?" in u and "&" in u for u in values["URL"])
    phones = values["PHONE_NUMBER"]
    assert any(p.startswith("+") for p in phones) and any(p.startswith("0") for p in phones)
    births = values["DATE_OF_BIRTH"]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", b) for b in births)
    assert any(re.search(r"[a-zäéû]{3,}", b) and not re.search(r"\d{4}", b) for b in births)  # "14 June"
    assert any(re.search(r"März|mars|marzo|juin|junio|Juni", b) for b in births)
    secrets = values["SECRET"]
    assert any(s.startswith("-----BEGIN") for s in secrets) and any(s.startswith("eyJ") for s in secrets)
    assert any(re.search(r"postgres(ql)?://\w+:$", t[: s.start]) for t, spans, _, _ in big for s in spans if s.entity == "SECRET")


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    titles = {t for ts in synth_fresh.TITLES.values() for t in ts}
    check_unseen_names(
        _posts(400, seed=3, name_pool="unseen"),
        lambda name: [
            w for w in name.replace(",", " ").replace("-", " ").split() if w not in titles and not re.fullmatch(r"\w\.", w)
        ],
    )


# ---- distractors -------------------------------------------------------------------------------------


def _no_pii_templates() -> list[str]:
    f = synth_fresh
    out = [t for ts in f.FRESH_NEAR_MISSES.values() for t in ts]
    out += [t for ts in f.FRESH_TOPIC_PROSE.values() for t in ts] + [
        t for by_topic in f.FRESH_TOPIC_FIELDS.values() for ts in by_topic.values() for t in ts
    ]
    out += [t for ts in f.FRESH_TOPIC_CODE.values() for t in ts] + [t for ts in f.FRESH_CSV_INTROS.values() for t in ts]
    out += f.FRESH_AGENT_LINES + f.FRESH_CHAT_HEADERS + f.FRESH_CHAT_FOOTERS + f.FRESH_CODE_INTROS
    out += [h for pair in f.FRESH_CODE_FRAMES.values() for h in pair]
    for group in (
        f.FRESH_REVIEW_HEADERS,
        f.FRESH_REVIEW_FOOTERS,
        f.FRESH_LISTING_HEADERS,
        f.FRESH_LISTING_FOOTERS,
        f.FRESH_FORM_HEADERS,
        f.FRESH_FORM_FOOTERS,
        f.FRESH_DELIVERY_HEADERS,
        f.FRESH_DELIVERY_FOOTERS,
        f.FRESH_VOICEMAIL_HEADERS,
        f.FRESH_VOICEMAIL_FOOTERS,
    ):
        out += [t for t in group if not re.search(r"\{[A-Z]", t)]
    out += [cell for _, cell in f.FRESH_CSV_OTHER_COLUMNS]
    return out


def test_near_misses_and_framing_carry_no_gold_spans():
    fakers = synth.make_fakers(3, DEFAULT_LOCALE_MIX)
    values = synth_fresh.FreshValues(fakers, random.Random(3), "any")
    templates = _no_pii_templates()
    assert len(templates) > 80
    for loc in LOCALES:
        for _ in range(5):  # several draws of every distractor slot
            for template in templates:
                out = PostWriter()
                synth_fresh.fill(template, values, loc, "menu-api", {}, out)
                assert out.spans == [], template
                assert not re.search(r"\{\w+(\.\w+)?\}", out.text()), template  # every slot filled


def test_distractors_appear_in_posts_and_stay_unlabeled(big):
    patterns = {
        "uuid": r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        "git sha": r"\b[0-9a-f]{40}\b",
        "sha256": r"\b[0-9a-f]{64}\b",
        "order": r"(ORD-\d{4}-\d{6}|\b\d{3}-\d{7}-\d{7}\b)",
        "invoice": r"\bINV-\d{4}-\d{5}\b",
        "tracking": r"\b(1Z[0-9A-Z]{16}|JJD\d{15}|9400\d{18})\b",
        "vat": r"VAT ID [A-Z]{2}",
        "timestamp": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        "masked card": r"\*{4} \d{4}|ending \d{4}",
        "start date": r"Start date: \S",
        "anniversary": r"anniversary is \d",
        "club": r"Paris Saint-Germain|Bayern München",
        "brand": r"Marks & Spencer|Ben & Jerry's|Amazon",
        "internal host": r"\b\w+-(prod|stg)-\d\.internal\b",
        "version": r"(firmware |APP_VERSION=|api:|nginx:|\(v)\d+\.\d+\.\d+\b",
    }
    # a distractor may sit inside a labeled URL (a tracking link), never be labeled itself
    check_distractors(big, patterns, inside=("URL",))


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    check_unlabeled_card_runs_fail_luhn(big)


# ---- the templates themselves ------------------------------------------------------------------------


def _other_families() -> set[str]:
    out: set[str] = set()
    for name in dir(synth):
        obj = getattr(synth, name)
        if not name.isupper() or name.startswith("_"):
            continue
        if isinstance(obj, dict):
            out |= {t for ts in obj.values() if isinstance(ts, list) for t in ts if isinstance(t, str)}
        elif isinstance(obj, list):
            out |= {t for t in obj if isinstance(t, str)}
    return out


def _fresh_templates() -> set[str]:
    f = synth_fresh
    out = {t for reg in f.FRESH_PII_TEMPLATES.values() for ts in reg.values() for t in ts}
    return out | set(_no_pii_templates())


def test_templates_are_new_sentences_and_cover_every_entity_in_every_register():
    def bare(t: str) -> str:
        return re.sub(r"[^a-z ]", "", re.sub(r"\{\w+(\.\w+)?\}", "", t.lower())).strip()

    others = {bare(t) for t in _other_families()} - {""}
    assert len(others) > 150  # the other families were found
    fresh = {bare(t) for t in _fresh_templates()} - {""}
    # no sentence is shared, not even with other slots or punctuation; a bare field name such as
    # "Date of birth:" or "iban:" is what every form says, so only the exact line must differ
    sentences = {t for t in fresh if len(t.split()) >= 4}
    assert not sentences & others, sentences & others
    assert not _fresh_templates() & _other_families()
    for register, by_entity in synth_fresh.FRESH_PII_TEMPLATES.items():
        assert set(by_entity) == set(FAMILY_ENTITIES), register
        assert set(synth_fresh.FRESH_NEAR_MISSES[register]), register
    assert sum(len(ts) for reg in synth_fresh.FRESH_PII_TEMPLATES.values() for ts in reg.values()) >= 150
    assert set(synth_fresh.FRESH_CSV_PII_COLUMNS) == set(FAMILY_ENTITIES)


def test_pii_slots_in_templates_name_real_entities():
    for template in _fresh_templates():
        for slot in re.findall(r"(?<!\{)\{(\w+(?:\.\w+)?)\}", template):
            head = slot.split(".")[0]
            assert head in FAMILY_ENTITIES or head.islower(), (slot, template)


def test_the_other_families_are_still_offered():
    assert synth.TEMPLATE_SETS[:4] == ("tuning", "heldout", "blind", "fresh")
