"""The vault evaluation family: deterministic, exact gold spans of the right shape, every entity, style,
locale and language, distractors without labels, sentences of its own, and nothing taken from the clock."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from evals.pii import synth, synth_fresh, synth_sealed, synth_vault
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX, generate_posts
from evals.pii.synth_vault import vault_posts, vault_posts_detailed
from evals.pii.templates import ADDRESS_LINES, Fixed, PostWriter
from evals.pii.tests.family_checks import (
    CARD_RUN,
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
from evals.pii.tests.formats import check_value, iban_ok, luhn_ok, mod97, parse_birth_date

Post = tuple[str, list[synth.Span], int, str, str, str]


_posts = posts_of(vault_posts)
_detailed = posts_of(vault_posts_detailed)


@pytest.fixture(scope="module")
def big() -> list[Post]:
    """2000 posts with their style and language."""
    return _detailed(2000, seed=43)


# ---- determinism and the clock -----------------------------------------------------------------------


def test_same_seed_same_posts_other_seed_or_family_other_posts():
    check_deterministic("vault", _posts, others=("tuning", "heldout", "blind", "fresh", "sealed"), detailed=_detailed)


def test_vault_family_does_not_follow_the_clock(monkeypatch):
    check_ignores_the_clock(monkeypatch, lambda: _posts(300, seed=8, pii_rate=0.0) + _posts(300, seed=9, pii_rate=1.0))


# ---- gold spans --------------------------------------------------------------------------------------

_MARKERS = "¹²³⁴⁵*†‡"  # affiliation markers glued to an author's name


def test_spans_are_exact_ordered_and_of_the_right_shape(big):
    for text, spans, label, loc, _, _ in big:
        for s, value in span_values(text, spans, label, loc, glued_after=_MARKERS):
            # never the quotes, brackets, mention signs or prefixes around a value
            assert value[0] not in "\"'`@" and value[-1] not in "\"'`,;:", (value, text)
            assert value[0] != "+" or s.entity == "PHONE_NUMBER", (value, text)
            for opener, closer in ("()", "[]", "{}", "<>"):  # a bracket only with its partner, as in "(917) 555-0100"
                assert value.count(opener) == value.count(closer), (value, text)
            assert not value.endswith("'s") and not value.startswith(("mailto:", "Bearer ", "password=")), value
            check_value(s.entity, value, born=(1850, 2020))


def test_each_span_is_exactly_the_value_drawn_for_it(monkeypatch):
    """Log every value the generator draws and check the spans cover exactly those values, in order
    (values drawn once per post, such as a call agent's name, are the only other spans)."""
    log: list[tuple[str, str]] = []
    draw = synth_vault.VaultValues.draw

    def logged(self, slot: str, loc: str):
        entity, text = draw(self, slot, loc)
        if entity is not None:
            log.append((entity, text))
        return entity, text

    monkeypatch.setattr(synth_vault.VaultValues, "draw", logged)
    checked = 0
    for text, spans, _, _, style, _ in vault_posts_detailed(400, 17, DEFAULT_LOCALE_MIX, "any", 0.9, None):
        drawn, log[:] = list(log), []
        if style in ("sql", "calendar"):  # values with a quote or comma are drawn again there
            continue
        expected = [(e, line) for e, t in drawn for line in (t.split("\n") if e == "LOCATION" else [t])]
        got = [(s.entity, text[s.start : s.end]) for s in spans]
        it = iter(got)
        assert all(any(g == x for g in it) for x in expected), (expected, got)
        assert len(got) - len(expected) <= 6 and all(e == "PERSON" for e, _ in set(got) - set(expected))
        checked += len(expected)
    assert checked > 1000


def test_no_pii_with_zero_rate_outside_the_framing():
    # with pii_rate=0 only the framing (agents, signatures, authors, commenters) may carry spans
    for text, spans, _, _, style, _ in vault_posts_detailed(400, 12, DEFAULT_LOCALE_MIX, "any", 0.0, None):
        if style in ("property", "sql", "receipt", "obituary", "genealogy", "paper"):
            assert spans == [], text


def test_every_entity_style_locale_and_language_appears(big):
    styles = {s for s, _ in synth_vault.VAULT_STYLES}
    assert len(styles) >= 12
    check_styles_and_languages(big, styles, synth_vault.LOCAL_STYLES)
    markers = {
        "call": r"^(CALL TRANSCRIPT · |Recording CL-|speech-to-text export)[^\n]*\n\[\d\d:\d\d:\d\d\] agent: ",
        "clinic": r"^(.* · Outpatient appointment letter|REFERRAL — |Clinic letter, dictated )",
        "incident": r"^(INCIDENT REPORT|Court listing — |Summary of occurrence )",
        "dispute": r"^(Subject: Dispute of card|TRANSACTION DISPUTE FORM|To the Disputes Team,)",
        "property": r"^(FOR SALE · |Viewing notes — |Listing )",
        "rsvp": r"^(RSVP list — |Guest replies |Wedding of )",
        "roster": r"^(Volunteer roster — |ROTA )[^\n]*\n\w+\t\w+\t",
        "podcast": r"^(Episode \d+: |.* — Ep\. |SHOW NOTES · )",
        "order": r"^(Your order |Order confirmation · |Thanks for your order!)",
        "expense": r"^(EXPENSE REPORT|Expense claim|Travel & expenses)",
        "comments": r"^(Comments on \"|Document: |Suggested edits · )",
        "calendar": r"^(Invitation: |Updated invitation: |New event: )",
        "commit": r"^(commit [0-9a-f]{40}\nAuthor: |Review of PR #|From [0-9a-f]{40} )",
        "sql": r"^(-- dump of `|-- exported from |BEGIN;)",
        "receipt": r"^(\[OCR scan|SCANNED RECEIPT|--- ocr output)",
        "obituary": r"^(DEATHS|ANNOUNCEMENTS|In loving memory|Obituary)",
        "genealogy": r"^(Family tree notes|Research log · |0 @I\d+@ INDI)",
        "paper": r"^(" + "|".join(synth_vault.PAPER_TITLES) + r"|Preprint · arXiv:|Accepted at )",
        "membership": r"^(MEMBERSHIP APPLICATION|.* · new member form|Renewal form )",
    }
    check_markers(big, markers, styles)

    check_local_posts_use_their_language(
        big,
        words_of(t for b in synth_vault.VAULT_EN.values() for t in bank_lines(b)),
        {
            lang: words_of(t for b in by_style.values() for t in bank_lines(b))
            for lang, by_style in synth_vault.VAULT_LOCAL.items()
        },
    )


def test_people_and_places_come_in_many_shapes(big):
    values: dict[str, list[str]] = {e: [] for e in FAMILY_ENTITIES}
    for text, spans, *_ in big:
        for s in spans:
            values[s.entity].append(text[s.start : s.end])
    people = values["PERSON"]
    assert any(p.islower() and " " in p for p in people) and any(p.isupper() and " " in p for p in people)
    assert any(re.fullmatch(r"\w+ [A-ZÄÖÜÉ'\-]{3,}", p) for p in people)  # "Rose OKAFOR"
    assert any(re.search(r"(,? (Jr\.|Sr\.|II|III|IV))$", p) for p in people)  # suffixes
    assert any(re.search(r"\b(van der|von|de la|del|du|ter|zu) \w", p) for p in people)  # particles
    assert any("'" in p for p in people) and any("-" in p.split()[-1] for p in people if " " in p)
    assert any(re.match(r"(PC|DC|Sgt\.?|Det\. Sgt\.|DI|Officer|Inspector|Constable) ", p) for p in people)
    assert any(p.startswith(("Dr. med. ", "Prof. Dr. ", "Pr ", "Dra. ")) for p in people)
    assert any(re.fullmatch(r"[\w'\- ]+, \w\.( \w\.)?", p) for p in people)  # APA "Okafor, R. A."
    assert any(re.fullmatch(r"\w\. \w\. [\w'\- ]+", p) for p in people)  # "R. A. Okafor"
    word_names = {w for pair in synth_sealed.WORD_NAMES.values() for ws in pair for w in ws}
    assert sum(any(w in word_names for w in p.split()) for p in people) >= 50
    # names in lists: "A, B and C" and "A & B" with every name its own span
    assert any(
        re.search(r"\w, \w[^,\n]* (and|y|et|und) \w", t[a.start : c.end]) and a.entity == b.entity == c.entity == "PERSON"
        for t, spans, *_ in big
        for a, b, c in zip(spans, spans[1:], spans[2:])
    )
    # maiden names after "née" / "geb." are their own PERSON span
    assert any(t[: s.start].endswith(("née ", "geb. ")) for t, spans, *_ in big for s in spans if s.entity == "PERSON")
    mentions = [t for t, spans, *_ in big for s in spans if s.entity == "PERSON" and t[s.start - 1 : s.start] == "@"]
    assert len(mentions) >= 5
    places = values["LOCATION"]
    assert any(re.search(r"\b\d{5} [A-ZÄÖÜ]", p) for p in places) and any("º" in p for p in places)
    assert any(" " not in p for p in places) and any(p.islower() for p in places) and any(p.isupper() for p in places)
    assert any(re.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}", p) for p in places)  # a UK postcode line
    assert any(re.fullmatch(r"(Apt|Suite|Unit) \w+|Flat \d+", p) for p in places)  # a unit line
    assert any(p.split(",")[0] in synth_vault.HOUSE_NAMES for p in places)  # "Rose Cottage"
    region_pairs = {f"{town}, {region}" for pairs in synth_vault.TOWN_REGION.values() for town, region in pairs}
    assert any(p in region_pairs for p in places)
    regions = {r for rs in synth_vault.REGIONS.values() for r in rs}
    assert any(p in regions for p in places)
    assert any(
        re.search(r"(Heinrich-Heine-Allee|Calle Cervantes|rue Pasteur|Martin Luther King Jr Blvd|avenue Jean Moulin)", p)
        for p in places
    )  # streets named after people
    # an address over three or more lines is one span per line, the lines consecutive
    assert any(
        all(t[a.end : b.start] == "\n" for a, b in itertools.pairwise(spans[i : i + 3]))
        and all(s.entity == "LOCATION" for s in spans[i : i + 3])
        for t, spans, *_ in big
        for i in range(len(spans) - 2)
    )
    # places after prepositions
    assert any(
        t[: s.start].lower().endswith(("out near ", "back in ", "back to "))
        for t, spans, *_ in big
        for s in spans
        if s.entity == "LOCATION"
    )
    births = values["DATE_OF_BIRTH"]
    assert any(re.fullmatch(r"\d{1,2} [A-Z]{3} \d{4}", b) for b in births)  # GEDCOM
    assert any(parse_birth_date(b).year < 1900 for b in births) and any(parse_birth_date(b).year >= 2012 for b in births)
    assert any(" de " in b for b in births) and any(re.search(r"\d\. [A-ZÄ]\w+ \d{4}", b) for b in births)
    assert any(s.startswith("https://") and "pwd=" in s for s in values["SECRET"])
    assert any(u.startswith("https://doi.org/10.") for u in values["URL"])
    assert any(u.startswith("https://maps.google.com/") for u in values["URL"])
    # values inside SQL strings, ICS fields and tab-separated rows stand between their delimiters
    assert any(t[s.start - 1 : s.start] == t[s.end : s.end + 1] == "'" for t, spans, *_ in big for s in spans)
    assert any(t[s.start - 1 : s.start] == t[s.end : s.end + 1] == "\t" for t, spans, *_ in big for s in spans)
    assert any(t[: s.start].endswith("CN=") for t, spans, *_ in big for s in spans if s.entity == "PERSON")
    assert any(t[: s.start].endswith("mailto:") for t, spans, *_ in big for s in spans if s.entity == "EMAIL_ADDRESS")


def test_unseen_name_pool_draws_names_the_word_lists_leave_out():
    titles = {t.upper() for ts in synth_fresh.TITLES.values() for t in ts} | set(synth_sealed.PNR_TITLES)
    titles |= {w.upper() for w in synth_vault.NON_NAME_WORDS}
    check_unseen_names(
        _posts(500, seed=3, name_pool="unseen"),
        lambda name: [
            w for w in re.split(r"[\s,/\-]+", name) if w and w.upper() not in titles and not re.fullmatch(r"(\w\.)+", w)
        ],
        least=300,
    )


# ---- distractors -------------------------------------------------------------------------------------


def test_distractors_appear_in_posts_and_stay_unlabeled(big):
    v = synth_vault

    def alt(names) -> str:
        return "|".join(re.escape(n) for n in names)

    patterns = {
        "eponymous disease": (
            r"Crohn's disease|Baker's cyst|Morbus Crohn|Baker-Zyste|Maladie de Parkinson"
            r"|enfermedad de Crohn|Epstein-Barr"
        ),
        "pet": r"(?<=my dog )(" + alt(v.PETS) + ")",
        "tv show": alt(v.TV_SHOWS),
        "song": "'(" + alt(v.SONGS) + ")'",
        "band": alt(v.BANDS),
        "brand": alt(v.NAME_BRANDS),
        "podcast": alt(v.PODCASTS),
        "promo": alt(v.PROMOS),
        "team": alt(v.CITY_TEAMS),
        "pub": alt(v.PUBS),
        "church": alt(v.CHURCHES),
        "institute": alt(v.INSTITUTES),
        "university": alt(u for us in v.UNIVERSITIES.values() for u in us),
        "time zone": alt(v.TIME_ZONES),
        "merchant": alt(v.MERCHANTS),
        "club": alt(v.CLUBS),
        "funeral home": alt(v.FUNERAL_HOMES),
        "icd10": r"(ICD-10|CIM-10|CIE-10) ?: [A-Z]\d\d(\.\d+)?",
        "mrn": r"Hospital no\. RX\d{7}",
        "orcid": r"ORCID: \d{4}-\d{4}-\d{4}-\d{3}[\dX]",
        "doi": r"DOI: 10\.\d+/\S+",
        "arxiv": r"arXiv:\d{4}\.\d{5}",
        "rf ref": r"RF\d\d( [A-Z0-9]{1,4})+",
        "arn": r"ARN \d{23}",
        "dbs": r"DBS certificate \d{12}",
        "change-id": r"Change-Id: I[0-9a-f]{40}",
        "ics time": r"DTSTART\S*:\d{8}T\d{6}",
        "plate": r"Vehicle reg \S+( \S+)?",
        "court case": r"\d{4}-CR-\d{6}",
        "gedcom death": r"1 (DEAT|MARR)\n2 DATE \d{1,2} [A-Z]{3} \d{4}",
        "name-words": r"Will do\.|Mark as resolved|Mark as filled|Grace period|Hope to see you|Summer party",
        "masked card": r"\*{12}\d{4}|Card ending \d{4}|card ending \d{4}",
    }
    # a distractor may sit inside a labeled URL or credential link, never be labeled itself
    check_distractors(big, patterns, inside=("SECRET", "URL"))


def test_no_span_is_a_handle_or_a_name_of_something_else(big):
    v = synth_vault
    # single words ("Valerie", "Max") are also first names; the many-word names are names of things only
    things = {
        *v.TV_SHOWS,
        *v.SONGS,
        *v.BANDS,
        *v.NAME_BRANDS,
        *v.PODCASTS,
        *v.PROMOS,
        *v.CITY_TEAMS,
        *v.PUBS,
        *v.CHURCHES,
        *v.INSTITUTES,
        *v.CLUBS,
        *v.MERCHANTS,
        *v.TIME_ZONES,
        *v.VENUES,
        *v.AGENCIES,
        *(u for us in v.UNIVERSITIES.values() for u in us),
    }
    things = {t for t in things if " " in t}
    handle = re.compile("(" + "|".join(synth_sealed.HANDLES[0]) + ")[_.]?(" + "|".join(synth_sealed.HANDLES[1]) + r")\d+")
    handles = 0
    for text, spans, *_ in big:
        for m in handle.finditer(text):
            handles += 1
            # a handle is never labeled; it may sit inside a labeled profile link ("github.com/<handle>")
            for s in spans:
                if s.start < m.end() and m.start() < s.end:
                    assert s.entity in ("URL", "SECRET") and s.start <= m.start() and m.end() <= s.end, text
        for s in spans:
            value = text[s.start : s.end]
            assert value not in things and not handle.fullmatch(value), (value, text)
    assert handles >= 10


def test_card_length_numbers_outside_spans_fail_the_luhn_check(big):
    check_unlabeled_card_runs_fail_luhn(big)
    # the card-length distractor slots fail it on every draw; an RF reference passes its own check
    fakers = synth.make_fakers(5, DEFAULT_LOCALE_MIX)
    values = synth_vault.VaultValues(fakers, random.Random(5), "any")
    for _ in range(300):
        for slot in ("orcid", "dbs_no", "order_no"):
            entity, text = values.draw(slot, "en_US")
            assert entity is None
            for m in CARD_RUN.finditer(text):  # "0000-0002-1825-009X" holds no card-length number
                assert not luhn_ok(re.sub(r"\D", "", m.group())), text
        entity, ref = values.draw("rf_ref", "en_US")
        assert entity is None and ref.startswith("RF") and mod97(ref.replace(" ", "")) == 1 and not iban_ok(ref)


# ---- the templates themselves ------------------------------------------------------------------------


def _banks() -> list[dict]:
    return list(synth_vault.VAULT_EN.values()) + [b for by_style in synth_vault.VAULT_LOCAL.values() for b in by_style.values()]


def _frames() -> list[dict]:
    return list(synth_vault.VAULT_FRAMES.values()) + [
        fr for by_style in synth_vault.VAULT_LOCAL_FRAMES.values() for fr in by_style.values()
    ]


_UPPER_SLOT = re.compile(r"(?<!\{)\{(=?[A-Z]\w*(?:\.\w+)?(?:~\w+)?)\}")


def _no_pii_templates() -> list[str]:
    out = [t for b in _banks() for t in b["miss"]]
    out += [t for b in _banks() for ts in b["topic"].values() for t in ts]
    out += [t for fr in _frames() for part in fr.values() for t in part if not _UPPER_SLOT.search(t)]
    out += [t for ts in synth_vault.VAULT_GREETINGS.values() for t in ts if not _UPPER_SLOT.search(t)]
    return out + synth_vault.VAULT_AGENT_LINES[1:]


def _pii_templates() -> list[str]:
    out = [t for b in _banks() for ts in b["pii"].values() for t in ts]
    out += [t for fr in _frames() for part in fr.values() for t in part if _UPPER_SLOT.search(t)]
    out += [t for ts in synth_vault.VAULT_GREETINGS.values() for t in ts if _UPPER_SLOT.search(t)]
    return out + synth_vault.VAULT_AGENT_LINES[:1]


def test_near_misses_topics_and_framing_carry_no_gold_spans():
    fakers = synth.make_fakers(3, DEFAULT_LOCALE_MIX)
    values = synth_vault.VaultValues(fakers, random.Random(3), "any")
    templates = _no_pii_templates()
    assert len(templates) > 200
    for loc in LOCALES:
        for lang in ("en", loc[:2]) if loc[:2] in synth_vault.VAULT_LOCAL else ("en",):
            values.lang = lang
            for _ in range(3):  # several draws of every distractor slot
                for template in templates:
                    out = PostWriter(by_line=ADDRESS_LINES)
                    synth_vault.fill(template, values, loc, {}, out)
                    assert out.spans == [], template
                    assert not re.search(r"\{=?\w+(\.\w+)?\}", out.text()), template  # every slot filled


def test_every_pii_template_labels_each_of_its_slots():
    fakers = synth.make_fakers(4, DEFAULT_LOCALE_MIX)
    values = synth_vault.VaultValues(fakers, random.Random(4), "any")
    fixed: Fixed = {"=A": ("PERSON", "rose"), "=B": ("PERSON", "Rose Okafor")}
    for loc in LOCALES:
        for template in _pii_templates():
            out = PostWriter(by_line=ADDRESS_LINES)
            synth_vault.fill(template, values, loc, fixed, out)
            spans = out.spans
            upper = _UPPER_SLOT.findall(template)
            entities = [fixed[u][0] if u in fixed else u.split(".")[0].split("~")[0] for u in upper]
            # an address block is one span per line; every other slot is one span
            text = out.text()
            merged = [
                s.entity
                for i, s in enumerate(spans)
                if not (
                    i
                    and s.entity == spans[i - 1].entity == "LOCATION"
                    and "LOCATION.block" in template
                    and text[spans[i - 1].end : s.start] == "\n"
                )
            ]
            assert len(upper) >= 1 and merged == entities, (template, merged)


def test_templates_are_new_sentences():
    def bare(t: str) -> str:
        return re.sub(r"[^a-zäöüßéèêàçñáíóú ]", "", re.sub(r"\{=?\w+(\.\w+)?(~\w+)?\}", "", t.lower())).strip()

    others_raw = template_strings(synth, synth_fresh, synth_sealed)
    others = {bare(t) for t in others_raw} - {""}
    assert len(others) > 500  # the other families were found
    ours_raw = set(_no_pii_templates()) | set(_pii_templates())
    assert len(ours_raw) > 500
    ours = {bare(t) for t in ours_raw} - {""}
    # no sentence is shared, not even with other slots or punctuation; a bare field name such as
    # "Name:" is what every form says, so only the exact line must differ
    sentences = {t for t in ours if len(t.split()) >= 4}
    assert not sentences & others, sentences & others
    shared = {t for t in ours_raw & others_raw if re.sub(r"\{=?\w+(\.\w+)?\}", "", t).strip()}
    assert not shared, shared


def test_every_style_has_topics_for_every_topic_and_pii_lines():
    for bank in _banks():
        assert set(bank["topic"]) == set(synth.TOPICS)
        assert bank["miss"] and set(bank["pii"]) <= set(FAMILY_ENTITIES) and len(bank["pii"]) >= 6
    assert {e for b in _banks() for e in b["pii"]} == set(FAMILY_ENTITIES)
    assert {e for b in synth_vault.VAULT_EN.values() for e in b["pii"]} == set(FAMILY_ENTITIES)
    for lang, by_style in synth_vault.VAULT_LOCAL.items():
        assert set(by_style) == set(synth_vault.LOCAL_STYLES) == set(synth_vault.VAULT_LOCAL_FRAMES[lang])
    for template in set(_pii_templates()) | set(_no_pii_templates()):
        for slot in re.findall(r"(?<!\{)\{(=?\w+(?:\.\w+)?(?:~\w+)?)\}", template):
            head = slot.split(".")[0].split("~")[0]
            assert head in FAMILY_ENTITIES or head.islower() or head in ("=A", "=B"), (slot, template)


def test_the_vault_family_is_offered_after_the_others():
    assert synth.TEMPLATE_SETS[:6] == ("tuning", "heldout", "blind", "fresh", "sealed", "vault")
    with pytest.raises(ValueError):
        list(generate_posts(1, seed=1, template_set="vault2"))
