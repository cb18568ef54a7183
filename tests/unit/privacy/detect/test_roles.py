"""Which of a run's first words make a role or rank before a name."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.roles import role_length

from ..conftest import found


@pytest.mark.parametrize(
    "words,length",
    [
        ("President Thabo Mbeki", 1),
        ("Prime Minister Keith Mitchell", 2),
        ("First Vice President Helio Fallas", 3),
        ("Heir Apparent Crown Prince Muhammad", 4),
        ("Governor General Dame Pearlette Louisy", 3),
        ("Gen Sekouba Konate", 1),  # "Gen." without its dot, as the readers pass it
        ("Vice Versa", 0),  # a word that opens a role is none alone
        ("Deputy Sheriff", 0),
        ("Thabo Mbeki", 0),
        ("Former Yugoslavia", 0),
    ],
)
def test_role_length(words: str, length: int) -> None:
    assert role_length(words.lower().split()) == length


@pytest.mark.parametrize(
    "text,person",
    [
        # a famous surname is a frequent word, but a dictionary writes it only capitalized: a name after a role
        ("General Eisenhower has faced this period of trial with admirable patience.", "General Eisenhower"),
        ("It was first proposed by President Eisenhower, a comprehensive nuclear test ban.", "President Eisenhower"),
    ],
)
def test_a_role_before_a_frequent_word_that_is_a_name_only_is_a_person(detector, text: str, person: str) -> None:
    assert ("PERSON", person) in found(detector, text)


@pytest.mark.parametrize(
    "text,word",
    [
        ("The shares of General Motors fell again.", "Motors"),  # an ordinary word after the role: a firm
        ("They walked down King Street at noon.", "Street"),
    ],
)
def test_a_role_before_an_ordinary_word_names_no_one(detector, text: str, word: str) -> None:
    assert not any(e == "PERSON" and word in span for e, span in found(detector, text))
