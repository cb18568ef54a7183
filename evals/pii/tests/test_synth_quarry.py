"""The quarry evaluation family: deterministic, exact gold spans of the right shape, every entity, style,
locale and language, distractors without labels, and nothing taken from the clock."""

from __future__ import annotations

import collections
import itertools
import random
import re
from datetime import date

import pytest

from evals.pii import synth, synth_quarry
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_quarry import quarry_posts, quarry_posts_detailed
from evals.pii.tests.family_checks import (
    LOCALES,
    check_deterministic,
    check_distractors,
    check_ignores_the_clock,
    check_markers,
    check_spans_are_drawn_values,
    check_styles_and_languages,
    check_unlabeled_card_runs_fail_luhn,
    check_unseen_names,
    posts_of,
    span_values,
)
from evals.pii.tests.formats import (
    MONTH_NAMES,
    check_value,
    iban_ok,
    luhn_ok,
    mod97,
    parse_birth_date,
)

_posts = posts_of(quarry_posts)
_detailed = posts_of(quarry_posts_detailed)


@pytest.fixture(scope="module")
def big():
    """2000 posts with their style and language."""
    return _detailed(2000, seed=43)


def _birth_year(value: str) -> int:
    """A birth date as the family writes one: the shared forms, HL7 YYYYMMDD and "12-MAR-1987"."""
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value):
        return date(int(m[1]), int(m[2]), int(m[3])).year
    if m := re.fullmatch(r"(\d{2})-([A-Z]{3})-(\d{4})", value):
        return date(int(m[3]), MONTH_NAMES[m[2].lower()], int(m[1])).year
    return parse_birth_date(value).year


# ---- determinism and the clock -----------------------------------------------------------------------


def test_same_seed_same_posts_other_seed_or_family_other_posts():
    check_deterministic("quarry", _posts, others=("vault",), detailed=_detailed)
    with pytest.raises(ValueError):
        _posts(1, seed=1, name_pool="nobody")


def test_quarry_family_does_not_follow_the_clock(monkeypatch):
    check_ignores_the_clock(monkeypatch, lambda: _posts(200, seed=8, pii_rate=0.0) + _posts(200, seed=9, pii_rate=1.0))


# ---- gold spans --------------------------------------------------------------------------------------


def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc, _, _ in big:
        assert "[[" not in text and "]]" not in text, text  # every slot filled
        for s, value in span_values(text, spans, label, loc):
            assert value[0] not in "\"'`@<[{" and value[-1] not in "\"'`,;:>]}", (value, text)
            for opener, closer in ("()", "[]", "{}", "<>"):  # a bracket only with its partner: "(971) 908-2964"
                assert value.count(opener) == value.count(closer), (value, text)
            assert "@" not in value or s.entity in ("EMAIL_ADDRESS", "SECRET"), (value, text)
            assert value[0] != "+" or s.entity == "PHONE_NUMBER", (value, text)
            assert not value.startswith(("mailto:", "Bearer ", "password=")), value
            if s.entity == "DATE_OF_BIRTH":
                assert 1900 <= _birth_year(value) <= 2020, value
            else:
                check_value(s.entity, value)


def test_each_span_is_exactly_the_value_drawn_for_it(monkeypatch):
    check_spans_are_drawn_values(
        monkeypatch, synth_quarry.QuarryValues, lambda: quarry_posts_detailed(400, 17, DEFAULT_LOCALE_MIX, "any", 0.9, None)
    )


def test_no_pii_with_zero_rate():
    for text, spans, *_ in quarry_posts_detailed(400, 12, DEFAULT_LOCALE_MIX, "any", 0.0, None):
        assert spans == [], text


def test_every_entity_style_locale_and_language_appears(big):
    assert len(synth_quarry.QUARRY_STYLES) >= 20
    check_styles_and_languages(big, synth_quarry.QUARRY_STYLES, synth_quarry.LOCAL_STYLES)
    markers = {
        "hl7": r"^MSH\|\^~\\&\|",
        "fhir": r'^\{\s*"resourceType": "Patient"',
        "ldif": r"^# (LDIF|extended LDIF)",
        "authlog": r"^(==> /var/log/auth.log|journalctl|-- Logs begin)",
        "rideshare": r"^(Your trip|Thanks for riding|RIDE RECEIPT)",
        "telecom": r"^(MONTHLY STATEMENT|Itemised bill)",
        "ambulance": r"^(PATIENT CARE REPORT|ePCR )",
        "dispatch": r"^(CAD EVENT LOG|DISPATCH)",
        "probate": r"^(PUBLIC NOTICES|NOTICE TO CREDITORS|LEGAL NOTICE)",
        "wedding": r"^(WEDDINGS|Engagement|Happy couple)",
        "match": r"^(MATCH REPORT|Sunday League)",
        "classnotes": r"^(CLASS NOTES|Alumni News)",
        "parish": r"^(ST ANNE'S|Parish News)",
        "visa": r"^(VISA APPLICATION|Application for)",
        "jury": r"^(JURY SUMMONS|SUMMONS FOR)",
        "patent": r"^\((12|19)\) ",
        "crowdfund": r"^(Campaign page|Fundraiser update)",
        "giftaid": r"^(GIFT AID|Gift Aid it)",
        "library": r"^(LIBRARY LOANS|Overdue notice)",
        "mainframe": r"^(1REPORT ID|\*\*\* JOB)",
        "slack": r'^\[\n  \{"type": "message"',
        "recommend": r"^Recommendation",
    }
    check_markers(big, markers, synth_quarry.QUARRY_STYLES)


def test_value_shapes_are_varied(big):
    values = collections.defaultdict(list)
    for text, spans, *_ in big:
        for s in spans:
            values[s.entity].append(text[s.start : s.end])
    people = values["PERSON"]
    assert any(re.fullmatch(r"[A-Z'\-]+\^[A-Z'\-]+(\^[A-Z])?", p) for p in people)  # HL7
    assert any(re.fullmatch(r"[A-Z'\-]+, \w+", p) for p in people)  # SURNAME, Given
    assert any(p.isupper() and " " in p for p in people) and any(p.islower() for p in people)
    assert any(p.split()[0] in ("Herr", "Frau", "Mme", "Maître", "Sra.", "Dña.") for p in people)
    assert any(re.fullmatch(r"[A-Z]\. ([A-Z]\. )?\w+", p) for p in people)  # initials
    assert any(p.endswith(("Jr.", "III")) for p in people)
    places = values["LOCATION"]
    assert any(re.fullmatch(r"\d{5} \w.*", p) for p in places)
    births = values["DATE_OF_BIRTH"]
    assert any(re.fullmatch(r"\d{8}", b) for b in births) and any(" de " in b for b in births)
    assert any(re.fullmatch(r"\d{1,2}\. [A-ZÄ]\w+ \d{4}", b) for b in births)
    secrets = values["SECRET"]
    assert any(s.startswith(("postgres://", "mongodb+srv://", "https://")) for s in secrets)
    assert any(s.startswith("-----BEGIN") and s.endswith("PRIVATE KEY-----") for s in secrets)
    assert any(s.startswith("eyJ") for s in secrets) and any(s.startswith("xoxp-") for s in secrets)
    assert any(re.fullmatch(r"\d{3}-\d{2}-\d{4}", s) for s in values["US_SSN"])
    assert any(":" in ip for ip in values["IP_ADDRESS"]) and any("." in ip for ip in values["IP_ADDRESS"])
    # an address block is one span per line, the lines consecutive
    assert any(
        t[a.end : b.start] == "\n" and a.entity == b.entity == "LOCATION"
        for t, spans, *_ in big
        for a, b in itertools.pairwise(spans)
    )


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    skip = {t.upper() for ts in synth_quarry.TITLES.values() for t in ts} | {t.upper() for t in synth_quarry.RANKS}
    skip |= {t.upper() for t in synth_quarry.SUFFIXES} | {"VAN", "DER", "DE", "LA", "VON", "DI", "LE", "DOS", "DU", "AL"}
    posts = _posts(500, seed=3, name_pool="unseen", weights={"PERSON": 1.0})
    assert {s.entity for _, spans, *_ in posts for s in spans} == {"PERSON"}
    check_unseen_names(
        posts,
        lambda name: [
            w for w in re.split(r"[\s,^\-']+", name) if w and w.upper() not in skip and not re.fullmatch(r"[A-Za-z]\.?", w)
        ],
        least=300,
    )


def test_weights_restrict_the_entities():
    for only in ({"IBAN": 1.0}, {"SECRET": 1.0, "URL": 1.0}, {"DATE_OF_BIRTH": 1.0}):
        seen = collections.Counter(s.entity for _, spans, *_ in _posts(400, seed=4, pii_rate=1.0, weights=only) for s in spans)
        assert set(seen) == set(only), (only, seen)
    assert all(spans == [] for _, spans, *_ in _posts(200, seed=4, weights={}))


# ---- distractors -------------------------------------------------------------------------------------


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    assert check_unlabeled_card_runs_fail_luhn(big) > 100
    fakers = synth.make_fakers(5, DEFAULT_LOCALE_MIX)
    values = synth_quarry.QuarryValues(fakers, random.Random(5), "any")
    for loc in LOCALES:
        for _ in range(200):
            entity, bad = values.draw("bad_card", None, loc)
            assert entity is None and not luhn_ok(bad.replace(" ", ""))
            entity, bad = values.draw("bad_iban", None, loc)
            assert entity is None and not iban_ok(bad) and mod97(bad.replace(" ", "")) != 1
            assert iban_ok(values.draw("IBAN", None, loc)[1])
            for slot in ("hl7ts", "barcode"):
                assert not luhn_ok(values.draw(slot, None, loc)[1])


def test_distractors_appear_and_stay_unlabeled(big):
    q = synth_quarry
    patterns = {
        "org": "|".join(re.escape(o) for o in q.ORGS),
        "eponym": "|".join(re.escape(e) for e in q.EPONYMS),
        "isbn": r"978-\d-\d+-\d+-\d",
        "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "version": r"(?i)(?<=version )\d+\.\d+\.\d+\.\d+|(?<=deployed )\d+\.\d+\.\d+\.\d+",
        "msg_id": r"MSG\d{8}",
        "mrn": r"\b(MRN|PT|H)\d{7}",
        "case": r"(CV|PR|CR)-\d{4}-\d{6}",
        "patent": r"(US \d+,\d{3},\d{3} B2|EP \d{7} A1)",
        "port": r"port \d{4,5}",
        "job": "|".join(re.escape(j) for j in q.JOBS),
    }
    check_distractors(big, patterns, inside=("URL", "SECRET"), contained=False)


# ---- the templates themselves ------------------------------------------------------------------------


def _specs():
    yield from synth_quarry.QUARRY_EN.values()
    for by_style in synth_quarry.QUARRY_LOCAL.values():
        yield from by_style.values()


def test_templates_are_labeled_where_they_should_be():
    for spec in _specs():
        assert set(spec["pii"]) <= set(FAMILY_ENTITIES) and len(spec["pii"]) >= 4 and spec["miss"]
        for entity, templates in spec["pii"].items():
            for t in templates:
                assert entity in synth_quarry.slot_entities(t), t
        for t in [spec["topic"], *spec["miss"], *spec["head"], *spec.get("tail", [])]:
            assert synth_quarry.slot_entities(t) == [], t
        for t in [
            spec["topic"],
            *spec["miss"],
            *spec["head"],
            *spec.get("tail", []),
            *(t for ts in spec["pii"].values() for t in ts),
        ]:
            for name in re.findall(r"\[\[(\w+)", t):
                assert name in FAMILY_ENTITIES or name.islower(), (name, t)
    assert {e for spec in _specs() for e in spec["pii"]} == set(FAMILY_ENTITIES)
    assert {e for spec in synth_quarry.QUARRY_EN.values() for e in spec["pii"]} == set(FAMILY_ENTITIES)
    for lang, by_style in synth_quarry.QUARRY_LOCAL.items():
        assert set(by_style) == set(synth_quarry.LOCAL_STYLES)
        assert set(synth_quarry.QUARRY_TOPICS[lang]) == set(synth.TOPICS)


def test_the_quarry_family_is_offered_last():
    assert synth.TEMPLATE_SETS[-1] == "quarry"
    posts = list(generate_posts(20, seed=1, template_set="quarry"))
    assert len(posts) == 20 and all(isinstance(t, str) for t, _ in posts)
