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
        ("Professor Koga", 1),
        ("Vice Versa", 0),  # a word that opens a role is none alone
        ("Deputy Sheriff", 0),
        ("Thabo Mbeki", 0),
        ("High Commissioner Mark Blumsky", 2),
        ("High Street", 0),
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
        # a surname alone in capitals after the role, a frequent word in the news of some language ("gbagbo")
        ("In March 2007, President GBAGBO and the rebels signed an agreement.", "President GBAGBO"),
        ("Following President BONGO's death in 2009, a new election was held.", "President BONGO"),
        # a professor's chair is an office too
        ("The father of Professor Kogawa died last year.", "Professor Kogawa"),
        # a high commissioner is an office: the land before it is a place, the name after it a person
        ("represented by New Zealand High Commissioner Mark BLUMSKY (since September 2011)", "Commissioner Mark BLUMSKY"),
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


@pytest.mark.parametrize(
    "text,person",
    [
        # peers are styled by a place: a town's name after a peerage is still a person's
        ("I really think that should satisfy you, Lady Bracknell.", "Lady Bracknell"),
        ("Twenty-eight years ago you left Lord Bracknell's house.", "Lord Bracknell"),
        ("The Duke of Wellington and Lord Salisbury met Lady Windermere.", "Lord Salisbury"),
    ],
)
def test_a_peerage_before_a_town_is_a_person(detector, text: str, person: str) -> None:
    assert ("PERSON", person) in found(detector, text)


@pytest.mark.parametrize(
    "text,person",
    [
        # a town somewhere is still a surname after an office or rank: the lists hold 76,000 towns
        ("On the 17th General Shafter occupied the city.", "General Shafter"),
        ("In the opinion of President Jackson they should no longer be endured.", "President Jackson"),
        ("and General Comonfort having left the country, this functionary", "General Comonfort"),
        # a region that is a name too
        ("they were revoked by the Government of President Rivas.", "President Rivas"),
    ],
)
def test_a_role_before_a_town_is_a_person(detector, text: str, person: str) -> None:
    assert ("PERSON", person) in found(detector, text)


def test_a_role_before_a_country_or_region_names_no_one(detector) -> None:
    assert not any(e == "PERSON" for e, _ in found(detector, "The film Captain America opened."))


def test_a_foundation_named_for_a_peer_is_no_person(detector) -> None:
    hits = found(detector, "Duke University, Durham, NC")
    assert not any(e == "PERSON" for e, _ in hits) and any(e == "LOCATION" and "Durham" in v for e, v in hits)


@pytest.mark.parametrize(
    "text,person",
    [
        # a rank written short: its dot ends no sentence
        ("A transitional government led by Gen. Sekouba KONATE paved the way.", "Gen. Sekouba KONATE"),
        # a surname in capitals after the role: the words between are given names, frequent words or not
        ("head of government: Prime Minister Sato KILMAN (since 11 June 2015)", "Sato KILMAN"),
    ],
)
def test_a_role_before_given_names_and_a_surname_in_capitals(detector, text: str, person: str) -> None:
    assert any(e == "PERSON" and span.endswith(person) for e, span in found(detector, text))


def test_a_role_before_capitals_written_as_a_role_too_names_no_one(detector) -> None:
    assert not any(e == "PERSON" for e, _ in found(detector, "GENERAL MOTORS said the plant will close."))
    assert not any(e == "PERSON" for e, _ in found(detector, "the High Commissioner said so"))
    assert not any(e == "PERSON" for e, _ in found(detector, "He became Professor of Physics in 1990."))


def test_given_names_and_a_surname_in_capitals_stand_against_the_tagger(detector) -> None:
    # the shape alone names him (no list knows either word), opening a sentence where the tagger reads no entity
    assert ("PERSON", "Maithripala SIRISENA") in found(detector, "Maithripala SIRISENA elected president; percent of vote")
    for text in ("the new Latin CD-ROM, containing the texts", "The University of California MELVYL on-line catalog"):
        assert not any(e == "PERSON" for e, _ in found(detector, text))


@pytest.mark.parametrize(
    "text,person",
    [
        # a famous name alone (famous_people.txt.gz, from WordNet's people): frequent words, and no cue around them
        ("Einstein published four papers in 1905.", "Einstein"),
        ("The ideas of Schopenhauer influenced him.", "Schopenhauer"),
    ],
)
def test_a_famous_name_alone_is_a_person(detector, text: str, person: str) -> None:
    assert ("PERSON", person) in found(detector, text)


@pytest.mark.parametrize(
    "text,word",
    [
        ("The family moved from Virginia to Jefferson County, Kentucky in the 1780s.", "Jefferson"),  # a county's name
        ("He won the Nobel Peace Prize in 2000.", "Nobel"),  # a prize's
    ],
)
def test_a_famous_name_inside_another_name_is_no_person(detector, text: str, word: str) -> None:
    assert not any(e == "PERSON" and word in span for e, span in found(detector, text))


@pytest.mark.parametrize(
    ("text", "place", "person"),
    [
        ("Spent time with Indiana Governor Mike Pence and family yesterday.", "Indiana", "Governor Mike Pence"),
        ("at the request of Kansas Territorial Governor Wilson Shannon", "Kansas", "Governor Wilson Shannon"),
    ],
)
def test_a_place_before_an_office_is_the_place_and_the_name_after_it_the_person(detector, text, place, person):
    assert {("LOCATION", place), ("PERSON", person)} <= found(detector, text)


def test_a_people_or_a_firm_before_an_office_is_no_place(detector):
    assert not any(e == "LOCATION" for e, _ in found(detector, "Russian President Vladimir Putin met him."))
    assert not any(e == "LOCATION" for e, _ in found(detector, "General Motors Chairman Mary Barra spoke."))


def test_a_senator_written_short_names_the_person(detector):
    assert ("PERSON", "Sen. McCain") in found(detector, "Sen. McCain just said we cannot win.")
    assert not any(e == "PERSON" for e, _ in found(detector, "// GOV.UK Platform as a Service"))
