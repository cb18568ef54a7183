"""Words for peoples, faiths and ranks (WordNet 3.0, shipped): a PERSON made only of them and ordinary words is
no person; a name that is such a word too stays one where a given name is there or the sentence uses it as one."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_lexicon, load_people_words
from aircluster.privacy.detect.not_people import NotPeople

from ..conftest import found


@pytest.fixture(scope="module")
def check() -> NotPeople:
    return NotPeople(load_lexicon())


def _keep(check: NotPeople, text: str, value: str, cued: bool = False) -> bool:
    start = text.index(value)
    return check.keep(text, ("PERSON", start, start + len(value), 0.8), cued)


DROPPED = [
    ("Henry VII: King of the Germans and Holy Roman Emperor (1275-1313)", "Holy Roman Emperor"),
    ("A high ecclesiastic official of the Roman Catholic Church", "Roman Catholic"),
    ('"I think every good Christian ought to kick his ass."', "Christian"),  # a determiner and an adjective before
    ("his writings affected Christian thinkers as well as Jews", "Christian"),  # before a plural noun for people
    ("A Swede and two Norwegians walked in.", "Swede"),
    ("The Archbishop arrived late.", "Archbishop"),
    ("Letters from the Buddhists of Kandy", "Buddhists"),
]

KEPT = [
    ("Christian Bale played the part.", "Christian Bale"),  # a given name, then a surname
    ("Minutes taken by Christian Weber.", "Christian Weber"),
    ("Thanks, Christian, see you Monday.", "Christian"),  # a given name alone, used as one
    ("Christian said the build is green.", "Christian"),
    ("Roman Polanski directed it.", "Roman Polanski"),
    ("Emperor Napoleon crossed the Alps.", "Emperor Napoleon"),  # a rank before a name keeps the name
    ("Pope Gregory reformed the calendar.", "Pope Gregory"),
    ("Dawn French wrote the foreword.", "Dawn French"),
]


@pytest.mark.parametrize("text,value", DROPPED, ids=[t[:30] for t, _ in DROPPED])
def test_peoples_faiths_and_ranks_are_no_person(check, text, value):
    assert not _keep(check, text, value)


@pytest.mark.parametrize("text,value", KEPT, ids=[t[:30] for t, _ in KEPT])
def test_names_that_are_such_words_stay_people(check, text, value):
    assert _keep(check, text, value)


def test_an_attribution_keeps_a_lone_rank_word(check):
    # people_cues.py found it ("--Archbishop."): the structure names someone, the rank word does not veto it.
    text = "Give us this day our daily bread.\n\t\t-- Archbishop"
    assert not _keep(check, text, "Archbishop")
    assert _keep(check, text, "Archbishop", cued=True)


def test_a_rank_or_people_word_that_is_a_name_stays_one_alone(check):
    # "Pope", "King", "Caroline" are names in Faker's locales (Caroline held out of the shipped lists).
    assert _keep(check, "To err is human, to forgive divine.\n\t\t-- Pope", "Pope")
    assert _keep(check, "Thanks,\nCaroline", "Caroline")
    assert not _keep(check, "the court of a Caroline king", "Caroline")


def test_the_list_holds_peoples_faiths_and_ranks_and_no_ordinary_name():
    words, names = load_people_words()
    assert {"swede", "swedes", "christian", "christians", "roman", "romans", "buddhist", "muslim", "emperor", "pope"} <= words
    assert {"archbishop", "catholic", "frenchmen"} <= words
    assert {"christian", "roman", "caroline", "king", "pope"} <= names and not {"swede", "emperor", "catholic"} & names
    assert not {"anna", "weber", "bale", "smith", "colleague", "london"} & words


def test_the_detector_applies_it(detector):
    assert ("PERSON", "Holy Roman Emperor") not in found(
        detector, "Henry IV: King of the Germans and Holy Roman Emperor (1050-1106)"
    )
    assert ("PERSON", "Christian Bale") in found(detector, "Yesterday Christian Bale visited the studio.")


@pytest.mark.parametrize(
    "text,value,kept",
    [
        ("The immortal parts of dead Greeks and Romans.", "Romans", False),  # peoples side by side
        ("Swedes, Danes and Norwegians met.", "Danes", False),
        ("We drove from Romans to Valence.", "Romans", True),  # the town
        ("Kansas and Missouri border each other.", "Kansas", True),  # "Kansa" is a people, Kansas a state
        ("Laos, Cambodia and Vietnam", "Laos", True),
    ],
)
def test_a_peoples_plural_beside_another_is_no_place(check, text, value, kept):
    start = text.index(value)
    assert check.keep(text, ("LOCATION", start, start + len(value), 0.8)) is kept
