"""The fresh evaluation family: deterministic, exact gold spans of the right shape, every entity,
distractors without labels, and nothing taken from the clock."""

from __future__ import annotations

import itertools
import random
import re
import time
from datetime import date, datetime

import pytest

from aircluster.privacy.detect.lexicon import is_held_out
from aircluster.privacy.entities import ENTITIES
from evals.pii import synth, synth_fresh
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_fresh import fresh_posts
from evals.pii.templates import PostWriter
from evals.pii.tests.formats import check_value, luhn_ok

LOCALES = [loc for loc, _ in DEFAULT_LOCALE_MIX]


def _posts(n: int, seed: int, **kw) -> list[tuple[str, list[synth.Span], int, str]]:
    args = {"locale_mix": DEFAULT_LOCALE_MIX, "name_pool": "any", "pii_rate": 0.75, "weights": None} | kw
    return list(fresh_posts(n, seed, **args))


@pytest.fixture(scope="module")
def big() -> list[tuple[str, list[synth.Span], int, str]]:
    return _posts(2000, seed=31)


# ---- value checks, written from the formats' definitions, not from the generator ---------------------


# ---- determinism -------------------------------------------------------------------------------------

def test_same_seed_same_posts_other_seed_or_family_other_posts():
    first = list(generate_posts(60, seed=5, template_set="fresh"))
    assert first == list(generate_posts(60, seed=5, template_set="fresh"))
    assert first != list(generate_posts(60, seed=6, template_set="fresh"))
    for other in ("tuning", "heldout", "blind"):
        assert first != list(generate_posts(60, seed=5, template_set=other))
    # generate_posts hands the family's posts through unchanged
    assert first == [(t, s) for t, s, _, _ in _posts(60, seed=5)]
    unseen = list(generate_posts(30, seed=5, name_pool="unseen", template_set="fresh"))
    assert unseen == list(generate_posts(30, seed=5, name_pool="unseen", template_set="fresh"))
    assert unseen != first[:30]


def test_fresh_family_does_not_follow_the_clock(monkeypatch):
    before = _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0)
    time.sleep(1.1)
    assert before == _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0)

    # move Faker's "today" decades back: relative dates (birth dates, expiries) would all change
    import faker.providers.date_time as faker_dates

    class AnyInstance(type):
        # Faker checks isinstance(x, date) against the patched name; plain dates must still pass
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, cls.__mro__[1])

    class OldDate(date, metaclass=AnyInstance):
        @classmethod
        def today(cls):
            return cls(1995, 6, 1)

    class OldDatetime(datetime, metaclass=AnyInstance):
        @classmethod
        def now(cls, tz=None):
            return cls(1995, 6, 1, 12, 0, tzinfo=tz)

    blind_before = list(generate_posts(200, seed=9, pii_rate=1.0, template_set="blind"))
    monkeypatch.setattr(faker_dates, "dtdate", OldDate)
    monkeypatch.setattr(faker_dates, "datetime", OldDatetime)
    # the patch works: the blind family draws birth dates relative to today and moves with it
    assert list(generate_posts(200, seed=9, pii_rate=1.0, template_set="blind")) != blind_before
    assert _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0) == before


# ---- gold spans --------------------------------------------------------------------------------------

def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc in big:
        assert 0 <= label < len(synth.TOPICS) and loc in LOCALES
        for s in spans:
            assert s.entity in ENTITIES
            assert 0 <= s.start < s.end <= len(text)
            value = text[s.start:s.end]
            assert value and value.strip() == value
            # a span sits on token boundaries: never glued to a letter or digit outside it
            assert s.start == 0 or not text[s.start - 1].isalnum(), (value, text)
            assert s.end == len(text) or not text[s.end].isalnum(), (value, text)
            check_value(s.entity, value, born=(1901, 2009))
        assert sorted(spans, key=lambda s: s.start) == spans
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_every_entity_style_and_locale_appears(big):
    counts = {e: 0 for e in ENTITIES}
    for _, spans, _, _ in big:
        for s in spans:
            counts[s.entity] += 1
    assert all(c >= 50 for c in counts.values()), counts
    assert {loc for _, _, _, loc in big} == set(LOCALES)
    texts = [t for t, _, _, _ in big]
    markers = {"review": r"^(Rated \d|\d/5 stars|Verified buyer review)", "listing": r"^(FOR SALE|\[Selling\]|Marketplace)",
               "chat": r"^(Chat transcript|Live chat started)", "form": r"^(New starter form|Onboarding|Employee details)",
               "code": r"(\$ cat \.env|```(yaml|json|bash)?\n)", "csv": r"^[^\n]*:\n[a-z_]+(,[a-z_]+)+\n",
               "delivery": r"^(Delivery instructions|Note for the driver|Special delivery)",
               "voicemail": r"^(Voicemail|Missed call|New voicemail)"}
    for style, pattern in markers.items():
        assert any(re.search(pattern, t) for t in texts), style
    assert {s for s, _, _ in synth_fresh.FRESH_STYLES} == set(markers)


def test_value_shapes_vary_as_real_data_does(big):
    values: dict[str, list[str]] = {e: [] for e in ENTITIES}
    for text, spans, _, _ in big:
        for s in spans:
            values[s.entity].append(text[s.start:s.end])
    people = values["PERSON"]
    assert any(p.islower() for p in people) and any(p.isupper() and " " in p for p in people)
    assert any(re.fullmatch(r"\w\. \w+", p) for p in people)                     # "J. Okafor"
    assert any(p.startswith(("Herr ", "Frau ", "Mme ", "Sra. ", "Sr. ")) for p in people)
    assert any(", " in p for p in people)                                          # "Last, First"
    places = values["LOCATION"]
    assert any(re.search(r"\b\d{5} [A-ZÄÖÜ]", p) for p in places)                # "10115 Berlin"
    assert any(re.search(r"\b(PO Box|P\.O\. Box|Postfach|BP|Apartado de Correos) ", p) for p in places)
    assert any(p.startswith("Flat ") for p in places) and any("º" in p for p in places)
    assert any(" " not in p for p in places)                                       # a bare town
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
    assert any(re.search(r"postgres(ql)?://\w+:$", t[:s.start]) for t, spans, _, _ in big for s in spans
               if s.entity == "SECRET")


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    titles = {t for ts in synth_fresh.TITLES.values() for t in ts}
    words = []
    for text, spans, _, _ in _posts(400, seed=3, name_pool="unseen"):
        for s in spans:
            if s.entity == "PERSON":
                for w in text[s.start:s.end].replace(",", " ").replace("-", " ").split():
                    if w not in titles and not re.fullmatch(r"\w\.", w):
                        words.append(w)
    assert len(words) > 200
    assert all(is_held_out(w) for w in words), [w for w in words if not is_held_out(w)][:10]


# ---- distractors -------------------------------------------------------------------------------------

def _no_pii_templates() -> list[str]:
    f = synth_fresh
    out = [t for ts in f.FRESH_NEAR_MISSES.values() for t in ts]
    out += [t for ts in f.FRESH_TOPIC_PROSE.values() for t in ts] + [t for by_topic in f.FRESH_TOPIC_FIELDS.values() for ts in by_topic.values() for t in ts]
    out += [t for ts in f.FRESH_TOPIC_CODE.values() for t in ts] + [t for ts in f.FRESH_CSV_INTROS.values() for t in ts]
    out += f.FRESH_AGENT_LINES + f.FRESH_CHAT_HEADERS + f.FRESH_CHAT_FOOTERS + f.FRESH_CODE_INTROS
    out += [h for pair in f.FRESH_CODE_FRAMES.values() for h in pair]
    for group in (f.FRESH_REVIEW_HEADERS, f.FRESH_REVIEW_FOOTERS, f.FRESH_LISTING_HEADERS, f.FRESH_LISTING_FOOTERS,
                  f.FRESH_FORM_HEADERS, f.FRESH_FORM_FOOTERS, f.FRESH_DELIVERY_HEADERS, f.FRESH_DELIVERY_FOOTERS,
                  f.FRESH_VOICEMAIL_HEADERS, f.FRESH_VOICEMAIL_FOOTERS):
        out += [t for t in group if not re.search(r"\{[A-Z]", t)]
    out += [cell for _, cell in f.FRESH_CSV_OTHER_COLUMNS]
    return out


def test_near_misses_and_framing_carry_no_gold_spans():
    fakers = synth.make_fakers(3, DEFAULT_LOCALE_MIX)
    values = synth_fresh.FreshValues(fakers, random.Random(3), "any")
    templates = _no_pii_templates()
    assert len(templates) > 80
    for loc in LOCALES:
        for _ in range(5):                      # several draws of every distractor slot
            for template in templates:
                out = PostWriter()
                synth_fresh.fill(template, values, loc, "menu-api", {}, out)
                assert out.spans == [], template
                assert not re.search(r"\{\w+(\.\w+)?\}", out.text()), template     # every slot filled


def test_distractors_appear_in_posts_and_stay_unlabeled(big):
    patterns = {"uuid": r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                "git sha": r"\b[0-9a-f]{40}\b", "sha256": r"\b[0-9a-f]{64}\b",
                "order": r"(ORD-\d{4}-\d{6}|\b\d{3}-\d{7}-\d{7}\b)", "invoice": r"\bINV-\d{4}-\d{5}\b",
                "tracking": r"\b(1Z[0-9A-Z]{16}|JJD\d{15}|9400\d{18})\b", "vat": r"VAT ID [A-Z]{2}",
                "timestamp": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "masked card": r"\*{4} \d{4}|ending \d{4}",
                "start date": r"Start date: \S", "anniversary": r"anniversary is \d",
                "club": r"Paris Saint-Germain|Bayern München", "brand": r"Marks & Spencer|Ben & Jerry's|Amazon",
                "internal host": r"\b\w+-(prod|stg)-\d\.internal\b", "version": r"(firmware |APP_VERSION=|api:|nginx:|\(v)\d+\.\d+\.\d+\b"}
    seen = set()
    for text, spans, _, _ in big:
        for name, pattern in patterns.items():
            for m in re.finditer(pattern, text):
                seen.add(name)
                # the distractor may sit inside a labeled URL (a tracking link), never be labeled itself
                for s in spans:
                    if s.start < m.end() and m.start() < s.end:
                        assert s.entity == "URL" and s.start <= m.start() and m.end() <= s.end, (name, text)
    assert seen == set(patterns)


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    for text, spans, _, _ in big:
        for m in re.finditer(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])", text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            digits = re.sub(r"\D", "", m.group())
            assert not luhn_ok(digits), (m.group(), text)


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
    assert len(others) > 150                                     # the other families were found
    fresh = {bare(t) for t in _fresh_templates()} - {""}
    # no sentence is shared, not even with other slots or punctuation; a bare field name such as
    # "Date of birth:" or "iban:" is what every form says, so only the exact line must differ
    sentences = {t for t in fresh if len(t.split()) >= 4}
    assert not sentences & others, sentences & others
    assert not _fresh_templates() & _other_families()
    for register, by_entity in synth_fresh.FRESH_PII_TEMPLATES.items():
        assert set(by_entity) == set(ENTITIES), register
        assert set(synth_fresh.FRESH_NEAR_MISSES[register]), register
    assert sum(len(ts) for reg in synth_fresh.FRESH_PII_TEMPLATES.values() for ts in reg.values()) >= 150
    assert set(synth_fresh.FRESH_CSV_PII_COLUMNS) == set(ENTITIES)


def test_pii_slots_in_templates_name_real_entities():
    for template in _fresh_templates():
        for slot in re.findall(r"(?<!\{)\{(\w+(?:\.\w+)?)\}", template):
            head = slot.split(".")[0]
            assert head in ENTITIES or head.islower(), (slot, template)


def test_the_other_families_are_still_offered():
    assert synth.TEMPLATE_SETS[:4] == ("tuning", "heldout", "blind", "fresh")
