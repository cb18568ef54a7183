"""The sealed evaluation family: deterministic, exact gold spans of the right shape, every entity, style,
locale and language, distractors without labels, sentences of its own, and nothing taken from the clock."""

from __future__ import annotations

import base64
import itertools
import random
import re

import pytest

from evals.pii import synth, synth_fresh, synth_sealed
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_sealed import sealed_posts, sealed_posts_detailed
from evals.pii.templates import Fixed, PostWriter
from evals.pii.tests.family_checks import (
    LOCALES,
    bank_lines,
    check_deterministic,
    check_distractors,
    check_ignores_the_clock,
    check_local_posts_use_their_language,
    check_markers,
    check_styles_and_languages,
    check_unlabeled_card_runs_fail_luhn,
    check_unseen_names,
    posts_of,
    span_values,
    template_strings,
    words_of,
)
from evals.pii.tests.formats import check_value, luhn_ok, parse_birth_date

_posts = posts_of(sealed_posts)
_detailed = posts_of(sealed_posts_detailed)


@pytest.fixture(scope="module")
def big() -> list[tuple[str, list[synth.Span], int, str, str, str]]:
    """2000 posts with their style and language."""
    return _detailed(2000, seed=41)


# ---- determinism -------------------------------------------------------------------------------------


def test_same_seed_same_posts_other_seed_or_family_other_posts():
    check_deterministic("sealed", _posts, others=("tuning", "heldout", "blind", "fresh"), detailed=_detailed)


def test_sealed_family_does_not_follow_the_clock(monkeypatch):
    check_ignores_the_clock(monkeypatch, lambda: _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0), wait=1.1)


# ---- gold spans --------------------------------------------------------------------------------------


def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc, _, _ in big:
        for s, value in span_values(text, spans, label, loc):
            check_value(s.entity, value, born=(1901, 2020))


def test_no_pii_with_zero_rate_outside_the_framing():
    # with pii_rate=0 only the framing (names in headers, greetings, signatures) may carry spans
    for text, spans, _, _, style, _ in sealed_posts_detailed(300, 12, DEFAULT_LOCALE_MIX, "any", 0.0, None):
        if style in ("social", "gaming", "claim", "travel", "classified", "applog"):
            assert spans == [], text


def test_every_entity_style_locale_and_language_appears(big):
    check_styles_and_languages(big, [s for s, _ in synth_sealed.SEALED_STYLES], synth_sealed.LOCAL_STYLES)
    markers = {
        "social": r"^(@[\w.]+ · |[\w.]+ replied to @|Comment by @)",
        "sms": r"^(SMS · |WhatsApp chat with |Messages — )",
        "profile": r"^(About me|~ about me ~|Bio:|Profile · )",
        "cv": r"^(CURRICULUM VITAE|Résumé — |Application for )",
        "claim": r"^(CLAIM FORM|Warranty claim #|Re: claim )",
        "school": r"^Subject: ",
        "minutes": r"^(MINUTES — |Meeting notes )",
        "travel": r"^(BOOKING CONFIRMATION|Your itinerary|E-ticket receipt)",
        "tenancy": r"^(Message to landlord|Tenant portal)",
        "classified": r"^(WANTED|FREE TO COLLECT|SWAP OR SELL|CLASSIFIEDS)",
        "gaming": r"^#[\w-]+ — .*\n\[\d\d:\d\d\] <",
        "applog": r"^(Crash report · |=== request dump|Log excerpt from )",
    }
    check_markers(big, markers, [s for s, _ in synth_sealed.SEALED_STYLES])
    check_local_posts_use_their_language(
        big,
        words_of(t for b in synth_sealed.SEALED_EN.values() for t in bank_lines(b)),
        {
            lang: words_of(t for b in by_style.values() for t in bank_lines(b))
            for lang, by_style in synth_sealed.SEALED_LOCAL.items()
        },
    )


def test_value_shapes_vary_as_real_data_does(big):
    values: dict[str, list[str]] = {e: [] for e in FAMILY_ENTITIES}
    for text, spans, *_ in big:
        for s in spans:
            values[s.entity].append(text[s.start : s.end])
    people = values["PERSON"]
    assert any(p.islower() for p in people) and any(p.isupper() and " " in p for p in people)
    assert any(re.fullmatch(r"[A-Z'\-]+/[A-Z'\-]+ (MR|MRS|MS|MISS|DR)", p) for p in people)  # airline form
    assert any(re.fullmatch(r"\w\.\w\. \w+", p) for p in people)  # "J.R. Okafor"
    assert any(p.startswith(("Herr ", "Frau ", "Mme ", "M. ", "Sra. ", "Sr. ")) for p in people)
    assert any(", " in p for p in people)  # "Last, First"
    word_names = {w for pair in synth_sealed.WORD_NAMES.values() for ws in pair for w in ws}
    assert sum(any(w in word_names for w in p.split()) for p in people) >= 100
    possessive = [t for t, spans, *_ in big for s in spans if s.entity == "PERSON" and t[s.end : s.end + 2] == "'s"]
    assert len(possessive) >= 10
    places = values["LOCATION"]
    assert any(re.search(r"\b\d{5} [A-ZÄÖÜ]", p) for p in places) and any("º" in p for p in places)
    assert any(" " not in p for p in places) and any(p.islower() for p in places)
    # an address over two lines is two spans on consecutive lines
    assert any(
        s.entity == o.entity == "LOCATION" and t[s.end : o.start] == "\n"
        for t, spans, *_ in big
        for s, o in itertools.pairwise(spans)
    )
    cards = values["CREDIT_CARD"]
    assert any("-" in c for c in cards) and any(" " in c for c in cards) and any(c.isdigit() for c in cards)
    assert any(" " in i for i in values["IBAN"]) and any(" " not in i for i in values["IBAN"])
    assert any(":" in ip for ip in values["IP_ADDRESS"]) and any("." in ip for ip in values["IP_ADDRESS"])
    assert any(
        re.match(r":\d+\b", t[s.end :]) for t, spans, *_ in big for s in spans if s.entity == "IP_ADDRESS"
    )  # "1.2.3.4:8443"
    urls = values["URL"]
    assert any("linkedin.com/in/" in u for u in urls) and any(u.startswith(("https://bit.ly/", "https://t.co/")) for u in urls)
    phones = values["PHONE_NUMBER"]
    assert any(p.startswith("+") for p in phones) and any(p.startswith("0") for p in phones)
    assert any(p.isdigit() for p in phones)
    births = values["DATE_OF_BIRTH"]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", b) for b in births)
    assert any(re.search(r"[a-zäéû]{3,}", b) and not re.search(r"\d{4}", b) for b in births)  # a birthday
    assert any(
        re.search(r"\. (März|Mai|Juni|Oktober|Dezember|Januar|Februar|April|Juli|August|September|November) \d{4}", b)
        for b in births
    )
    assert any(" de " in b for b in births) and any(re.search(r"\b(mars|juin|août|janvier|mai|avril)\b", b) for b in births)
    assert any(2012 <= parse_birth_date(b).year <= 2019 for b in births)  # pupils
    secrets = values["SECRET"]
    assert any(s.startswith("-----BEGIN") for s in secrets) and any(s.startswith("eyJ") for s in secrets)
    assert any(s.startswith(("https://hooks.slack.com/", "https://discord.com/api/webhooks/")) for s in secrets)
    assert any("token=" in s for s in secrets) and any("sig=" in s for s in secrets)
    basic = [t for t, spans, *_ in big for s in spans if s.entity == "SECRET" and t[: s.start].endswith("Basic ")]
    assert basic
    for t, spans, *_ in big:
        for s in spans:
            if s.entity == "SECRET" and t[: s.start].endswith("Basic "):
                assert b":" in base64.b64decode(t[s.start : s.end])


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    titles = {t.upper() for ts in synth_fresh.TITLES.values() for t in ts} | set(synth_sealed.PNR_TITLES)
    check_unseen_names(
        _posts(400, seed=3, name_pool="unseen"),
        lambda name: [
            w for w in re.split(r"[\s,/\-]+", name) if w and w.upper() not in titles and not re.fullmatch(r"(\w\.)+", w)
        ],
    )


# ---- distractors -------------------------------------------------------------------------------------


def _banks() -> list[dict]:
    return list(synth_sealed.SEALED_EN.values()) + [
        b for by_style in synth_sealed.SEALED_LOCAL.values() for b in by_style.values()
    ]


def _frames() -> list[dict]:
    return list(synth_sealed.SEALED_FRAMES.values()) + [
        fr for by_style in synth_sealed.SEALED_LOCAL_FRAMES.values() for fr in by_style.values()
    ]


def _no_pii_templates() -> list[str]:
    out = [t for b in _banks() for t in b["miss"]]
    out += [t for b in _banks() for ts in b["topic"].values() for t in ts]
    out += [t for fr in _frames() for part in fr.values() for t in part if not re.search(r"\{=?[A-Z]", t)]
    out += [t for ts in synth_sealed.SEALED_GREETINGS.values() for t in ts if not re.search(r"\{[A-Z]", t)]
    return out


def _pii_templates() -> list[str]:
    out = [t for b in _banks() for ts in b["pii"].values() for t in ts]
    out += [t for fr in _frames() for part in fr.values() for t in part if re.search(r"\{=?[A-Z]", t)]
    out += [t for ts in synth_sealed.SEALED_GREETINGS.values() for t in ts if re.search(r"\{[A-Z]", t)]
    return out + synth_sealed.SEALED_MINUTES_PEOPLE + synth_sealed.SEALED_CV_HEADS


def test_near_misses_topics_and_framing_carry_no_gold_spans():
    fakers = synth.make_fakers(3, DEFAULT_LOCALE_MIX)
    values = synth_sealed.SealedValues(fakers, random.Random(3), "any")
    templates = _no_pii_templates()
    assert len(templates) > 150
    for loc in LOCALES:
        for lang in ("en", loc[:2]) if loc[:2] in synth_sealed.SEALED_LOCAL else ("en",):
            values.lang = lang
            for _ in range(5):  # several draws of every distractor slot
                for template in templates:
                    out = PostWriter()
                    synth_sealed.fill(template, values, loc, {}, out, (True, 1.0))
                    assert out.spans == [], template
                    assert not re.search(r"\{=?\w+(\.\w+)?\}", out.text()), template  # every slot filled


def test_every_pii_template_labels_each_of_its_slots():
    fakers = synth.make_fakers(4, DEFAULT_LOCALE_MIX)
    values = synth_sealed.SealedValues(fakers, random.Random(4), "any")
    fixed: Fixed = {"=A": ("PERSON", "Rose")}
    for loc in LOCALES:
        for template in _pii_templates():
            out = PostWriter()
            synth_sealed.fill(template, values, loc, fixed, out)
            spans = out.spans
            upper = re.findall(r"(?<!\{)\{(=?[A-Z]\w*(?:\.\w+)?)\}", template)
            assert len(spans) == len(upper) >= 1, template
            assert [s.entity for s in spans] == [fixed[u][0] if u in fixed else u.split(".")[0] for u in upper]


def test_distractors_appear_in_posts_and_stay_unlabeled(big):
    patterns = {
        "booking ref": r"(Booking reference: |booking ref is |localizador es |réservation est |Buchungsnummer ist )[A-Z2-9]{6}",
        "e-ticket": r"\b\d{3}-\d{10}\b",
        "policy": r"\bPOL-\d{9}\b",
        "claim": r"\bCLM-\d{4}-\d{6}\b",
        "crime ref": r"CRI/\d\d/\d{6}",
        "steam": r"steam,? id \d{17}",
        "match": r"match id \d{10}",
        "meeting id": r"meeting ID \d{3} \d{4} \d{4}",
        "uuid": r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        "sha": r"commit [0-9a-f]{40}\b",
        "fingerprint": r"release-keys",
        "airport": r"\b[A-Z]{3} → [A-Z]{3}\b",
        "whatsapp time": r"\d\d/\d\d/\d{4}, \d\d:\d\d - ",
        "team": r"Leeds United|Real Madrid|Borussia Dortmund|Chicago Bulls",
        "show": r"Coronation Street|Sesame Street|21 Jump Street|Penny Lane",
        "brand": r"Dr Pepper|Jack Daniel's|Ray-Ban",
        "hashtag": r"#SummerVibes",
        "name-words as words": r"rose bush|bounty hunter|Will beat|Mark the calendar|Hunter class|Summer event",
        "pet": r"Pepper, she's not for sale",
        "club": r"1\. FC Köln|Atlético de Madrid|PSG",
        "handle": r"<[\w.]+\d+>",
        "employment years": r"\b\d{4} – (\d{4}|present|heute|aujourd'hui|actualidad)\b",
    }
    # a distractor may sit inside a labeled credential link, never be labeled itself
    check_distractors(big, patterns, inside=("SECRET",), flags={"name-words as words": re.IGNORECASE})


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    check_unlabeled_card_runs_fail_luhn(big)
    # the card-length distractor slots fail it on every draw
    fakers = synth.make_fakers(5, DEFAULT_LOCALE_MIX)
    values = synth_sealed.SealedValues(fakers, random.Random(5), "any")
    for _ in range(300):
        for slot in ("eticket", "steam_id"):
            entity, text = values.draw(slot, "en_US")
            assert entity is None and not luhn_ok(re.sub(r"\D", "", text))


# ---- the templates themselves ------------------------------------------------------------------------


def _other_families() -> set[str]:
    return template_strings(synth, synth_fresh)


def test_templates_are_new_sentences():
    def bare(t: str) -> str:
        return re.sub(r"[^a-zäöüßéèêàçñáíóú ]", "", re.sub(r"\{=?\w+(\.\w+)?\}", "", t.lower())).strip()

    others_raw = _other_families()
    others = {bare(t) for t in others_raw} - {""}
    assert len(others) > 300  # the other families were found
    ours_raw = set(_no_pii_templates()) | set(_pii_templates())
    assert len(ours_raw) > 400
    ours = {bare(t) for t in ours_raw} - {""}
    # no sentence is shared, not even with other slots or punctuation; a bare field name such as
    # "Name:" is what every form says, so only the exact line must differ
    sentences = {t for t in ours if len(t.split()) >= 4}
    assert not sentences & others, sentences & others
    shared = {t for t in ours_raw & others_raw if re.sub(r"\{=?\w+(\.\w+)?\}", "", t).strip()}  # not bare slots
    assert not shared, shared


def test_every_style_has_topics_for_every_topic_and_pii_lines():
    for bank in _banks():
        assert set(bank["topic"]) == set(synth.TOPICS)
        assert bank["miss"] and set(bank["pii"]) <= set(FAMILY_ENTITIES) and len(bank["pii"]) >= 6
    covered = {e for b in _banks() for e in b["pii"]}
    assert covered == set(FAMILY_ENTITIES)
    for lang, by_style in synth_sealed.SEALED_LOCAL.items():
        assert set(by_style) == set(synth_sealed.LOCAL_STYLES) == set(synth_sealed.SEALED_LOCAL_FRAMES[lang])


def test_pii_slots_in_templates_name_real_entities():
    for template in set(_pii_templates()) | set(_no_pii_templates()):
        for slot in re.findall(r"(?<!\{)\{(=?\w+(?:\.\w+)?)\}", template):
            head = slot.split(".")[0]
            assert head in FAMILY_ENTITIES or head.islower() or head == "=A", (slot, template)


def test_the_sealed_family_is_offered_after_the_others():
    assert synth.TEMPLATE_SETS[:5] == ("tuning", "heldout", "blind", "fresh", "sealed")
    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="sealed2"))
