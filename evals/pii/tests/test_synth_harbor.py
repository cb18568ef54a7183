"""The harbor evaluation family: deterministic, exact gold spans of the right shape, every entity, style
and language, distractors without labels, and nothing taken from the clock."""

from __future__ import annotations

import collections
import itertools
import random
import re
from datetime import date

import pytest

from evals.pii import synth, synth_fresh, synth_harbor, synth_sealed, synth_vault
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_harbor import harbor_posts, harbor_posts_detailed
from evals.pii.templates import ADDRESS_LINES, PostWriter
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
    template_strings,
)
from evals.pii.tests.formats import check_value, iban_ok, luhn_ok, mod97

Post = tuple[str, list[synth.Span], int, str, str, str]
_TWO_DIGIT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")


_posts = posts_of(harbor_posts)
_detailed = posts_of(harbor_posts_detailed)


@pytest.fixture(scope="module")
def big() -> list[Post]:
    """2000 posts with their style and language."""
    return _detailed(2000, seed=43)


def _check(entity: str, value: str) -> None:
    """check_value, and a numeric birth date with a two-digit year read either way round."""
    if entity == "DATE_OF_BIRTH" and (m := _TWO_DIGIT_YEAR.fullmatch(value)):
        a, b, yy = int(m[1]), int(m[2]), int(m[3])
        ok = False
        for day, month in ((a, b), (b, a)):
            try:
                date(2000 + yy, month, day)
                ok = True
            except ValueError:
                pass
        assert ok, value
        return
    check_value(entity, value, born=(1900, 2012))


# ---- determinism, registration and the clock ----------------------------------------------------------


def test_same_seed_same_posts_other_seed_other_posts():
    check_deterministic("harbor", _posts, others=("tuning", "blind", "vault"), n=80, detailed=_detailed)


def test_registered_in_synth():
    assert "harbor" in synth.TEMPLATE_SETS
    records = list(synth.labeled_posts(20, 3, DEFAULT_LOCALE_MIX, "any", 0.75, None, template_set="harbor"))
    assert records == _posts(20, seed=3)
    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="harbor2"))
    with pytest.raises(ValueError):
        _posts(1, seed=1, name_pool="famous")


def test_harbor_family_does_not_follow_the_clock(monkeypatch):
    check_ignores_the_clock(monkeypatch, lambda: _posts(300, seed=8, pii_rate=1.0))


def test_no_relative_faker_dates_in_the_source():
    import inspect

    source = inspect.getsource(synth_harbor)
    for method in (
        "date_of_birth",
        "date_between",
        "date_this_year",
        "past_date",
        "future_date",
        "date_time_between",
        "date_time",
        "now",
        "today",
        "time",
        "date_object",
        "year",
    ):
        assert not re.search(rf"\.{method}\(", source), method


# ---- gold spans ---------------------------------------------------------------------------------------


def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc, _, _ in big:
        for s, value in span_values(text, spans, label, loc):
            assert value[0] not in "\"'`@<[{" and value[-1] not in "\"'`,;:>)]}", (value, text)
            assert value[0] != "(" or s.entity == "PHONE_NUMBER", (value, text)  # "(212) 555-0147"
            assert value[0] != "+" or s.entity == "PHONE_NUMBER", (value, text)
            for opener, closer in ("()", "[]", "{}", "<>"):
                assert value.count(opener) == value.count(closer), (value, text)
            assert not value.endswith("'s") and not value.startswith(("mailto:", "Bearer ", "password=", "session=")), value
            assert "\n" not in value or s.entity == "SECRET", (value, text)
            _check(s.entity, value)


def test_each_span_is_exactly_a_value_drawn_for_it(monkeypatch):
    check_spans_are_drawn_values(
        monkeypatch, synth_harbor.HarborValues, lambda: harbor_posts_detailed(400, 17, DEFAULT_LOCALE_MIX, "any", 0.9, None)
    )


def test_every_url_and_mailbox_in_the_text_is_labeled(big):
    # the only e-mail-shaped strings left unlabeled are Message-IDs (not mailboxes, see the docstring)
    for text, spans, *_ in big:
        for pattern in (r"https?://\S+", r"[\w.+-]+@[\w-]+\.[\w.]+"):
            for m in re.finditer(pattern, text):
                if not any(s.start < m.end() and m.start() < s.end for s in spans):
                    assert text[: m.start()].endswith("Message-ID: <"), (m.group(), text)


def test_no_spans_without_pii_lines():
    # headers, footers, topic lines and distractor lines carry no PII: pii_rate=0 gives no spans
    for text, spans, *_ in harbor_posts_detailed(500, 12, DEFAULT_LOCALE_MIX, "any", 0.0, None):
        assert spans == [], text


def test_weights_restrict_the_entities():
    for wanted in (["SECRET"], ["IBAN", "US_SSN"], ["LOCATION"]):
        posts = _posts(300, seed=21, pii_rate=1.0, weights={e: 1.0 for e in wanted})
        got = {s.entity for _, spans, _, _ in posts for s in spans}
        assert got == set(wanted), (wanted, got)


# ---- coverage ---------------------------------------------------------------------------------------


def test_every_entity_style_locale_and_language_appears(big):
    assert len(synth_harbor.HARBOR_STYLES) >= 20
    check_styles_and_languages(big, synth_harbor.HARBOR_STYLES, synth_harbor.LOCAL_STYLES)
    markers = {
        "hotel": r"GUEST REGISTRATION|Registration card|Guest registration",
        "rx": r"eRx|PHARMACY LABEL|Prescription record",
        "lab": r"LABORATORY REPORT|Pathology results|LAB RESULTS",
        "statement": r"STATEMENT|Statement of account|Transactions export",
        "payslip": r"PAYSLIP|Earnings statement|PAY ADVICE",
        "taxform": r"^Form (W-2|1099)",
        "loan": r"MORTGAGE APPLICATION|loan application|Loan Application",
        "rental": r"RENTAL AGREEMENT|rental contract|Car hire",
        "fine": r"PENALTY CHARGE|TRAFFIC VIOLATION|Parking fine",
        "utility": r"energy bill|METER READING|Water services",
        "vet": r"VETERINARY|Patient card|Vaccination",
        "curl": r"^(\$ curl|\* Host)",
        "ci": r"gitlab-runner|##\[group\]|Started by",
        "headers": r"(?i)forwarded|Original Message",
        "vcard": r"^BEGIN:VCARD",
        "chatbot": r"\nUser: ",
        "srt": r"^1\n\d\d:\d\d:\d\d,\d{3} --> ",
        "press": r"RELEASE",
        "offer": r"REFERENCE|Offer of employment|Re: reference",
        "idscan": r"\nP<[A-Z<]{3}[A-Z]",
        "customs": r"CN23|MANIFEST|Commercial invoice",
        "notice": r"LOST|WATCH|FOUND",
        "payload": r"\n\{\n  \"",
        "yaml": r"^(# |--- )[^\n]*\n(- kind: customer|user:)\n  \w",
    }
    check_markers(big, markers, synth_harbor.HARBOR_STYLES)


def test_value_shapes_are_varied(big):
    values: dict[str, list[str]] = collections.defaultdict(list)
    for text, spans, *_ in big:
        for s in spans:
            values[s.entity].append(text[s.start : s.end])
    people = values["PERSON"]
    assert any(p.isupper() and " " in p for p in people) and any(p.islower() for p in people)
    assert any(re.fullmatch(r"[A-ZÄÖÜ'’ -]+, \w.*", p) for p in people)  # "SURNAME, Given"
    assert any(re.match(r"(\w\.)+ \w", p) for p in people)  # initials
    assert any(p.startswith(("Herr ", "Frau ", "Mme ", "M. ", "Sra. ", "Dña. ", "Mx ")) for p in people)
    assert any(p.endswith(("Jr.", "III")) for p in people)
    assert any(any(x in p for x in synth_harbor.PARTICLE_SURNAMES) for p in people)
    assert any(re.search(r"\w-\w", p) for p in people)
    assert any(w in synth_harbor.WORD_FIRST or w in synth_harbor.WORD_LAST for p in people for w in p.split())
    places = values["LOCATION"]
    assert any(p.islower() for p in places) and any(" " not in p for p in places)
    assert any(re.search(r"\b\d{5} \w", p) for p in places) and any("º" in p for p in places)
    assert any(re.fullmatch(r"(Apt|Suite|Unit) \w+|Flat \d+", p) for p in places)
    assert any(
        all(t[a.end : b.start] == "\n" and a.entity == b.entity == "LOCATION" for a, b in itertools.pairwise(spans[i : i + 3]))
        for t, spans, *_ in big
        for i in range(len(spans) - 2)
    )
    phones = values["PHONE_NUMBER"]
    assert any(p.startswith("+49") for p in phones) and any(p.startswith("+33") for p in phones)
    assert any(re.fullmatch(r"\+\d{11,13}", p) for p in phones) and any(" x" in p for p in phones)
    cards = values["CREDIT_CARD"]
    assert any("-" in c for c in cards) and any(" " in c for c in cards) and any(c.isdigit() for c in cards)
    assert any(re.fullmatch(r"3[47]\d\d \d{6} \d{5}", c) for c in cards)
    ibans = values["IBAN"]
    assert {i[:2] for i in ibans} >= {"DE", "GB", "FR", "ES", "IE", "NL", "IT", "AT", "CH", "BE"}
    assert any(" " in i for i in ibans) and any(" " not in i for i in ibans)
    assert any(":" in ip for ip in values["IP_ADDRESS"]) and any("." in ip for ip in values["IP_ADDRESS"])
    births = values["DATE_OF_BIRTH"]
    assert any(_TWO_DIGIT_YEAR.fullmatch(b) for b in births) and any(re.fullmatch(r"\d{4}-\d\d-\d\d", b) for b in births)
    assert any(" de " in b for b in births) and any(re.search(r"\d\. [A-ZÄ]\w+ \d{4}", b) for b in births)
    assert any(re.search(r"[a-zéû]{3,} \d{4}$", b) and " de " not in b for b in births)  # French or English month
    secrets = values["SECRET"]
    assert any(s.startswith("-----BEGIN") and "\n" in s for s in secrets)
    assert any(s.startswith("-----BEGIN") and "\\n" in s for s in secrets)
    assert any(s.startswith("eyJ") and s.count(".") == 2 for s in secrets)
    assert any(s.startswith(("AKIA", "ghp_", "glpat-", "sk_live_", "xox", "AIza", "SG.", "npm_", "sk-proj-")) for s in secrets)
    assert any("://" in s and "@" in s for s in secrets)
    births_after = collections.Counter(
        t[: s.start].rsplit("\n", 1)[-1] for t, spans, *_ in big for s in spans if s.entity == "DATE_OF_BIRTH"
    )
    assert births_after["geb. am "] and births_after["Geburtsdatum: "] and births_after["Date de naissance : "]
    assert births_after["Fecha de nacimiento: "] and births_after["BDAY:"]


# ---- distractors ------------------------------------------------------------------------------------


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    assert check_unlabeled_card_runs_fail_luhn(big) > 100


def test_distractor_slots_never_label_and_fail_their_checks():
    fakers = synth.make_fakers(5, DEFAULT_LOCALE_MIX)
    extra = synth.make_fakers(6, synth_harbor.EXTRA_NAME_LOCALES)
    values = synth_harbor.HarborValues(fakers, extra, random.Random(5), "any")
    for loc in LOCALES:
        for _ in range(200):
            bad = values.miss("bad_iban", loc)
            assert mod97(bad) != 1 and not iban_ok(bad)
            for slot in ("bad_card", "chip", "eticket"):
                digits = re.sub(r"\D", "", values.miss(slot, loc))
                assert 12 <= len(digits) <= 19 and not luhn_ok(digits), (slot, digits)
            assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", values.miss("version", loc))


def test_distractors_appear_and_stay_unlabeled(big):
    h = synth_harbor

    def alt(names) -> str:
        return "|".join(re.escape(n) for n in names)

    patterns = {
        "brand": alt(h.BRANDS),
        "hotel": alt(h.HOTELS),
        "pet": r"(?<=Patient: )(" + alt(h.PETS) + ")",
        "street product": alt(h.STREET_PRODUCTS),
        "drug": alt(h.DRUGS),
        "airline": alt(h.AIRLINES),
        "bic": r"BIC " + "(" + alt(h.BICS) + ")",
        "sort code": r"sort code \d\d-\d\d-\d\d",
        "ndc": r"NDC \d{5}-\d{4}-\d\d",
        "vin": r"VIN [A-Z0-9]{17}",
        "ein": r"EIN \d\d-\d{7}",
        "mrz": r"P<[A-Z<]{40,}",
        "version": r"(curl/|v|runner |\"app_version\": \")\d+\.\d+\.\d+\.\d+\b",
        "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "lab range": r"\(ref\. [^)]+\)",
        "microchip": r"(Microchip|Chipnummer|Puce électronique) \d{15}",
        "container": r"[A-Z]{3}U \d{6} \d",
        "expiry": r"(exp|Exp|expires) \d\d/\d\d",
        "timecode": r"\d\d:\d\d:\d\d,\d{3} --> ",
    }
    # a distractor may sit inside a labeled URL or credential, never be labeled itself
    check_distractors(big, patterns, inside=("SECRET", "URL"))


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    skip = {t.upper() for ts in synth_harbor.TITLES.values() for t in ts for t in t.split()}
    skip |= {s.upper() for s in synth_harbor.SUFFIXES}
    check_unseen_names(
        _posts(500, seed=3, name_pool="unseen"),
        lambda name: [
            w for w in re.split(r"[\s,/\-']+", name) if w and w.upper() not in skip and not re.fullmatch(r"(\w\.)+", w)
        ],
        least=300,
    )


# ---- the templates ----------------------------------------------------------------------------------


def _banks() -> list[dict]:
    return list(synth_harbor.HARBOR_EN.values()) + [
        b for by_style in synth_harbor.HARBOR_LOCAL.values() for b in by_style.values()
    ]


def _upper(template: str) -> list[str]:
    return [m[1] for m in synth_harbor.SLOT.finditer(template) if m[1][0].isupper()]


def test_templates_label_only_their_own_entity_and_every_slot_fills():
    fakers = synth.make_fakers(4, DEFAULT_LOCALE_MIX)
    extra = synth.make_fakers(5, synth_harbor.EXTRA_NAME_LOCALES)
    values = synth_harbor.HarborValues(fakers, extra, random.Random(4), "any")
    for bank in _banks():
        assert set(bank["pii"]) <= set(FAMILY_ENTITIES) and len(bank["pii"]) >= 5 and bank["miss"]
        for entity, templates in bank["pii"].items():
            for t in templates:
                assert _upper(t) and set(_upper(t)) == {entity}, t
        no_pii = bank["miss"] + bank["topic"] + bank["head"] + bank["foot"] + bank.get("assistant", [])
        for t in no_pii:
            assert not _upper(t), t
        assert all("{topic}" in t for t in bank["topic"])
        for loc in LOCALES:
            for t in no_pii + [t for ts in bank["pii"].values() for t in ts]:
                out = PostWriter(by_line=ADDRESS_LINES)
                synth_harbor.fill(t, "a topic", values, loc, out)
                assert not synth_harbor.SLOT.search(out.text().replace("{topic}", "")), t
                assert len(out.spans) >= len(_upper(t))
    assert {e for b in synth_harbor.HARBOR_EN.values() for e in b["pii"]} == set(FAMILY_ENTITIES)


def test_templates_are_not_other_families_lines():
    def bare(t: str) -> str:
        return re.sub(r"[^a-zäöüßéèêàçñáíóú ]", "", re.sub(r"\{[^{}]*\}", "", t.lower())).strip()

    others = {bare(t) for t in template_strings(synth, synth_fresh, synth_sealed, synth_vault)}
    assert len(others) > 500
    ours = {bare(t) for b in _banks() for part in ("head", "topic", "miss", "foot") for t in b[part]}
    ours |= {bare(t) for b in _banks() for ts in b["pii"].values() for t in ts}
    sentences = {t for t in ours if len(t.split()) >= 4}
    assert len(sentences) > 150
    assert not sentences & others, sentences & others
