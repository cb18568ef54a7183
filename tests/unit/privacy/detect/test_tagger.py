"""The learned PERSON/LOCATION tagger: the shipped model loads, finds people and places in sentences
written for this test (no template family has them), leaves ordinary capitalized words alone, retrains
deterministically, and a missing or damaged model file fails with one line naming the file."""

from __future__ import annotations

import gzip

import pytest

from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.tagger import (
    MODEL_PATH,
    NameTagger,
    TaggerError,
    read_model,
    write_model,
)
from tests.unit.privacy.conftest import found


@pytest.fixture(scope="module")
def tagger() -> NameTagger:
    return NameTagger.load(load_lexicon())


def tagged(tagger: NameTagger, text: str) -> set[tuple[str, str]]:
    return {(e, text[s:t]) for e, s, t, _ in tagger.tag(text).spans}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("After the rehearsal Margot Vandersteen stayed to tune the cellos.", {("PERSON", "Margot Vandersteen")}),
        ("We finally bought a flat in Ljubljana and the kids love the river.", {("LOCATION", "Ljubljana")}),
        (
            "The sofa can be collected from Kazimierz Wielki street parking, ask for Tomasz Wrzesniewski.",
            {("PERSON", "Tomasz Wrzesniewski")},
        ),
        (
            "Gestern hat mich Sabine Hoffmeister aus Regensburg angerufen.",
            {("PERSON", "Sabine Hoffmeister"), ("LOCATION", "Regensburg")},
        ),
        (
            "Mi vecina Lucía Ortega Benítez se mudó a Valladolid en marzo.",
            {("PERSON", "Lucía Ortega Benítez"), ("LOCATION", "Valladolid")},
        ),
        ("rsvp by the 3rd, the venue is in Leicester", {("LOCATION", "Leicester")}),
        ("Mit freundlichen Grüßen\nKatharina Oberndorfer\nProjektleiterin", {("PERSON", "Katharina Oberndorfer")}),
        (
            "Bonjour à tous, Amélie Fournier rejoint l'équipe de Nantes lundi prochain.",
            {("PERSON", "Amélie Fournier"), ("LOCATION", "Nantes")},
        ),
    ],
)
def test_finds_people_and_places_in_unseen_sentences(tagger, text, expected):
    assert expected <= tagged(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "The Quarterly Report Is Ready For Review.",
        "Real Madrid beat Bayern München in the semi-final.",
        "Downloaded the update from Microsoft Teams and Spotify kept crashing.",
        "Honestly the battery life is great. Shipping took four days.",
        "Monday works better, Tuesday I am stuck in meetings.",
        "Bought it at IKEA, assembly took an hour with the Allen key.",
    ],
)
def test_leaves_ordinary_capitalized_words_alone(tagger, text):
    assert tagged(tagger, text) == set()


def test_detector_reports_the_tagger_version(detector):
    v = detector.versions()
    assert v["name_tagger"] != "off" and len(v["name_tagger"]) == 12


@pytest.mark.parametrize(
    "text, expected",
    [
        # the rules find nothing here
        ("We finally bought a flat in Ljubljana and the kids love the river.", {("LOCATION", "Ljubljana")}),
        # the rules read "from X" and "de X" as people; the tagger knows better
        ("For sale: dining table, collection only from Harrogate.", {("LOCATION", "Harrogate")}),
        (
            "Bonjour à tous, Amélie Fournier rejoint l'équipe de Nantes lundi prochain.",
            {("PERSON", "Amélie Fournier"), ("LOCATION", "Nantes")},
        ),
        # the tagger misses a name after "chez", the rules find it: the detector has both
        (
            "Nous avons dîné chez Hélène Marchetti à Grenoble samedi dernier.",
            {("PERSON", "Hélène Marchetti"), ("LOCATION", "Grenoble")},
        ),
    ],
)
def test_detector_combines_rules_and_tagger(detector, text, expected):
    got = found(detector, text)
    assert expected <= got and {e for e, _ in got} <= {"PERSON", "LOCATION"}
    assert {v for _, v in got} == {v for _, v in expected}


def test_missing_model_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "nope.crf.gz"
    with pytest.raises(TaggerError, match="nope.crf.gz: name tagger model not found") as err:
        NameTagger.load(load_lexicon(), path)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "header", "not_crf"])
def test_damaged_model_is_one_line_naming_the_file(tmp_path, damage):
    path = tmp_path / "bad.crf.gz"
    good = MODEL_PATH.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\x01 not a model")
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "header":
        path.write_bytes(gzip.compress(b"something else\n" + read_model(MODEL_PATH)))
    else:
        write_model(path, b"CRFSUITE? no")
    with pytest.raises(TaggerError, match="bad.crf.gz") as err:
        NameTagger.load(load_lexicon(), path)
    assert "\n" not in str(err.value)


def test_no_place_reaches_across_a_tab_from_a_dated_line(detector):
    # Calendar lines, "month/day<tab>event": the day is no house number, "Harold Ford" no street (Ford is a
    # street word), and no span opens with the date's slash.
    text = (
        "04/02\tIngrid Valtonen born, 1911\n04/03\tHarold Ford sails for Lisbon, 1920\n"
        "08/17\tMae Lindqvist born, 1892\n05/17\tMarta Kowalczyk dies in Gdansk, 1966"
    )
    hits = detector.scan_text(text)
    assert all("\t" not in text[s:t] and text[s].isalnum() for _, s, t, _ in hits)
    assert {("PERSON", "Ingrid Valtonen"), ("PERSON", "Marta Kowalczyk"), ("LOCATION", "Gdansk")} <= found(detector, text)


@pytest.mark.parametrize(
    "text, person",
    [
        # the tagger reads a sentence's first words as no entity; a title of address makes them a name
        ("Mr. Young came in.", "Mr. Young"),
        ("Miss Prism bows her head.", "Miss Prism"),
    ],
)
def test_the_tagger_does_not_veto_a_titled_name(detector, text, person):
    assert ("PERSON", person) in found(detector, text)


def test_a_title_opening_a_firm_name_is_no_person(detector):
    # "Ing." (an engineer) opens Austrian firms' names: the legal form at the end makes it a firm
    assert not any(e == "PERSON" for e, _ in found(detector, "Ing. Knauseder Mechatronik GmbH\nMaierhof 12"))
