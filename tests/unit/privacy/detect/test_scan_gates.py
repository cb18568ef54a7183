"""The cheap tests that let the scan skip a regex must never skip one that would have matched."""

from __future__ import annotations

import itertools
import re

from aircluster.privacy.detect import ages as ages_mod
from aircluster.privacy.detect import credentials as cred_mod
from aircluster.privacy.detect import names_places as np_mod
from aircluster.privacy.detect import patterns as pat_mod
from aircluster.privacy.detect import postal_lines as postal_mod
from aircluster.privacy.detect.cues import anchored
from aircluster.privacy.detect.lexicon import load_lexicon

_PHRASES = [
    "we live in",
    "Moved to",
    "greetings from sunny",
    "back home in dear old",
    "my hometown is",
    "flew out of",
    "I'm in",
    "visiting",
    "relocating from",
    "near",
    "VIA",
]
_ENDINGS = ["", " ", ", ", "\n", " (", ":\n", ",\n", " - ", "...", "x", "_"]


def test_place_phrase_gate_passes_every_match() -> None:
    checked = 0
    for phrase, ending, lead in itertools.product(_PHRASES, _ENDINGS, ["", "so ", "xx", "İ "]):
        before = (lead + phrase + ending)[-30:]
        for rx in (np_mod._PLACE_BEFORE, np_mod._STRONG_PLACE_BEFORE):
            if rx.search(before):
                checked += 1
                assert np_mod._may_end_place_phrase(before), before
    assert checked > 100


def test_place_phrase_gate_skips_plain_text() -> None:
    assert not np_mod._may_end_place_phrase("the report was sent by ")
    assert not np_mod._may_end_place_phrase("live in ...")  # four non-word characters after the phrase
    assert np_mod._may_end_place_phrase("moving to\u0130")  # a letter that case folding may read as ASCII


def test_type_first_starts_find_what_finditer_finds() -> None:
    places = np_mod.NamesAndPlaces(load_lexicon(), {"LOCATION"})
    texts = [
        "Send it to 93, rue Michel Ange and 4b-12a  Calle de Alcalá 3 please",
        "replace the route; via Roma 12, Plaza Mayor, 123456 , avenida X",
        "RUE DU BAC 7 and 12\true X",
        "no street here at all",
        "rue\u017f Michel",  # a long s: the cue pass cannot lower-case this text and returns "anywhere"
    ]
    for text in texts:
        assert [m.span() for m in places.type_first.finditer(text)] == [
            m.span() for m in anchored(places.type_first, text, np_mod._type_first_starts(text))
        ], text
    assert np_mod._type_first_starts("no street here at all") == []


def test_age_pattern_tried_only_at_its_openings_finds_the_same() -> None:
    texts = [
        "A 54-year-old man, aged 72, said: I'M 34. She is 49, from Leeds; male, 34; 34/F; my 40th birthday",
        "j'ai 34 ans, âgée de 34 ans, tengo 34 años, 34 Jahre alt, 34 años de edad, Âge : 45",
        "turned 90 degrees at 10am, image 3, message 12, page 4",
        "\u0130M 34.",  # a letter that case folding reads as "i": the cue pass gives up and all of it is tried
    ]
    for short in texts:
        text = short + " and then some more words" * 10  # long enough for the anchored search
        assert [m.span() for m in ages_mod._AGE.finditer(text)] == [
            m.span() for m in anchored(ages_mod._AGE, text, ages_mod._starts(text))
        ], text
    assert ages_mod._starts("no numbers, no cues here " * 10) == []
    assert ages_mod._starts("aged 45") is None  # a short text is searched whole


def test_credential_labels_tried_only_at_their_openings_find_the_same() -> None:
    texts = [
        "Password: x, PASSWORT ist y, pass code 1234, pwd=abc, PIN code 12, mot de passe: z, code d'accès 9",
        "contraseña: a, clave de acceso b, senha c, wachtwoord d, Zugangsdaten e, access code f, door code g",
        "wi-fi: h, WiFi i, WLAN j, wpa2 key k, network key l, secret m, login n, sign-in o, credentials p, identifiants",
        "p4ssw0rd l0gin $ecret spinning pinboard with will",
    ]
    for short in texts:
        folded = cred_mod.ocr_folded(short + " and then some more words" * 10)
        assert [m.span() for m in cred_mod._LABEL.finditer(folded)] == [
            m.span() for m in anchored(cred_mod._LABEL, folded, cred_mod._LABEL_OPENINGS.find(folded).starts("label"))
        ], short


def test_ip_regions_hold_every_address() -> None:
    from presidio_analyzer.predefined_recognizers import IpRecognizer

    rec = IpRecognizer()
    text = (
        "host 10.0.0.12/24 and ::ffff:192.168.1.7, fe80::1%eth0, 2001:db8::8a2e:370:7334, :: and "
        "1:2:3:4:5:6:7:8; v1.2.3, 3.5 kg, 2024, 12:30, a.b.c.d, 999.1.1.1 and 8.8.8.8."
    )
    regions = pat_mod._ip_regions(text)
    assert pat_mod._run_patterns(rec, text) == pat_mod._run_patterns(rec, text, regions)
    assert len(pat_mod._run_patterns(rec, text)) >= 6
    assert pat_mod._ip_regions("in 2024 we sold 3.5 kg of v1.2.3") == []


def test_postcode_lines_find_what_finditer_finds() -> None:
    places = np_mod.NamesAndPlaces(load_lexicon(), {"LOCATION"})
    texts = [
        "Anna Berg\nHauptstraße 12\n10115 Berlin\nGermany",
        "order #48213 shipped\r\nto Leeds, LS6 2AB today\nand Natick, MA 01760-2098",
        "no postcode 2026-03-14 here, just Years 1999 and Words",
        "3511 AB Utrecht, then 75001 Paris, then North Jo S6 5QY\n#12345 Town\n,12345 Town",
        "Stockholm, 11122\n\n\nSW1A 1AA London",
        "12345",
        "card 4842594887125786, ref 123456 Town, x12345 Town, 12345x Town, 1234567 AB, ²12345 Town",
        "tracking 48425948871257861\n2345 AB Utrecht\n\u0661\u0662\u0663\u0664\u0665 Town, 12345, Berlin",
    ]
    for text in texts:
        lines = np_mod._postcode_lines(text)
        for pattern in places.postcodes:
            assert [m.span() for m in pattern.finditer(text)] == [
                m.span() for a, b in lines for m in pattern.finditer(text, a, b)
            ], (pattern.pattern[:40], text)
    assert np_mod._postcode_lines("no postcode 2026-03-14 here") == []


def test_ip_regions_are_the_runs_that_may_hold_an_address() -> None:
    # Every maximal run of [\w:.%/] with a digit or ":", and a ":" or three ".": what _ip_regions finds from its
    # seeds, here from every run.
    texts = [
        "host 10.0.0.12/24 and ::ffff:192.168.1.7, fe80::1%eth0 ... and 2024-03-14 at 12:30",
        "a.b.c.d e.f.g.1 v1.2.3 1.2.3. ...1 : :: x:y 3.5.6.7.8 ../../etc 9/9/9.9.9",
        "no address here. Nor here... 2024, 3.5 kg",
        "::",
        "12.34.56.78",
        "word.word.word. then 1:2",
    ]
    for text in texts:
        expected = [
            (m.start(), min(len(text), m.end() + 1))
            for m in re.finditer(r"[\w:.%/]+", text)
            if re.search(r"[\d:]", m.group()) and (":" in m.group() or m.group().count(".") >= 3)
        ]
        assert pat_mod._ip_regions(text) == expected, text


def test_lifespan_gate_passes_every_lifespan() -> None:
    lifespans = [
        "Ada Lovelace (10 December 1815 – 27 November 1852) wrote the first program.",
        "Lesseps (* 19 November 1805 - 7 December 1894), diplomat",
        "the poet (1916-03-02 — 1952-07-04) is buried here",
        "(12/03/1901 -\n05/06/1970)",
        "( March 12, 1885 – April 2, 1960 )",
    ]
    for text in lifespans:
        assert pat_mod._LIFESPAN_GATE.search(text) is not None, text
        assert [h for h in pat_mod.dates_of_birth(text) if h[0] == "DATE_OF_BIRTH"], text
    for text in ["call (972)976-4682 today", "ticket (ABC-123) closed on 2024-03-12", "(see the notes - done)"]:
        assert pat_mod._LIFESPAN_GATE.search(text) is None, text


def test_ocr_folding_reads_look_alikes_as_letters_and_keeps_offsets() -> None:
    text = "PA55W0RD: x; p@$$ 1OGIN 4CCESS ſ İ ß"
    folded = cred_mod.ocr_folded(text)
    assert folded == text.lower().translate(str.maketrans("0541@$", "osalas"))
    assert folded.startswith("password: x; pass login access")


def test_key_value_gates_pass_every_match() -> None:
    from aircluster.privacy.detect import labeled_values as lv

    texts = [
        "UPDATE users SET name = 'Anna Berg' WHERE city =\n'Leeds'",
        "export AUTHOR='Jan Kowalski'",
        "INSERT INTO patients (name, dob) VALUES ('Anna Berg', '1961-04-03');",
        "inſert into t (name) values ('Anna Berg')",
        "\u0130NSERT INTO t (city) VALUES ('Leeds')",
        "<city>Leeds</city> and <name a='1'>Anna Berg</name>",
    ]
    for text in texts:
        assert lv._EQUALS_QUOTE.search(text) is not None or not lv._BARE_KEY_QUOTED.search(text), text
        assert lv._INSERT_WORD.search(text) is not None or not lv._INSERT.search(text), text
    assert lv._INSERT.search(texts[3]) and lv._INSERT.search(texts[4])  # the gate must let these through
    assert [h[0] for h in lv.key_values(texts[2])] == ["PERSON", "DATE_OF_BIRTH"]
    assert lv._EQUALS_QUOTE.search("a = b, no quote after an equals sign") is None


def test_lower_list_runs_find_what_finditer_finds() -> None:
    from aircluster.privacy.detect import structure as st

    texts = [
        "they had 6: leonti, terrence, pamela, donna, andrea and brian.",
        "tom & jerry, and bob and\talice went home; Anna and bob, carl & dee",
        "no list here at all, just words without the word",
        "Xavier and bé and zoë, ann and é and tim",
        "sand, band, hand and land",
        "a, b, c and d and e & f",
    ]
    for text in texts:
        assert [m.span() for m in st._LOWER_LIST.finditer(text)] == [m.span() for m in st._in_lower_runs(st._LOWER_LIST, text)], (
            text
        )
    assert list(st._in_lower_runs(st._LOWER_LIST, "no list here at all")) == []


def test_short_values_without_a_label_opening_skip_the_label_pattern() -> None:
    phrases = [
        "Password: x",
        "PASSWORT ist y",
        "pass code 1234",
        "pwd=abc",
        "PIN code 12",
        "mot de passe: z",
        "code d'accès 9",
        "contraseña: a",
        "clave b",
        "senha c",
        "wachtwoord d",
        "Zugangsdaten e",
        "access code f",
        "door code g",
        "wi-fi: h",
        "WiFi i",
        "WLAN j",
        "wpa2 key k",
        "network key l",
        "secret m",
        "login n",
        "sign-in o",
        "credentials p",
        "identifiants q",
        "p4ssw0rd r",
        "l0gin s",
        "$ecret t",
        "Ṗassword",
    ]
    for text in phrases:  # every short value with a label: the gate lets it through
        folded = cred_mod.ocr_folded(text)
        if cred_mod._LABEL.search(folded):
            assert cred_mod._LABEL_OPENINGS.occur_in(folded), text
    assert sum(cred_mod._LABEL.search(cred_mod.ocr_folded(t)) is not None for t in phrases) >= 25
    assert not cred_mod._LABEL_OPENINGS.occur_in(cred_mod.ocr_folded("Meet me at the station at noon"))
    assert cred_mod._LABEL_OPENINGS.occur_in("\u0131 x")  # a letter that folds apart: the pattern decides
    assert cred_mod.labeled_credentials("Meet me at the station at noon") == []
    assert [h[0] for h in cred_mod.labeled_credentials("wifi password: Tr0ub4dor&3x")] == ["SECRET"]


# Pieces of addresses, numbers, capitals and the letters case folding treats apart, joined at random: the fast
# forms below must find exactly what the forms they replace find, on texts no one would write as well.
_ADDRESS_TOKENS = [
    *("12 1234 12345 123456 4b 12-14 7/3a a1 _7 ² ½ ٣ # , . - _ ' ’".split()),
    *(" ", "  ", "\t", "\n", "\r\n"),
    *("Main Street St. st Hauptstraße Bahnhofstr. weg Ring Apt 4 ÉCOLE Ölweg ß x Über Road rd AB 1234AB".split()),
    *("SW1A 1AA ſ İ ı Oak Lane Kade gracht straat Suite STREETS Avenue ave. Wilson's O'Brien’s al-Hassan x-'s".split()),
]


def _random_texts(count: int, seed: int) -> list[str]:
    import random

    rnd = random.Random(seed)
    return [
        "".join(rnd.choice(_ADDRESS_TOKENS) + rnd.choice(["", "", " "]) for _ in range(rnd.randint(1, 12))) for _ in range(count)
    ]


def test_address_heads_read_first_find_what_the_look_behind_first_forms_find() -> None:
    places = np_mod.NamesAndPlaces(load_lexicon(), {"LOCATION"})
    flat_streets = "(?i:" + np_mod._alternation(set(places.street_words)) + ")"
    trie_streets = "(?i:" + np_mod._trie_alternation(set(places.street_words)) + ")"
    number_first = places.number_first.pattern.replace(np_mod._NUMBER_HEAD + np_mod._STREET_NUMBER_REST, "", 1)
    assert number_first != places.number_first.pattern and trie_streets in number_first
    before = {
        "number_first": (
            re.compile(r"(?<![\w.,-])(?=\d)" + np_mod._STREET_NUMBER + number_first.replace(trie_streets, flat_streets)),
            places.number_first,
        ),
        "compound": (
            re.compile(
                places.compound.pattern.replace(np_mod._CAP_HEAD + np_mod._CAP_REST, r"(?<![\w-])(?=[^\W\d_])" + np_mod._CAP)
            ),
            places.compound,
        ),
        "street, town": (
            re.compile(postal_mod._NO_POSTCODE.pattern.replace(postal_mod._NO_POSTCODE_HEAD, r"(?<![\w.,-])(?P<num>\d{1,5}", 1)),
            postal_mod._NO_POSTCODE,
        ),
        "postcode seed": (
            re.compile(r"(?<!\d)(?:\d{5}(?!\d)|\d{4}[ \t]?[A-Z]{2})|[A-Z]\d[A-Z\d]?[ \t]?\d[A-Z]{2}"),
            np_mod._POSTCODE_SEED,
        ),
    }
    import random

    rnd = random.Random(2)
    # "number street, town" shapes for the pattern without a postcode, with what may stand around them.
    shapes = [
        rnd.choice(["", " ", "x", ".", ",", "-", "#", "\n", "a1", "²"])
        + rnd.choice(["12", "123456", "4b", "12.", "2021"])
        + rnd.choice([" ", "\t", "  "])
        + rnd.choice(["Hagaskog", "Main St", "Opplands gate", "rue x", "12"])
        + rnd.choice([", ", ",", ",\t"])
        + rnd.choice(["Norsholm", "St. Ives", "New York City", "ſ", "İzmir"])
        + rnd.choice([".", "", "\n", ")", " x", ";", ","])
        for _ in range(3000)
    ]
    texts = [
        *_random_texts(20000, 2),
        *shapes,
        "12 Main Street, 4b-12a Oak Lane Apt 4, 123456 Hauptstraße 5, x12 Road, .12 Road, -12 Road",
        "Flat 3, 221B Baker Street; 10 Downing St.\n1600 Pennsylvania Avenue NW; 5 STREETS; 7 Ölweg",
        "Hauptstraße 12, Über-Ring 4, 3Bahnhofstr. 7, _Kade 9, a-Weg 2, ÖLWEG 3",
    ]
    matched = dict.fromkeys(before, 0)
    for text in texts:
        for name, (old, new) in before.items():
            spans = [m.span() for m in old.finditer(text)]
            assert spans == [m.span() for m in new.finditer(text)], (name, text)
            matched[name] += bool(spans)
    assert min(matched.values()) > 200, matched  # the texts exercise every pattern


def test_street_trie_siblings_never_fold_together() -> None:
    # The trie tries one sibling per character: two street-word letters that case folding equates would break it.
    places = np_mod.NamesAndPlaces(load_lexicon(), {"LOCATION"})
    chars = sorted({c for w in places.street_words for c in w})
    assert not [(a, b) for a in chars for b in chars if a != b and re.fullmatch(f"(?i:{re.escape(a)})", b)]
    words = {"st", "st.", "street", "streets", "str", "strasse", "straße", "ave"}
    trie = re.compile(f"(?i:{np_mod._trie_alternation(words)})s?\\b")
    flat = re.compile(f"(?i:{np_mod._alternation(words)})s?\\b")
    for text in ["St. Streets STR strasse STRAßE ſtreet avenue aves st-x", "street", "st"]:
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], text


_PROSE_TOKENS = [
    *("Anna Berg Trifon Langen Petersen Oppen O'Brien al-Hassan Sainsbury ſ İ ı ² 12 _x".split()),
    *("Anna's Trifon’s O'Brien's al-Hassan's x's".split()),
    *("kid song car park 's ’s 's' 'S and & or , . ; : ! ? ( ) - ' ’ \" the".split()),
    *(" ", " ", "  ", "\t", "\n"),
]


def _random_prose(count: int, seed: int) -> list[str]:
    import random

    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PROSE_TOKENS) + rnd.choice(["", " "]) for _ in range(rnd.randint(1, 25))) for _ in range(count)]


def test_possessives_tried_only_at_their_words_find_what_finditer_finds() -> None:
    from aircluster.privacy.detect import structure as st

    texts = [
        *_random_prose(20000, 3),
        "Trifon's kid, O'Brien’s  song, al-Hassan's\tbook, Sainsbury's car park and Crohn's disease",
        "x" * 300 + "'s kid; " + "-" * 100 + "Anna's son; ²Ann's dog; _Ann's cat; 12Ann's son",
        "'s kid at the start, then Ann'S kid and Ann's Kid",
    ]
    matched = 0
    for text in texts:
        spans = [m.span() for m in st._POSSESSIVE.finditer(text)]
        assert spans == [m.span() for m in anchored(st._POSSESSIVE, text, st._possessive_starts(text))], text
        matched += bool(spans)
    assert matched > 1000
    assert st._possessive_starts("Ann's kid and O'Brien’s song") == [0, 14]
    assert st._possessive_starts("no possessive here: it'S, 's, Ann's Kid") == []


def test_name_lists_looked_for_in_their_stretches_find_what_finditer_finds() -> None:
    import random

    from aircluster.privacy.detect import structure as st

    rnd = random.Random(4)
    words = "Anna Tom O'Brien al-Hassan Eve- Berg's ſam İda ²x 12 _x and or kid &".split()
    joins = [", ", ",\t", " and ", " & ", ",", " ", ", and ", ". ", "\n", "; ", ",  ", " and\t"]
    texts = [
        *_random_prose(5000, 4),
        *("".join(rnd.choice(words) + rnd.choice(joins) for _ in range(rnd.randint(1, 12))) for _ in range(20000)),
        "Langen, Petersen and Oppen; O'Brien, al-Hassan & Berg's.\nAnna, Tom,\tand Eve-",
        "Anna, Tom and Eve, Bob and Carl, Dan & Eli's, Ann-, Bo and Cy'",
    ]
    matched = 0
    for text in texts:
        spans = [m.span() for m in st._NAME_LIST.finditer(text)]
        assert spans == [m.span() for m in st._in_stretches(st._NAME_LIST, st._LIST_STRETCH, text, ",")], text
        matched += bool(spans)
    assert matched > 1000


def test_suffix_groups_end_a_text_as_the_whole_tuple_does() -> None:
    texts = [
        p + end for p in ("", "x", "my ", "İ", "a.") for end in (*np_mod._CUE_PHRASES, *np_mod._RELATION_WORDS, "", "z", "ss")
    ]
    for words, groups in (
        (np_mod._CUE_PHRASES, np_mod._CUE_PHRASES_BY_TAIL),
        (np_mod._RELATION_WORDS, np_mod._RELATION_WORDS_BY_TAIL),
    ):
        for text in texts:
            assert text.endswith(groups.get(text[-2:], ())) == text.endswith(words), text


def test_ampersand_gate_passes_every_pair_before_a_name() -> None:
    texts = [*_random_prose(5000, 5), "Marks & Spencer", "Ben & \nJerry", "A & B & C", "Procter &\tGamble"]
    checked = 0
    for text in texts:
        for start in range(len(text) + 1):
            if np_mod._AMP_BEFORE.search(text, max(0, start - 30), start) is not None:
                checked += 1
                assert "&" in text[max(0, start - 4) : start], (text, start)
    assert checked > 100


def test_sentence_starts_are_the_sentence_start_matches() -> None:
    import random

    from aircluster.privacy.detect import structure as st

    rnd = random.Random(6)
    tokens = ["A", "b", ".", "!", "?", " ", "\t", "\n", '"', "“", "'", "(", "1", "_", "ſ", "  ", ". ", ".\n", "Ça"]
    texts = ["".join(rnd.choice(tokens) for _ in range(rnd.randint(0, 12))) for _ in range(30000)]
    texts += ["", "Anna said so. Tom left!\tEve: yes?\n(Bob) and “Cy”", '  "Anna', "\nAnna", ".  Anna"]
    matched = 0
    for text in texts:
        spans = [m.span() for m in st._SENTENCE_START.finditer(text)]
        assert spans == [m.span() for m in st._sentence_starts(text)], repr(text)
        matched += len(spans)
    assert matched > 10000


# Digits (ASCII, Arabic-Indic, full-width, superscript, Unicode 15's Kawi and Nag Mundari), the separators of the
# card and SSN patterns and what stands beside numbers in text: word characters for \b, signs, line breaks.
_NUMBER_PIECES = [
    *("4111 1111 5500 0000 378282 246310005 1 12 123 45 6789 0 536228761 4111-1111-1111-1111".split()),
    *(" ", "-", ".", "--", " .", "- ", "_", "a", "x1", "SSN", "é", "(", ")", "+", "/", ":", "\n", "\t", "\r\n"),
    *("\u0661\u0662\u0663", "\u0664", "\uff11\uff12", "²", "½", "\U00011f51\U00011f52", "\U0001e4f1"),
]


def _number_texts(count: int, seed: int) -> list[str]:
    import random

    rnd = random.Random(seed)
    return ["".join(rnd.choice(_NUMBER_PIECES) for _ in range(rnd.randint(1, 25))) for _ in range(count)]


def test_card_and_ssn_patterns_on_digit_chains_find_what_they_find_in_the_whole_text() -> None:
    from presidio_analyzer.predefined_recognizers import UsSsnRecognizer

    texts = [
        *_number_texts(4000, 13),
        "card 4111 1111 1111 1111, ssn 536-22-8761 or 536 22 8761 or 536.22.8761, id 4111-1111-1111-1111-1",
        "x4111111111111111 4111111111111111x _4111111111111111_ 1234567890123 (378282246310005) 3782-822463-10005",
        "123456789 12345-6789 123-456789 12 34 56 78 9 1--23456789012 ..123456789.. 536228761\n536228761",
    ]
    found = 0
    for rec, least in ((pat_mod._card_recognizer(), pat_mod._DIGITS_IN_A_MATCH["CREDIT_CARD"]), (UsSsnRecognizer(), 9)):
        for text in texts:
            regions = [(a, b) for a, b, digits in pat_mod._digit_chains(text) if digits >= least]
            whole = pat_mod._run_patterns(rec, text, None)
            assert whole == pat_mod._run_patterns(rec, text, regions), text
            found += bool(whole)
    assert found > 100  # the texts hold matches of both


def test_digit_chains_are_the_maximal_runs_of_nine_digits_or_more() -> None:
    # What _digit_chains finds, from a character by character walk: digits, one separator at most between two.
    def walk(text: str) -> list[tuple[int, int, int]]:
        out, i = [], 0
        while i < len(text):
            if not text[i].isdecimal():
                i += 1
                continue
            start, digits, j = i, 1, i + 1
            while j < len(text):
                if text[j].isdecimal():
                    digits, j = digits + 1, j + 1
                elif text[j] in " .-" and j + 1 < len(text) and text[j + 1].isdecimal():
                    digits, j = digits + 1, j + 2
                else:
                    break
            if digits >= 9:
                out.append((start, min(len(text), j + 1), digits))
            i = j
        return out

    # Digits both engines know (the newer ones are left to the test above, which compares the matches).
    texts = [t for t in _number_texts(3000, 17) if "\U00011f51" not in t and "\U0001e4f1" not in t]
    for text in [*texts, "12 34 56 78 9", "1--23456789012", "123456789", "x 1.2.3.4.5.6.7.8.9 y"]:
        assert pat_mod._digit_chains(text) == walk(text), text
    assert pat_mod._digit_chains("in 2024 we sold 3.5 kg, call 555-0100") == []
