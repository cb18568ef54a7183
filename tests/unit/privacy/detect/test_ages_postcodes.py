"""Ages where the words around a number say it is one; postcodes join the place they are written beside."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.ages import ages
from aircluster.privacy.detect.postcodes import attach_postcodes

from ..conftest import found

AGES = [
    ("This 54 year old female complains of stomach pain.", "54"),
    ("a 7-year-old boy", "7"),
    ("i'm 49 y/o and from Leeds", "49"),
    ("Dr. Pesälä is 72 years of age.", "72"),
    ("Mrs Hall, aged 91, was discharged.", "91"),
    ("Age: 45", "45"),
    ("My birthday is on the weekend. I'll turn 46.", "46"),
    ("He just turned 24 years old", "24"),
    ("Hi, I'm 34. Looking for a flat.", "34"),
    ("male, 34, seeks walking partner", "34"),
    ("34/F, Berlin", "34"),
    ("We threw her a party for her 40th birthday.", "40"),
    ("Ich bin 34 Jahre alt.", "34"),
    ("J'ai 29 ans et je vis à Lyon.", "29"),
    ("Tengo 61 años.", "61"),
]

NOT_AGES = [
    "Turn 90 degrees to the left.",
    "I'm 5 minutes away.",
    "The score turned 3-1 after the break.",
    "Turn to page 34.",
    "We aged 150 wheels of cheese.",
    "I am 12:30 at the dentist.",
    "Version 2 of the app turned 180 users away.",
    "Room 34 is on the left.",
    "She turned 30.5 km into the run.",
]


@pytest.mark.parametrize("text,value", AGES)
def test_an_age_is_the_number_its_words_name(text, value):
    assert [text[s:t] for _, s, t, _ in ages(text)] == [value]


@pytest.mark.parametrize("text", NOT_AGES)
def test_numbers_that_are_no_age(text):
    assert ages(text) == []


def test_an_age_is_a_detector_finding_next_to_a_name(detector):
    text = "Margaret Thompson is a 72 year old woman from Rotterdam."
    assert {("AGE", "72"), ("PERSON", "Margaret Thompson"), ("LOCATION", "Rotterdam")} <= found(detector, text)
    assert ("AGE", "72") not in found(detector, "The bridge is 72 metres long.")


def _loc(text: str, piece: str) -> tuple[str, int, int, float]:
    at = text.index(piece)
    return ("LOCATION", at, at + len(piece), 0.9)


@pytest.mark.parametrize(
    "text,place,widened",
    [
        ("write to 51 Franklin Street, Fifth Floor, Boston, MA 02110-1301 USA.", "Boston", "Boston, MA 02110-1301"),
        ("office at 160 Saratoga Avenue, Santa Clara, CA 95051, and the", "Santa Clara", "Santa Clara, CA 95051"),
        ("Hornby South\n    NY\n    4671\n", "Hornby South", "Hornby South\n    NY\n    4671"),
        ("P.O. Box 94079, 1090 GB Amsterdam, Netherlands", "Amsterdam", "1090 GB Amsterdam"),
        ("2315 HAMAR", "HAMAR", "2315 HAMAR"),
        ("Flat 3\nLondon\nSW1A 1AA", "London", "London\nSW1A 1AA"),
        ("Toronto, ON M5V 2T6", "Toronto", "Toronto, ON M5V 2T6"),
        ("Finland 2680", "Finland", "Finland 2680"),
        ("ul. Lipowa 3, 00-950 Warszawa", "Warszawa", "00-950 Warszawa"),
    ],
)
def test_a_postcode_beside_a_place_joins_it(text, place, widened):
    (entity, s, t, _), *_ = attach_postcodes(text, [_loc(text, place)])
    assert (entity, text[s:t]) == ("LOCATION", widened)


@pytest.mark.parametrize(
    "text,place",
    [
        ("We moved to Leeds 2019 and stayed.", "Leeds"),  # a year
        ("Since 2019 Leeds has grown.", "Leeds"),  # a year before
        ("The Berlin 10115 was a ship.", "Berlin"),  # no end of the code: a word goes on in lower case
        ("Paris 12345 people marched.", "Paris"),
        ("Order 55555 Leeds", "Leeds"),  # a number before a place, not at a line's start or after a comma
        ("Meet in Leeds 14:30 sharp", "Leeds"),
    ],
)
def test_numbers_beside_a_place_that_are_no_postcode(text, place):
    assert attach_postcodes(text, [_loc(text, place)]) == [_loc(text, place)]


def test_a_hyphenated_postcode_read_as_a_phone_number_goes_to_the_place(detector):
    text = "write to the Free Software Foundation, 59 Temple Place, Suite 330, Boston, MA  02111-1307, USA."
    hits = found(detector, text)
    assert not any(e == "PHONE_NUMBER" for e, _ in hits)
    # a bare ZIP+4 is no phone number (patterns.py), so the address runs on to its country
    assert ("LOCATION", "59 Temple Place, Suite 330, Boston, MA  02111-1307, USA") in hits
    # a real phone number after a place stays one
    assert ("PHONE_NUMBER", "020 7946 0958") in found(detector, "Call London 020 7946 0958 now")


def test_a_postcode_alone_is_no_finding(detector):
    assert found(detector, "The parcel for 02110 arrived.") == set()
