"""The harbor evaluation family: deterministic, exact gold spans of the right shape, every entity, style
and language, distractors without labels, and nothing taken from the clock."""

from __future__ import annotations

import collections
import itertools
import random
import re
from datetime import date, datetime

import pytest

from aircluster.privacy.detect.lexicon import is_held_out
from aircluster.privacy.entities import ENTITIES
from evals.pii import synth, synth_fresh, synth_harbor, synth_sealed, synth_vault
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_harbor import harbor_posts, harbor_posts_detailed
from evals.pii.templates import ADDRESS_LINES, PostWriter
from evals.pii.tests.formats import check_value, iban_ok, luhn_ok, mod97

LOCALES = [loc for loc, _ in DEFAULT_LOCALE_MIX]
Post = tuple[str, list[synth.Span], int, str, str, str]
_TWO_DIGIT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")
_CARD_LENGTH = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")


def _posts(n: int, seed: int, **kw) -> list[tuple[str, list[synth.Span], int, str]]:
    args = {"locale_mix": DEFAULT_LOCALE_MIX, "name_pool": "any", "pii_rate": 0.75, "weights": None} | kw
    return list(harbor_posts(n, seed, **args))


@pytest.fixture(scope="module")
def big() -> list[Post]:
    """2000 posts with their style and language."""
    return list(harbor_posts_detailed(2000, 43, DEFAULT_LOCALE_MIX, "any", 0.75, None))


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
    first = list(generate_posts(80, seed=5, template_set="harbor"))
    assert first == list(generate_posts(80, seed=5, template_set="harbor"))
    assert first != list(generate_posts(80, seed=6, template_set="harbor"))
    for other in ("tuning", "blind", "vault"):
        assert first != list(generate_posts(80, seed=5, template_set=other))
    assert first == [(t, s) for t, s, _, _ in _posts(80, seed=5)]
    assert _posts(80, seed=5) == [p[:4] for p in harbor_posts_detailed(80, 5, DEFAULT_LOCALE_MIX, "any", 0.75, None)]
    unseen = list(generate_posts(40, seed=5, name_pool="unseen", template_set="harbor"))
    assert unseen == list(generate_posts(40, seed=5, name_pool="unseen", template_set="harbor"))
    assert unseen != first[:40]


def test_registered_in_synth():
    assert "harbor" in synth.TEMPLATE_SETS
    records = list(synth.labeled_posts(20, 3, DEFAULT_LOCALE_MIX, "any", 0.75, None, template_set="harbor"))
    assert records == _posts(20, seed=3)
    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="harbor2"))
    with pytest.raises(ValueError):
        _posts(1, seed=1, name_pool="famous")


def test_harbor_family_does_not_follow_the_clock(monkeypatch):
    before = _posts(300, seed=8, pii_rate=1.0)
    import faker.providers.date_time as faker_dates

    class AnyInstance(type):
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

    blind_before = list(generate_posts(100, seed=9, pii_rate=1.0, template_set="blind"))
    monkeypatch.setattr(faker_dates, "dtdate", OldDate)
    monkeypatch.setattr(faker_dates, "datetime", OldDatetime)
    # the patch works: the blind family draws birth dates relative to today and moves with it
    assert list(generate_posts(100, seed=9, pii_rate=1.0, template_set="blind")) != blind_before
    assert _posts(300, seed=8, pii_rate=1.0) == before
    import time
    monkeypatch.setattr(time, "time", lambda: 0.0)
    assert _posts(300, seed=8, pii_rate=1.0) == before


def test_no_relative_faker_dates_in_the_source():
    import inspect
    source = inspect.getsource(synth_harbor)
    for method in ("date_of_birth", "date_between", "date_this_year", "past_date", "future_date", "date_time_between",
                   "date_time", "now", "today", "time", "date_object", "year"):
        assert not re.search(rf"\.{method}\(", source), method


# ---- gold spans ---------------------------------------------------------------------------------------

def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc, _, _ in big:
        assert 0 <= label < len(synth.TOPICS) and loc in LOCALES
        for s in spans:
            assert s.entity in ENTITIES
            assert 0 <= s.start < s.end <= len(text)
            value = text[s.start:s.end]
            assert value and value.strip() == value, (value, text)
            assert s.start == 0 or not text[s.start - 1].isalnum(), (value, text)
            assert s.end == len(text) or not text[s.end].isalnum(), (value, text)
            assert value[0] not in "\"'`@<[{" and value[-1] not in "\"'`,;:>)]}", (value, text)
            assert value[0] != "(" or s.entity == "PHONE_NUMBER", (value, text)      # "(212) 555-0147"
            assert value[0] != "+" or s.entity == "PHONE_NUMBER", (value, text)
            for opener, closer in ("()", "[]", "{}", "<>"):
                assert value.count(opener) == value.count(closer), (value, text)
            assert not value.endswith("'s") and not value.startswith(("mailto:", "Bearer ", "password=", "session=")), value
            assert "\n" not in value or s.entity == "SECRET", (value, text)
            _check(s.entity, value)
        assert sorted(spans, key=lambda s: s.start) == spans
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_each_span_is_exactly_a_value_drawn_for_it(monkeypatch):
    log: list[tuple[str, str]] = []
    draw = synth_harbor.HarborValues.draw

    def logged(self, slot: str, shape: str, loc: str):
        entity, text = draw(self, slot, shape, loc)
        if entity is not None:
            log.append((entity, text))
        return entity, text

    monkeypatch.setattr(synth_harbor.HarborValues, "draw", logged)
    checked = 0
    for text, spans, *_ in harbor_posts_detailed(400, 17, DEFAULT_LOCALE_MIX, "any", 0.9, None):
        drawn, log[:] = list(log), []
        expected = [(e, line) for e, t in drawn for line in (t.split("\n") if e == "LOCATION" else [t])]
        assert [(s.entity, text[s.start:s.end]) for s in spans] == expected, text
        checked += len(expected)
    assert checked > 1000


def test_every_url_and_mailbox_in_the_text_is_labeled(big):
    # the only e-mail-shaped strings left unlabeled are Message-IDs (not mailboxes, see the docstring)
    for text, spans, *_ in big:
        for pattern in (r"https?://\S+", r"[\w.+-]+@[\w-]+\.[\w.]+"):
            for m in re.finditer(pattern, text):
                if not any(s.start < m.end() and m.start() < s.end for s in spans):
                    assert text[:m.start()].endswith("Message-ID: <"), (m.group(), text)


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
    counts = collections.Counter(s.entity for _, spans, *_ in big for s in spans)
    assert all(counts[e] >= 50 for e in ENTITIES), counts
    assert {loc for _, _, _, loc, _, _ in big} == set(LOCALES)
    styles = collections.Counter(style for *_, style, _ in big)
    assert set(styles) == set(synth_harbor.HARBOR_STYLES) and len(styles) >= 20
    assert all(c >= 40 for c in styles.values()), styles
    langs = collections.Counter(lang for *_, lang in big)
    assert set(langs) == {"en", "de", "fr", "es"}
    assert 0.12 <= (len(big) - langs["en"]) / len(big) <= 0.30, langs
    local = collections.Counter((lang, style) for *_, style, lang in big if lang != "en")
    assert set(local) == {(lang, s) for lang in ("de", "fr", "es") for s in synth_harbor.LOCAL_STYLES}
    for text, _, _, loc, style, lang in big:
        if lang != "en":
            assert loc.startswith(lang) and style in synth_harbor.LOCAL_STYLES
    markers = {
        "hotel": r"GUEST REGISTRATION|Registration card|Guest registration", "rx": r"eRx|PHARMACY LABEL|Prescription record",
        "lab": r"LABORATORY REPORT|Pathology results|LAB RESULTS", "statement": r"STATEMENT|Statement of account|Transactions export",
        "payslip": r"PAYSLIP|Earnings statement|PAY ADVICE", "taxform": r"^Form (W-2|1099)",
        "loan": r"MORTGAGE APPLICATION|loan application|Loan Application", "rental": r"RENTAL AGREEMENT|rental contract|Car hire",
        "fine": r"PENALTY CHARGE|TRAFFIC VIOLATION|Parking fine", "utility": r"energy bill|METER READING|Water services",
        "vet": r"VETERINARY|Patient card|Vaccination", "curl": r"^(\$ curl|\* Host)", "ci": r"gitlab-runner|##\[group\]|Started by",
        "headers": r"(?i)forwarded|Original Message", "vcard": r"^BEGIN:VCARD", "chatbot": r"\nUser: ",
        "srt": r"^1\n\d\d:\d\d:\d\d,\d{3} --> ", "press": r"RELEASE", "offer": r"REFERENCE|Offer of employment|Re: reference",
        "idscan": r"\nP<[A-Z<]{3}[A-Z]", "customs": r"CN23|MANIFEST|Commercial invoice", "notice": r"LOST|WATCH|FOUND",
        "payload": r"\n\{\n  \"",
        "yaml": r"^(# |--- )[^\n]*\n(- kind: customer|user:)\n  \w",
    }
    assert set(markers) == set(styles)
    for text, _, _, _, style, lang in big:
        if lang == "en":
            assert re.search(markers[style], text), (style, text)


def test_value_shapes_are_varied(big):
    values: dict[str, list[str]] = collections.defaultdict(list)
    for text, spans, *_ in big:
        for s in spans:
            values[s.entity].append(text[s.start:s.end])
    people = values["PERSON"]
    assert any(p.isupper() and " " in p for p in people) and any(p.islower() for p in people)
    assert any(re.fullmatch(r"[A-ZÄÖÜ'’ -]+, \w.*", p) for p in people)              # "SURNAME, Given"
    assert any(re.match(r"(\w\.)+ \w", p) for p in people)                          # initials
    assert any(p.startswith(("Herr ", "Frau ", "Mme ", "M. ", "Sra. ", "Dña. ", "Mx ")) for p in people)
    assert any(p.endswith(("Jr.", "III")) for p in people)
    assert any(any(x in p for x in synth_harbor.PARTICLE_SURNAMES) for p in people)
    assert any(re.search(r"\w-\w", p) for p in people)
    assert any(w in synth_harbor.WORD_FIRST or w in synth_harbor.WORD_LAST for p in people for w in p.split())
    places = values["LOCATION"]
    assert any(p.islower() for p in places) and any(" " not in p for p in places)
    assert any(re.search(r"\b\d{5} \w", p) for p in places) and any("º" in p for p in places)
    assert any(re.fullmatch(r"(Apt|Suite|Unit) \w+|Flat \d+", p) for p in places)
    assert any(all(t[a.end:b.start] == "\n" and a.entity == b.entity == "LOCATION" for a, b in itertools.pairwise(spans[i:i + 3]))
               for t, spans, *_ in big for i in range(len(spans) - 2))
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
    assert any(re.search(r"[a-zéû]{3,} \d{4}$", b) and " de " not in b for b in births)   # French or English month
    secrets = values["SECRET"]
    assert any(s.startswith("-----BEGIN") and "\n" in s for s in secrets)
    assert any(s.startswith("-----BEGIN") and "\\n" in s for s in secrets)
    assert any(s.startswith("eyJ") and s.count(".") == 2 for s in secrets)
    assert any(s.startswith(("AKIA", "ghp_", "glpat-", "sk_live_", "xox", "AIza", "SG.", "npm_", "sk-proj-")) for s in secrets)
    assert any("://" in s and "@" in s for s in secrets)
    births_after = collections.Counter(t[:s.start].rsplit("\n", 1)[-1] for t, spans, *_ in big for s in spans
                                       if s.entity == "DATE_OF_BIRTH")
    assert births_after["geb. am "] and births_after["Geburtsdatum: "] and births_after["Date de naissance : "]
    assert births_after["Fecha de nacimiento: "] and births_after["BDAY:"]


# ---- distractors ------------------------------------------------------------------------------------

def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    seen = 0
    for text, spans, *_ in big:
        for m in _CARD_LENGTH.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            seen += 1
            assert not luhn_ok(re.sub(r"\D", "", m.group())), (m.group(), text)
    assert seen > 100


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
        "brand": alt(h._BRANDS), "hotel": alt(h._HOTELS), "pet": r"(?<=Patient: )(" + alt(h._PETS) + ")",
        "street product": alt(h._STREET_PRODUCTS), "drug": alt(h._DRUGS), "airline": alt(h._AIRLINES),
        "bic": r"BIC " + "(" + alt(h._BICS) + ")", "sort code": r"sort code \d\d-\d\d-\d\d", "ndc": r"NDC \d{5}-\d{4}-\d\d",
        "vin": r"VIN [A-Z0-9]{17}", "ein": r"EIN \d\d-\d{7}", "mrz": r"P<[A-Z<]{40,}", "version": r"(curl/|v|runner |\"app_version\": \")\d+\.\d+\.\d+\.\d+\b",
        "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "lab range": r"\(ref\. [^)]+\)",
        "microchip": r"(Microchip|Chipnummer|Puce électronique) \d{15}", "container": r"[A-Z]{3}U \d{6} \d",
        "expiry": r"(exp|Exp|expires) \d\d/\d\d", "timecode": r"\d\d:\d\d:\d\d,\d{3} --> ",
    }
    seen = set()
    for text, spans, *_ in big:
        for name, pattern in patterns.items():
            for m in re.finditer(pattern, text):
                seen.add(name)
                for s in spans:
                    if s.start < m.end() and m.start() < s.end:
                        # a distractor may sit inside a labeled URL or credential, never be labeled itself
                        assert s.entity in ("SECRET", "URL") and s.start <= m.start() and m.end() <= s.end, (name, text)
    assert seen == set(patterns), set(patterns) - seen


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    skip = {t.upper() for ts in synth_harbor.TITLES.values() for t in ts for t in t.split()}
    skip |= {s.upper() for s in synth_harbor.SUFFIXES}
    words = []
    for text, spans, _, _ in _posts(500, seed=3, name_pool="unseen"):
        for s in spans:
            if s.entity == "PERSON":
                for w in re.split(r"[\s,/\-']+", text[s.start:s.end]):
                    if w and w.upper() not in skip and not re.fullmatch(r"(\w\.)+", w):
                        words.append(w)
    assert len(words) > 300
    assert all(is_held_out(w) for w in words), [w for w in words if not is_held_out(w)][:10]


# ---- the templates ----------------------------------------------------------------------------------

def _banks() -> list[dict]:
    return list(synth_harbor.HARBOR_EN.values()) + [b for by_style in synth_harbor.HARBOR_LOCAL.values()
                                                    for b in by_style.values()]


def _upper(template: str) -> list[str]:
    return [m[1] for m in synth_harbor.SLOT.finditer(template) if m[1][0].isupper()]


def test_templates_label_only_their_own_entity_and_every_slot_fills():
    fakers = synth.make_fakers(4, DEFAULT_LOCALE_MIX)
    extra = synth.make_fakers(5, synth_harbor.EXTRA_NAME_LOCALES)
    values = synth_harbor.HarborValues(fakers, extra, random.Random(4), "any")
    for bank in _banks():
        assert set(bank["pii"]) <= set(ENTITIES) and len(bank["pii"]) >= 5 and bank["miss"]
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
    assert {e for b in synth_harbor.HARBOR_EN.values() for e in b["pii"]} == set(ENTITIES)


def test_templates_are_not_other_families_lines():
    def bare(t: str) -> str:
        return re.sub(r"[^a-zäöüßéèêàçñáíóú ]", "", re.sub(r"\{[^{}]*\}", "", t.lower())).strip()

    others: set[str] = set()
    for module in (synth, synth_fresh, synth_sealed, synth_vault):
        for name in dir(module):
            if not name.isupper() or name.startswith("_"):
                continue
            stack = [getattr(module, name)]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    stack.extend(item.values())
                elif isinstance(item, (list, tuple)):
                    stack.extend(item)
                elif isinstance(item, str):
                    others.add(bare(item))
    assert len(others) > 500
    ours = {bare(t) for b in _banks() for part in ("head", "topic", "miss", "foot") for t in b[part]}
    ours |= {bare(t) for b in _banks() for ts in b["pii"].values() for t in ts}
    sentences = {t for t in ours if len(t.split()) >= 4}
    assert len(sentences) > 150
    assert not sentences & others, sentences & others
