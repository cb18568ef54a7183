"""Which of a run's first words make a role or rank before a name."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.roles import role_length


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
