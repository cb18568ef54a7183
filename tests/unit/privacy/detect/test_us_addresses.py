"""US postal addresses as people type them (us_addresses.py): in lower case and abbreviated, confirmed by what ends
them; the same words without a town, state or ZIP code, or with a street type that is a common noun and no ZIP
code, are no address; and the detector reports them end to end."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.us_addresses import us_addresses

from ..conftest import found

ADDRESSES = [
    ("ship it to 12 oak st, springfield il 62704 please", "12 oak st, springfield il 62704"),
    ("my address is 4417 north kedzie avenue apt 2, chicago, il 60625", "4417 north kedzie avenue apt 2, chicago, il 60625"),
    ("1600 pennsylvania ave nw washington dc 20500", "1600 pennsylvania ave nw washington dc 20500"),
    ("po box 1234 austin tx 78701", "po box 1234 austin tx 78701"),
    ("it's 2540 w 79th st chicago il", "2540 w 79th st chicago il"),  # a town and a state, no ZIP code
    ("9 elm road, salem or 97301", "9 elm road, salem or 97301"),  # a common noun as the type: with a ZIP code
    ("145 N 5th St, Apt 14B, Denver, CO 80290", "145 N 5th St, Apt 14B, Denver, CO 80290"),  # "5th" is no capital
]

NOT_ADDRESSES = [
    "i have 2 main roads here",  # no town, state or ZIP code
    "meet at 12 oak st",
    "12 oak st ca",  # a state alone
    "we sold 3 lane road bikes in texas",  # "road" is a common noun: it wants a ZIP code
    "5 court cases in total, ca 2000",
]


@pytest.mark.parametrize("text, address", ADDRESSES)
def test_an_address_typed_in_lower_case_is_one_span(text, address):
    assert [text[s:e] for _, s, e, _ in us_addresses(text)] == [address]


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_the_same_words_without_their_evidence_are_none(text):
    assert us_addresses(text) == []


def test_a_zip_code_before_a_town_is_left_to_the_postcode_rules():
    # "…, 32685 Port Theresa": a European "postcode town" line; the ZIP code alone would cut it short
    assert us_addresses("872 Martinez Place Apt. 000, 32685 Port Theresa") == []


def test_the_detector_reports_it(detector):
    text = "pls send the parcel to 12 oak st, springfield il 62704 thx"
    assert ("LOCATION", "12 oak st, springfield il 62704") in found(detector, text)
