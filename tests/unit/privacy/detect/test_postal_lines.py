"""'Street number, postcode town' lines (postal_lines.py): found whatever the street is called, one span
from the street to the town; dates, titles and counts of the same shape left alone."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_frequent_words, load_lexicon
from aircluster.privacy.detect.postal_lines import PostalLines

from ..conftest import found


@pytest.fixture(scope="module")
def lines() -> PostalLines:
    return PostalLines(load_lexicon(), load_frequent_words())


def _spans(lines: PostalLines, text: str, hits: list[tuple[str, int, int, float]] | None = None) -> list[str]:
    return [text[s:t] for _, s, t, _ in lines.scan(text, hits or [])]


ADDRESSES = [
    ("the office is at vikersund 14, 730 22 lindhagen", "vikersund 14, 730 22 lindhagen"),
    ("Our office is at vikersund 14, 730 22 lindhagen. Come by!", "vikersund 14, 730 22 lindhagen"),
    ("Send the forms to 27 Oskarova, 3312 Dolni Lhota.", "27 Oskarova, 3312 Dolni Lhota"),
    ("new address: brennvik gate 8, 2636 hc kolvereid", "brennvik gate 8, 2636 hc kolvereid"),
    # no postcode: a number-first street and a town closing the sentence
    ("He gave me his address: 56 Marskveien, TREVANGER", "56 Marskveien, TREVANGER"),
]


@pytest.mark.parametrize("text, expected", ADDRESSES)
def test_a_street_with_a_postcode_and_town_after_it(lines, text, expected):
    assert _spans(lines, text) == [expected]


NOT_ADDRESSES = [
    "The meeting on March 12, 2024 Berlin time was moved.",  # a date: "March" is an ordinary word
    "Sprint 4, 2024 Review is on Friday.",  # a title of ordinary words
    "We sold 300 units, 4500 total last year.",  # counts
    "Release 2, 1999 edition",  # an ordinary word for a town
    "2021  Développeuse, Orange",  # a year, not a house number
    "We need 3 Widgets, Gadgets.",  # no postcode, and no word of the street unknown
    "Chapter 12 Vikersund, Lindhagen and more",  # no postcode, and the town does not close the sentence
]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_the_same_shape_of_ordinary_words_is_no_address(lines, text):
    assert _spans(lines, text) == []


def test_an_address_over_two_lines_is_a_span_a_line(lines):
    assert _spans(lines, "Deliver to Marskveien 3\n4021 TREVANGER\nThanks") == ["Marskveien 3", "4021 TREVANGER"]


def test_an_address_the_rules_found_part_of_is_left_to_them(lines):
    text = "Write to vikersund 14, 730 22 lindhagen."
    street = text.index("vikersund 14")
    assert _spans(lines, text, [("LOCATION", street, street + 12, 0.9)]) == []
    phone = text.index("14, 730")
    assert _spans(lines, text, [("PHONE_NUMBER", phone, phone + 10, 0.9)]) == []


def test_a_town_found_alone_still_lets_its_street_be_read(lines):
    # a known town is found by its name; the street before it is still this module's to read
    text = "Write to vikersund 14, 730 22 lindhagen."
    town = text.index("lindhagen")
    assert _spans(lines, text, [("LOCATION", town, town + 9, 0.9)]) == ["vikersund 14, 730 22 lindhagen"]
    text = "Tiago had given Zak his address: 47 Hafnarstraeti, Reykjavík"
    town = text.index("Reykjavík")
    assert _spans(lines, text, [("LOCATION", town, town + 9, 0.9)]) == ["47 Hafnarstraeti, Reykjavík"]
    # so does a postcode and town found together, a country's letters before the postcode, a district's after the town
    text = "Thorvaldsensvej 40, DK-1871 Frederiksberg C, Denmark"
    post = text.index("DK-1871")
    got = _spans(lines, text, [("LOCATION", post, text.index(", Denmark"), 0.9)])
    assert got == ["Thorvaldsensvej 40, DK-1871 Frederiksberg C"]


def test_it_does_not_take_over_another_type(lines):
    text = "Call Vikersund 14, 7302 2211 then"
    phone = text.index("7302 2211")
    assert _spans(lines, text, [("PHONE_NUMBER", phone, phone + 9, 0.9)]) == []


def test_the_detector_reports_the_address_as_one_place(detector):
    text = "Our new office is at vikersund 14, 730 22 lindhagen. Come by!"
    assert ("LOCATION", "vikersund 14, 730 22 lindhagen") in found(detector, text)
