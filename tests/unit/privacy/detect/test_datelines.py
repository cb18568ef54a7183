"""A news story's dateline: the town it was filed from, and its state, by the wires' shape."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.datelines import dateline_places

from ..conftest import found


def _places(text: str, known: tuple[str, ...] = ()) -> list[str]:
    return [text[s:t] for _, s, t, _ in dateline_places(text, lambda words: words in known)]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("HOUSTON, Feb 26 - Gulf Applied Technologies Inc said", ["HOUSTON"]),
        ("SUFFIELD, Conn., Feb 26 - Suffield Financial Corp said", ["SUFFIELD", "Conn."]),
        ("OAKLAND , N.J., March 2 - Diagnostic Retrieval Systems said", ["OAKLAND", "N.J."]),
        ("TAHLEQUAH, OKLA., March 2 - American Nursery Products said", ["TAHLEQUAH", "OKLA."]),
        ("ABU DHABI, March 2 - Deputy oil ministers met", ["ABU DHABI"]),
        ("WASHINGTON (AP) - The Senate voted", ["WASHINGTON"]),
        ("The report follows.\nLONDON, Mar 2 - Shares rose", ["LONDON"]),  # a line's start
        ("SAN DIEGO - The company said", ["SAN DIEGO"]),  # no date: a known place
    ],
)
def test_the_town_and_state_of_a_dateline(text, places):
    assert _places(text, known=("san diego",)) == places


@pytest.mark.parametrize(
    "text",
    [
        "WARNING - do not unplug the node",  # capitals before a dash, no date, no known place
        "FAQ - how to restart",
        "The HOUSTON, Feb 26 - office",  # not at a line's start
        "Houston, Feb 26 - in lower case a town is the rules' to read",
    ],
)
def test_no_dateline(text):
    assert _places(text) == []


def test_the_dateline_overrides_the_taggers_person(detector):
    text = "SUFFIELD, Conn., Feb 26 - Suffield Financial Corp said the Federal Reserve approved it."
    assert ("LOCATION", "SUFFIELD, Conn.") in found(detector, text)
    assert not any(e == "PERSON" for e, _ in found(detector, text))
