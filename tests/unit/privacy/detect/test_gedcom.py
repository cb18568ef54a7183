"""GEDCOM records read by their tags: people, places, dates of birth; not a repository's name, not a death's date."""

from __future__ import annotations

from aircluster.privacy.detect.gedcom import gedcom_fields, gramps_fields

RECORD = """0 @I7@ INDI
1 NAME Orsolya /Vekerdi-Pál/
2 GIVN Orsolya
2 SURN Vekerdi-Pál
1 SEX F
1 BIRT
2 DATE 14 MAR 1871
2 PLAC Kisbér, Komárom, Hungary
1 DEAT
2 DATE 3 JUN 1930
2 PLAC Toledo, Lucas Co., OH
1 RESI
2 ADDR 12 Orchard Lane
2 PHON +1 419 555 0187
0 @R1@ REPO
1 NAME Lucas County Records Office
0 @I8@ INDI
1 NAME Bálint /Vekerdi/
1 BIRT
2 DATE ABT 1869
"""


def _found(text: str) -> set[tuple[str, str]]:
    return {(e, text[s:t]) for e, s, t, _ in gedcom_fields(text)}


def test_the_tags_say_who_where_and_when_born():
    assert _found(RECORD) == {
        ("PERSON", "Orsolya /Vekerdi-Pál/"),
        ("PERSON", "Orsolya"),
        ("PERSON", "Vekerdi-Pál"),
        ("DATE_OF_BIRTH", "14 MAR 1871"),  # under BIRT; the death's date is not one
        ("LOCATION", "Kisbér, Komárom, Hungary"),
        ("LOCATION", "Toledo, Lucas Co., OH"),
        ("LOCATION", "12 Orchard Lane"),
        ("PHONE_NUMBER", "+1 419 555 0187"),
        ("PERSON", "Bálint /Vekerdi/"),  # his birth's "ABT 1869" dates no birth exactly
    }


def test_text_that_only_looks_like_a_line_or_two_is_not_read():
    assert gedcom_fields("1 NAME Orsolya\nsee you soon") == []
    assert gedcom_fields("Notes:\n3 PLAC things to buy\n4 DATE the rest\n5 NOTE later\n") == []  # no level 0 or 1


def test_a_submitters_empty_fields_and_a_placeholder_address_are_left_out():
    text = "0 @SUBM@ SUBM\n1 NAME Zdeněk Hrubý,,,\n1 ADDR Not Provided\n2 CONT Not Provided\n"
    assert _found(text) == {("PERSON", "Zdeněk Hrubý")}


def test_the_detector_prefers_the_tags_to_its_guesses(detector):
    found = {(e, RECORD[s:t]) for e, s, t, _ in detector.scan_text(RECORD)}
    assert ("LOCATION", "Toledo, Lucas Co., OH") in found and ("DATE_OF_BIRTH", "14 MAR 1871") in found
    assert not any(e == "PERSON" and "Lucas County" in span for e, span in found)


def test_an_events_description_names_its_people():
    # a genealogy program's wording: the event, "of", one person or two joined by "and"
    text = "0 @I9@ INDI\n1 NAME Kerstina /Hansdottir/\n1 BIRT\n2 TYPE Birth of Kerstina Hansdottir\n1 MARR\n"
    text += "2 TYPE Marriage of Kerstina Hansdottir and Nils Ohlsson\n"
    got = _found(text)
    assert ("PERSON", "Kerstina Hansdottir") in got and ("PERSON", "Nils Ohlsson") in got
    # a type that is no event of someone's stays unread
    assert not any(v == "Residence" for _, v in _found("0 @I9@ INDI\n1 RESI\n2 TYPE Residence\n2 PLAC Ystad\n"))


def test_the_descriptions_of_gramps_xml_events_name_their_people():
    text = (
        "<event>\n  <description>Marriage of Landry, Maurice T. and Estrada, Mary Claire</description>\n</event>\n"
        "<event>\n  <description>Burial of Garner, Jesse V.</description>\n</event>\n"
        "<event>\n  <description>Annual meeting of the society</description>\n</event>\n"
    )
    got = {(e, text[s:t]) for e, s, t, _ in gramps_fields(text)}
    assert got == {("PERSON", "Landry, Maurice T."), ("PERSON", "Estrada, Mary Claire"), ("PERSON", "Garner, Jesse V.")}


def test_a_gramps_places_title_and_names_are_places():
    text = '<placeobj id="P1659" type="City">\n  <ptitle>Marion, IN</ptitle>\n  <pname value="Marion"/>\n'
    text += '  <coord long="-85.75" lat="40.55"/>\n</placeobj>\n<placeobj id="P2"><pname value="42"/></placeobj>'
    assert {(e, text[s:t]) for e, s, t, _ in gramps_fields(text)} == {("LOCATION", "Marion, IN"), ("LOCATION", "Marion")}
