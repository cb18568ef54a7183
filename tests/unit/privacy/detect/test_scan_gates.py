"""The cheap tests that let the scan skip a regex must never skip one that would have matched."""

from __future__ import annotations

import itertools

from aircluster.privacy.detect import names_places as np_mod
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
