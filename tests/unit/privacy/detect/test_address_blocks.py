"""Addresses written as a column of lines are found line by line; other columns of short lines are not."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.address_blocks import address_blocks
from aircluster.privacy.detect.lexicon import load_lexicon

from ..conftest import found

LEXICON = load_lexicon()


def lines_found(text: str) -> list[str]:
    return [text[s:t] for _, s, t, _ in address_blocks(text, LEXICON)]


@pytest.mark.parametrize(
    "text,lines",
    [
        (
            "Josh Hayward\n\n47 Veres Pálné u.\n Unit 133\n TWENTY FORESTS\n Canada 8705",
            ["47 Veres Pálné u.", "Unit 133", "TWENTY FORESTS", "Canada 8705"],
        ),
        (
            "Billing address: Ewan Dawson\n    41. Robertson Ave Apt. 691\n   Brinches\n    NY\n    4515\n",
            ["41. Robertson Ave Apt. 691", "Brinches", "NY", "4515"],
        ),
        (
            ">Candida Longo\n>2 Gewerbezentrum\n>Flat 247\n>PONTOISE\n>Belgium 85020",
            ["2 Gewerbezentrum", "Flat 247", "PONTOISE", "Belgium 85020"],
        ),
        ("Opplands gate 8\n2315 HAMAR", ["Opplands gate 8", "2315 HAMAR"]),
        ("Hauptstraße 12\nWohnung 3\n10115", ["Hauptstraße 12", "Wohnung 3", "10115"]),
        (
            "51 Franklin Street, Fifth Floor\nBoston, MA 02110-1301\nUSA",
            ["51 Franklin Street, Fifth Floor", "Boston, MA 02110-1301", "USA"],
        ),
        ("P.O. Box 94079\nAmsterdam\nNetherlands", ["P.O. Box 94079", "Amsterdam", "Netherlands"]),
        ("83 fynshovedvej\nflat 970\ntöttös\nspain 3925", ["83 fynshovedvej", "flat 970", "töttös", "spain 3925"]),
        (  # a fielded record: the label every line repeats is left out
            "N: Anna Berg\nS: 14 Mill Lane\nS: Keswick\nS: CA12 5DX\nS: United Kingdom",
            ["14 Mill Lane", "Keswick", "CA12 5DX", "United Kingdom"],
        ),
        ("Addr: Hauptstraße 12\nAddr: 10115 Berlin", ["Hauptstraße 12", "10115 Berlin"]),
        # a Nordic house, staircase and flat after the street's name; a country's letters before the postcode
        ("Sorsavuori 2 C 7\n33100 Tampere\nFinland", ["Sorsavuori 2 C 7", "33100 Tampere", "Finland"]),
        ("Koivurinne 4A11\nFIN-03600 Karkkila", ["Koivurinne 4A11", "FIN-03600 Karkkila"]),
        # the town's region between the town and the postcode
        ("14 Wattle Street\nGlebe, NSW, 2037\nAustralia", ["14 Wattle Street", "Glebe, NSW, 2037", "Australia"]),
        ("250 Main Street East\nHamilton, Ontario L8N 1H6", ["250 Main Street East", "Hamilton, Ontario L8N 1H6"]),
        # a known country with a short code closes the block: the unknown town above it is part of it
        ("7 Hafnarstraeti\nAkureyri\nIceland 600", ["7 Hafnarstraeti", "Akureyri", "Iceland 600"]),
        # a town, its country and its part of the world on one line: the known country makes it sure
        ("P.O. Box 212\nKireka, Uganda, East Africa", ["P.O. Box 212", "Kireka, Uganda, East Africa"]),
    ],
)
def test_each_line_of_an_address_block_is_a_place(text, lines):
    assert lines_found(text) == lines


@pytest.mark.parametrize(
    "text",
    [
        "Chapter 3\nIntroduction\n2019",  # a year is no postcode
        "2 eggs\nFlour\nSugar",  # a recipe: nothing closes it as an address
        "Room 12\nSee you soon\nOK",  # a line of capitals is a state only inside a block with evidence
        "Total 45\nThanks\n12345 items",  # a number before a word in lower case is no postcode and town
        "12 Main Street",  # a street line alone is the other recognizers' job
        "Step 1\nStep 2\nStep 3",
        "Table 2 B 3\nResults\nFigure 4",  # a number, a letter and a number after a word: no street without a town
        "12 Skolegyden\nNotes\nChapter 600",  # a word and a number closes a block only when the word is a known place
        "P.O. Box 212\nApples, Pears, Plums",  # a line of words and commas with no known place in it
        "Rx 12345\nMaria Lopez\n28013",  # a number after a word is a street only with a street word or a town
        "12 Skolegyden\nMargaret Thompson\n4515",  # a first and a last name end the block: a person, no town
    ],
)
def test_columns_that_are_no_address(text):
    assert lines_found(text) == []


def test_the_detector_reads_a_block_in_a_letter(detector):
    text = "Thanks for the order!\n\nShip to:\nEvardus Oomen\n12 Skolegyden\nSuite 92\nÍsafjörður\nGermany 580 31\n"
    hits = found(detector, text)
    for line in ("12 Skolegyden", "Suite 92", "Ísafjörður"):
        assert any(e == "LOCATION" and line in v for e, v in hits), (line, hits)


def test_a_label_no_other_line_repeats_stays_on_its_line():
    # "Ship to: 12 Main Street" is one labeled line, not a field of a record: nothing to leave out of a block
    assert lines_found("Ship to: 12 Main Street\nSpringfield, IL 62701") == []
    assert lines_found("S: 12 Main Street\nT: 555 1234\nSpringfield, IL 62701") == []


def test_a_fielded_records_town_over_its_country_is_an_address():
    # no street line: the shared label and the known country under the town make it one
    assert lines_found("N: Pia Lund\nP: 1024D/F6B6\nS: Trosa\nS: Sweden") == ["Trosa", "Sweden"]
    assert lines_found("N: Pia Lund\nS: Pia Lund\nS: Sweden") == []  # a person's name over the country
    assert lines_found("Q: Thanks\nQ: Sweden") == []  # an ordinary word
    assert lines_found("Trosa\nSweden") == []  # no label: the layout alone says too little


def test_a_line_another_recognizer_calls_a_person_ends_the_block():
    text = "12 Skolegyden\nDr. Weber\n4515"
    at = text.index("Dr. Weber")
    assert address_blocks(text, LEXICON, [("PERSON", at, at + 9, 0.9)]) == []
    assert lines_found(text) == ["12 Skolegyden", "Dr. Weber", "4515"]  # without it, the layout alone


def test_a_town_with_its_postcode_that_is_a_name_too_does_not_end_the_block():
    # "Austin" is a first name: another recognizer's person there, beside a state and a postcode, is the town
    text = "Ube, Inc.\n9800 N. Lamar Blvd., STE 310\nAustin  TX  78753-4160\nUS"
    at = text.index("Austin")
    blocks = [text[s:t] for _, s, t, _ in address_blocks(text, LEXICON, [("PERSON", at, at + 6, 0.8)])]
    assert blocks == ["9800 N. Lamar Blvd., STE 310", "Austin  TX  78753-4160", "US"]


@pytest.mark.parametrize(
    "street",
    ["15902A Halliburton Rd #662", "16550 West Bernardo Road, Bldg 5, Suite 550", "600 Industrial Drive, Floor 3"],
)
def test_a_street_line_may_end_in_its_units(street):
    assert lines_found(f"Nextivity\n{street}\nSan Diego  CA  92127\nUS") == [street, "San Diego  CA  92127", "US"]


def test_a_line_of_words_after_the_last_address_line_is_left_out():
    # the town over the postcode is part of the block; "Customer Service" under the postcode is not
    assert lines_found("12 Main Street\nSpringfield, IL 62701\nCustomer Service") == ["12 Main Street", "Springfield, IL 62701"]
    assert lines_found("41 Robertson Ave\nBrinches\nNY\n4515\nOpening Hours") == ["41 Robertson Ave", "Brinches", "NY", "4515"]


@pytest.mark.parametrize(
    "street,town",
    [
        ("619 E. 8th street suite D", "Lawrence  KS  66044"),  # an ordinal in the street's name
        ("10 Nisshinco 2-chome", "Fuchu City  Tokyo  253-0197"),  # Japan's block and its postcode after the town
        ("Nisso 15 Bld. 4F", "Yokohama  Kanagawa  222-0033"),  # a floor after the number
        ("Anton Jakob Str.4", "Rosenheim  BY  83026"),  # the number written onto the abbreviated street word
        ("PUNTO NET, 3", "ALCALA DE HENARES    28805"),  # a comma before the number
        ("65 Rt. 34", "Morganville  NJ  07751"),  # a route's number after its name
        ("3, Gapsalskaja Str.", "Saint-Petersburg    198035"),  # six digits after the town
    ],
)
def test_registers_streets_and_postcodes_of_many_countries(street, town):
    assert lines_found(f"Acme Ltd\n{street}\n{town}\nUS") == [street, town, "US"]


def lines_found_with_codes(text: str) -> list[str]:
    return [text[s:t] for _, s, t, _ in address_blocks(text, LEXICON, (), frozenset({"GB", "US", "BA"}))]


def test_a_registers_entry_read_upwards_from_its_country_code():
    # the street line has no number to open a block: the code under the town with its postcode closes the entry
    text = "Applied Materials UK Ltd\nFoundry Lane\nHorsham  West Sussex  RH13 5PY\nGB"
    assert lines_found_with_codes(text) == ["GB", "Horsham  West Sussex  RH13 5PY", "Foundry Lane"]
    assert lines_found(text) == []  # without the codes: no street line, no block
    # the entry's holder is not read, nor a line above the town with no digit and no street or unit word
    assert lines_found_with_codes("Acme Ltd\nLejlekusa bb\nGracanica  TK  75320\nBA") == ["BA", "Gracanica  TK  75320"]


@pytest.mark.parametrize(
    "text",
    [
        "Foundry Lane\nHorsham  West Sussex  RH13 5PY\nGB\nmore text after it",  # the code does not close an entry
        "Foundry Lane\nVersion 2.1\nUS",  # no town with its postcode over the code
        "Foundry Lane\nHorsham  West Sussex  RH13 5PY\nFR",  # not a code in the set given
    ],
)
def test_a_country_code_closes_an_entry_only_under_a_town_and_postcode(text):
    assert lines_found_with_codes(text) == []


def test_a_phone_line_after_the_town_is_no_town_and_postcode():
    text = "12 Main Street\nSpringfield, IL 62704\nTel 555-1234"
    assert lines_found(text) == ["12 Main Street", "Springfield, IL 62704"]


def test_a_postcode_shaped_like_a_local_phone_number_stays_in_the_block(detector):
    text = "Futaba Corporation\n1080 Yabutsuka\nChosei-gun,Chosei-mura  Chiba-ken  299-4395\nJP"
    hits = found(detector, text)
    assert ("LOCATION", "Chosei-gun,Chosei-mura  Chiba-ken  299-4395") in hits and ("LOCATION", "JP") in hits
    assert not any(e == "PHONE_NUMBER" for e, _ in hits)
    # outside a block the same digits are still a phone number
    assert ("PHONE_NUMBER", "299-4395") in found(detector, "Call me on 299-4395 tonight.")


def test_a_firms_legal_form_over_an_address_is_no_place(detector):
    text = "Merchandising Technologies, Inc\n1050 NW 229th Avenue\nHillsboro  OR  97124\nUS"
    hits = found(detector, text)
    assert not any(v in ("Inc", "Technologies, Inc") for _, v in hits), hits
    assert ("LOCATION", "1050 NW 229th Avenue") in hits
