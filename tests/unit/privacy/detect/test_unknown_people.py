"""People no word list knows, read by the second tagger (`unknown_people.py`): found from the sentence around them,
never where a capital says nothing (a sentence's or a quoted value's first word), never a place or ordinary word the
lists know (a known name where nothing else found it is read), never
over what was found before; and the detector can run without it."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.detector import Detector
from aircluster.privacy.detect.lexicon import load_frequent_words, load_lexicon
from aircluster.privacy.detect.tagger import NameTagger
from aircluster.privacy.detect.unknown_people import ACTING, ADD, READER_PATH, VOTE, UnknownPeople
from tests.unit.privacy.conftest import found


@pytest.fixture(scope="module")
def reader() -> UnknownPeople:
    lexicon = load_lexicon()
    return UnknownPeople(NameTagger.load(lexicon, READER_PATH), lexicon, load_frequent_words())


def _read(reader: UnknownPeople, text: str, hits: list[tuple[str, int, int, float]] | None = None) -> set[str]:
    return {text[s:e] for _, s, e, _ in reader.scan(text, hits or [])}


@pytest.mark.parametrize(
    "text,name,reader_only",
    [
        ("I have seen and talked with Steelkilt since the death of his brother.", "Steelkilt", True),
        # the speaker's verb before the name is a cue the rules read too
        ('"No," answered Marbledge, and laughed.', "Marbledge", False),
    ],
)
def test_a_name_no_list_knows_is_read_from_its_sentence(reader, detector, text, name, reader_only):
    assert name in _read(reader, text)
    assert ("PERSON", name) in found(detector, text)
    assert (("PERSON", name) in found(detector_without_reader(), text)) is not reader_only  # what the second tagger adds


def test_a_known_surname_nothing_else_found_is_read_from_its_sentence(reader, detector):
    # a surname of the lists, no famous one ("Hughes" is: the rules find it alone)
    text = "This kick fairly sickened Whitlock, so that he left me alone."
    assert "Whitlock" in _read(reader, text)
    assert ("PERSON", "Whitlock") in found(detector, text)
    assert ("PERSON", "Whitlock") not in found(detector_without_reader(), text)


def test_a_word_read_weakly_as_a_person_twice_is_one_wherever_it_stands(reader):
    text = (
        "Then Uguccione assembled his forces. Later Uguccione took up a position near the river, and the army of "
        "Uguccione waited."
    )
    once = "Later Uguccione took up a position near the river, and the army waited."
    assert any(score < 0.95 for _, _, _, score in reader.scan(text, []))  # each reading alone is too weak to add
    assert len([1 for _, s, e, _ in reader.scan(text, []) if text[s:e] == "Uguccione"]) >= 2
    weak = [score for _, s, e, score in reader.tagger.tag(once, probe=[]).spans if once[s:e] == "Uguccione"]
    assert weak and VOTE <= weak[0] < ACTING  # read once, weakly ...
    assert "Uguccione" not in _read(reader, once)  # ... it adds nothing


def test_a_word_read_as_a_person_that_acts_in_its_sentence_counts_at_once(reader):
    # one reading, below ADD: the verb after the word makes it a person, and the same reading without one does not
    acting = "Owing to the illness of the captain, Uguccione delayed the attack."
    idle = "Owing to the illness of the captain, Uguccione in the attack."
    scores = [score for _, s, e, score in reader.tagger.tag(acting, probe=[]).spans if acting[s:e] == "Uguccione"]
    assert scores and ACTING <= scores[0] < ADD
    assert "Uguccione" in _read(reader, acting)
    assert "Uguccione" not in _read(reader, idle)
    # a copula says too little: a region described is no one, however sure the reading
    assert _read(reader, "Kashubia is a historical region of north-central Poland.") == set()


def test_a_capital_that_opens_a_sentence_or_a_quoted_value_says_nothing(reader):
    assert _read(reader, "Grafana is down again. Restart it.") == set()
    assert _read(reader, "INSERT INTO products (sku, name) VALUES ('RT-0014-BLK', 'Quorra Velandt wallet');") == set()


def test_words_the_lists_know_and_what_was_found_before_are_left_alone(reader):
    text = "I have seen and talked with Steelkilt since the death of his brother."
    start = text.index("Steelkilt")
    assert _read(reader, text, [("LOCATION", start, start + 9, 0.9)]) == set()
    assert _read(reader, "Offices in London, Paris and Rome.") == set()


def test_the_detector_reports_which_reader_it_ran_and_runs_without_one(monkeypatch):
    monkeypatch.setenv("AIRCLUSTER_NAME_READER", "off")
    assert Detector().versions()["name_reader"] == "off"
    monkeypatch.delenv("AIRCLUSTER_NAME_READER")
    assert len(Detector(entities=["PERSON"]).versions()["name_reader"]) == 12
    assert Detector(entities=["EMAIL_ADDRESS"]).versions()["name_reader"] == "off"  # no people asked for


_WITHOUT: list[Detector] = []


def detector_without_reader() -> Detector:
    if not _WITHOUT:
        mp = pytest.MonkeyPatch()
        mp.setenv("AIRCLUSTER_NAME_READER", "off")
        try:
            _WITHOUT.append(Detector())
        finally:
            mp.undo()
    return _WITHOUT[0]
