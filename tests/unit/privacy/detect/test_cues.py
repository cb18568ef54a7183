"""The one-pass cue search finds what the full regex scans found: each recognizer tried only where its cue
words start (or, for IP addresses, only on runs of address characters) gives the same matches, in the same
order, as the pattern run over the whole text, on a fixed sample of real-looking and generated texts."""

from __future__ import annotations

import random
import re

import pytest

from aircluster.privacy.detect import patterns as P
from aircluster.privacy.detect.cues import EVERYWHERE, Cues, anchored, run_starts

SAMPLE = [
    "password: Tr0ub4dor&3xyz and the api_key=AKIAIOSFODNN7EXAMPLEKEY123 for prod",
    "mysql -u root -pS3cretPass db; sshpass -p hunter22x ssh box; redis-cli -h h -a Xy9zAb12",
    "curl -u admin:Pa55word123 https://x.example.com --token abcDEF123456ghi",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop",
    "The PIN is 4921, my pass was Lantern2019! and the Wi-Fi password (for guests): Meadow1975*",
    "stripe_key = sk_live_4eC39HqLyjWDarjtT1zdp7dc, SIGNING_KEY: 9f8e7d6c5b4a3f2e1d0c9b8a, deployKey=Ab12Cd34Ef56Gh78Ij90",
    "sort_key = name; primary_key: id; monkey business; opinion piece on shipping keys",
    "a.very.long.dotted.prefix-with-words_and_more.and.more.and.more.and.even.more.stuff.password=Zz9yYx8wWv7u",
    "Anna was born on 12 March 1985 in Leeds; her birthday's 6 March. Née Hill, geb. Meyer (b. 1987-03-03).",
    "Jean-Luc, né(e) le 3 mai 1979; ne (e) 1980; nacida el 2 de diciembre de 1952; BIRT 1901; turning 45 on 3 April",
    "server 10.0.0.7 and fe80::1%eth0, ::ffff:192.168.1.1, 2001:db8::ff00:42:8329/64, version 1.2.3.4, ::",
    "Übergrößenträger Straße 5 — password ist Geheim123! Kennwort: x7Gq2Lm9",
    "\u212aey = Ab12Cd34Ef56Gh78Ij90 (a Kelvin sign, which re.IGNORECASE reads as k)",
    "the secret is AbCdEf0123456789GhIjKlMnOp, token: Zy98Xw76Vu54Ts32Rq10PoNm, KEY - Qq11Ww22Ee33Rr44Tt55Yy66",
]
# Pieces that the patterns and their cue words are made of, for generated texts.
PIECES = [
    *"aA0 -_.:=\"'\t\n/@()éb†%",
    "key",
    "Key",
    "KEY",
    "pass",
    "pwd",
    "token",
    "--",
    "-u ",
    " -u",
    "-p",
    "mysql",
    "curl",
    "password",
    "is ",
    "secret",
    "bearer ",
    "x7Gq2Lm9",
    "api_key",
    "born",
    "nat",
    "né",
    "ne",
    "(e)",
    "b.",
    "turn",
    "::",
    "fe80::",
    "192.168.",
    "1.2.3.4",
    "%eth0",
    "/24",
    "\u017f",
    "\u0130",
]


def _texts() -> list[str]:
    rng = random.Random(20261)
    generated = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(4000)]
    return SAMPLE + generated


# (pattern, kind of cue, starts are the starts of the word-character runs holding the cue)
SECRET_PATTERNS = [
    (P._PASSWORD_PHRASE, "password_phrase", False),
    (P._KEY_VALUE, "key_value", True),
    (P._KEY_WORD_THEN_TOKEN, "key_word", False),
    (P._PASSWORD_THEN_VALUE, "password_then", False),
    (P._AUTH_HEADER, "auth_header", False),
    (P._CLI_PASSWORD, "cli", False),
    (P._ANY_KEY_VALUE, "any_key", True),
]


@pytest.mark.parametrize(("pattern", "kind", "run"), SECRET_PATTERNS, ids=[k for _, k, _ in SECRET_PATTERNS])
def test_each_secret_pattern_tried_at_its_cues_finds_what_the_full_scan_finds(pattern, kind, run):
    found_any = 0
    for text in _texts():
        found = P.CUES.find(text)
        starts = found.starts(kind)
        if run:
            starts = run_starts(text, starts)
        full = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in anchored(pattern, text, starts)] == full, text
        found_any += len(full)
    assert found_any >= 5  # the sample exercises the pattern


def test_gates_agree_with_the_regexes_they_replace():
    secret_word = re.compile("|".join(re.escape(w) for w in P._SECRET_WORDS), re.IGNORECASE)
    for text in _texts():
        found = P.CUES.find(text)
        if found is not EVERYWHERE:  # that one says "maybe" to every gate, and the patterns run on all of it
            assert found.has("secret_word") == (secret_word.search(text) is not None), text
        birth = next(anchored(P._BIRTH_ANYWHERE, text, P._birth_cue_starts(found)), None)
        assert (birth is None) == (P._BIRTH_ANYWHERE.search(text) is None), text
        birthday = next(anchored(P._BIRTHDAY_WORD, text, found.starts("birthday_word")), None)
        assert (birthday is None) == (P._BIRTHDAY_WORD.search(text) is None), text


def test_ip_patterns_on_address_runs_find_what_the_whole_text_gives_in_the_same_order():
    from presidio_analyzer.predefined_recognizers import IpRecognizer

    rec = IpRecognizer()
    total = 0
    for text in _texts():
        full = P._run_patterns(rec, text)
        assert P._run_patterns(rec, text, P._ip_regions(text)) == full, text
        total += len(full)
    assert total > 50


def test_secrets_and_dates_of_birth_give_the_same_findings_with_shared_or_own_cues():
    for text in SAMPLE:
        found = P.field_cues(text)
        assert P.secrets(text, found) == P.secrets(text) == P.secrets(text, EVERYWHERE)
        assert P.dates_of_birth(text, "", found) == P.dates_of_birth(text, "", EVERYWHERE)
        assert P.birthdays(text, found) == P.birthdays(text, EVERYWHERE)
    assert any(P.secrets(text) for text in SAMPLE) and any(P.dates_of_birth(text) for text in SAMPLE)


def test_text_that_lower_casing_or_case_folding_would_misplace_is_searched_everywhere():
    cues = Cues({"k": ["key"]})
    assert cues.find("\u212aey=1").starts("k") is None  # the Kelvin sign matches k under IGNORECASE
    assert cues.find("\u0130stanbul key").starts("k") is None  # "İ".lower() is two characters
    assert cues.find("a key, a KEY").starts("k") == [2, 9]


def test_run_starts_reach_back_over_long_runs_and_stop_at_other_characters():
    text = "x " + "a" * 300 + "_password=1"
    assert run_starts(text, [text.index("password")]) == [2]
    assert run_starts("ab cd-key", [6]) == [3]
    assert run_starts("ab cd-key", None) is None


def test_cue_words_must_be_lower_case():
    with pytest.raises(ValueError, match="lower case"):
        Cues({"k": ["Key"]})


def test_compound_street_gate_on_lower_case_agrees_with_the_case_insensitive_pattern():
    from aircluster.privacy.detect import names_places as NP

    rng = random.Random(3)
    pieces = [*" 12\t\nAaß.", "STRASSE", "Straße", "ẞ", "str.", "Ring", "hof", "PARK", "weg"]
    pieces += ["\u017f", "\u0130", "\u0131", "\u212a"]  # long s, dotted I, dotless i, Kelvin sign
    texts = ["Hauptstraße 5, Kerkstraat 12a, Ringweg\t7 and during 9", "".join(pieces), "pa\u212a 9", "r\u0131ng 4"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 20))) for _ in range(4000)]
    found = 0
    for text in texts:
        expected = NP._COMPOUND_STREET.search(text) is not None
        assert NP._has_compound_street(text) == expected, text
        found += expected
    assert 50 < found < len(texts) - 50
