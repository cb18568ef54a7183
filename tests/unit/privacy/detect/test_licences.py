"""Driver's licence numbers: found after words naming a licence or under a key naming one, never bare."""

from __future__ import annotations

import time

import pytest

from aircluster.privacy.detect import licences as lic
from aircluster.privacy.detect.cues import anchored
from aircluster.privacy.detect.licences import driver_licences, licence_field, licence_value
from aircluster.privacy.detect.patterns import field_cues

from ..conftest import found

FOUND = [
    # English, the ways people and forms write it
    ("My driver's license number is F89390310", "F89390310"),
    ("Driver's License No.: D123-4567-8901.", "D123-4567-8901"),
    ("drivers license # S530-4127-9983-21", "S530-4127-9983-21"),
    ("Driver’s Licence: 123456789 (Ontario)", "123456789"),
    ("UK driving licence: MORGA753116SM9IJ, valid to 2030", "MORGA753116SM9IJ"),
    ("driving licence number MORGA 753116 SM9IJ", "MORGA 753116 SM9IJ"),
    ("DRIVER'S LICENSE NUMBER IS F89390310", "F89390310"),
    ("Driver Lic. #A1234567", "A1234567"),
    ("driving permit 4GH12345 issued in Kenya", "4GH12345"),
    ("DL# F89390310", "F89390310"),
    ("DL no. E21025108", "E21025108"),
    ("dl number h86652683 thx", "h86652683"),
    ("DL\t# E21025108", "E21025108"),
    ("licence no. 1234567 (DVLA)", "1234567"),
    ("Licence number 12345678, she says, for her driving test", "12345678"),
    # German, French, Spanish, Italian, Dutch
    ("Führerscheinnummer: B072RRE2I55", "B072RRE2I55"),
    ("Mein Führerschein-Nr. B072RRE2I55 liegt bei", "B072RRE2I55"),
    ("Fahrerlaubnisnummer J0100ABC123", "J0100ABC123"),
    ("numéro de permis de conduire : 123456789012", "123456789012"),
    ("Permis de conduire n° 13AB45678", "13AB45678"),
    ("Mi número de licencia de conducir es X1234567.", "X1234567"),
    ("carné de conducir: 12345678Z", "12345678Z"),
    ("Carne de conducir 12345678Z", "12345678Z"),
    ("permiso de conducir n° 44556677K", "44556677K"),
    ("Il numero della patente di guida è U1AB23456C", "U1AB23456C"),
    ("patente n. MI1234567A", "MI1234567A"),
    ("Rijbewijsnummer: 5123456789", "5123456789"),
    ("mijn rijbewijs is 4812345678", "4812345678"),
]


@pytest.mark.parametrize("text,value", FOUND)
def test_a_number_after_words_naming_a_licence(text, value):
    assert [text[s:t] for _, s, t, _ in driver_licences(text)] == [value]


NOT_FOUND = [
    "F89390310",  # no cue: a bare token is an order number as much as a licence
    "Order B072RRE2I55 shipped on 2024-03-12, tracking MORGA753116SM9IJ",
    "Please send the licence number 12345678 of the software you bought",  # no driving named
    "driving licence since 2015",  # too short, and "since" ends the search
    "DL expires 03/12/2027",
    "driving licence expires 12.03.2027",
    "driver's licence 2027-03-12",
    "driver's licence and phone 07700 900123",
    "driver's license: 123-45-6789",  # an SSN's shape
    "Driver's license and passport 123456789 both required",
    "DL: 500Mbps UL: 20Mbps",  # a download speed
    "I lost my driving licence. Then 123456 things went wrong",  # the sentence ended
    "My driver's license",  # the cue at the end of the text
    "Führerscheinklasse B12345",  # the class, not the number
    "driving licence\nF89390310",  # the number must be on the cue's line
    "handle 12345678, middle DL-5",  # "dl" inside words
    "my driving licence was suspended 3 times in 2019",
    "the driver's license plate ABC1234 was seen leaving",  # a car's plate, not the licence
    "GPU driver 535.104.05 installed, driver licence version 2.3.1",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_no_licence_without_a_cue_right_before_the_number(text):
    assert driver_licences(text) == []


def test_a_number_glued_to_punctuation_keeps_only_itself():
    for text in ("(DL#F89390310)", "DL#F89390310.", "DL# F89390310, then", '"driver_license F89390310"'):
        assert [text[s:t] for _, s, t, _ in driver_licences(text)] == ["F89390310"], text


def test_each_cue_finds_its_own_number_in_one_text():
    text = "DL# F89390310 and Führerscheinnummer: B072RRE2I55; rijbewijsnummer 5123456789"
    assert [text[s:t] for _, s, t, _ in driver_licences(text)] == ["F89390310", "B072RRE2I55", "5123456789"]


@pytest.mark.parametrize(
    "name,says",
    [
        ("driver_license", True),
        ("driversLicenseNumber", True),
        ("DL No", True),
        ("dl_number", True),
        ("Führerscheinnummer", True),
        ("numero_patente", True),
        ("numéro de permis de conduire", True),
        ("rijbewijs", True),
        ("drivers_license_no", True),
        ("dl_expiry", False),
        ("driver_license_state", False),
        ("driver_license_issue_date", False),
        ("license_number", False),  # a software or trade licence as likely
        ("driver", False),  # the person driving
        ("permis", False),
    ],
)
def test_a_key_names_a_licence_number(name, says):
    assert licence_field(name) is says


def test_a_licence_value_has_a_digit_and_no_date_or_ssn_shape():
    assert all(map(licence_value, ["F89390310", "D123-4567-8901", "MORGA 753116 SM9IJ", "123456789012"]))
    assert not any(map(licence_value, ["ABCDEFGH", "1234", "2027-03-12", "123-45-6789", "F8939 0310x", "a/b1234"]))


def test_records_name_licences_by_key_and_column(detector):
    record = {"name": "Anna Berg", "driver_license": "F89390310", "dl_expiry": "2027-03-01", "licence": "F89390310"}
    hits = {(f.entity, f.field, record[f.path[0]][f.start : f.end]) for f in detector.scan_record(record)}
    assert ("DRIVER_LICENSE", "driver_license", "F89390310") in hits
    assert not any(field in ("dl_expiry", "licence") and e == "DRIVER_LICENSE" for e, field, _ in hits)
    json_text = '{"name": "Anna Berg", "dl_number": "D123-4567-8901", "dl_issued": "2019-05-02"}'
    assert ("DRIVER_LICENSE", "D123-4567-8901") in found(detector, json_text)
    assert ("DRIVER_LICENSE", "2019-05-02") not in found(detector, json_text)
    table = "name,drivers_license,state\nAnna Berg,D123-4567-8901,CA\nLi Wei,F89390310,NY\n"
    assert {v for e, v in found(detector, table) if e == "DRIVER_LICENSE"} == {"D123-4567-8901", "F89390310"}
    yaml = "Führerscheinnummer: B072RRE2I55\nKlasse: B\n"
    assert ("DRIVER_LICENSE", "B072RRE2I55") in found(detector, yaml)


def test_a_licence_leaves_ssns_phones_and_birth_dates_to_their_types(detector):
    text = "DL# F89390310, SSN 123-45-6789, call (415) 555-2671, born 14 March 1987"
    got = found(detector, text)
    assert {("DRIVER_LICENSE", "F89390310"), ("US_SSN", "123-45-6789"), ("PHONE_NUMBER", "(415) 555-2671")} <= got
    assert ("DATE_OF_BIRTH", "14 March 1987") in got
    assert [e for e, _ in got if e == "DRIVER_LICENSE"] == ["DRIVER_LICENSE"]
    assert not any(e == "DRIVER_LICENSE" for e, _ in found(detector, "driving licence, phone +44 7700 900123"))
    assert not any(e == "DRIVER_LICENSE" for e, _ in found(detector, "My SSN is 123-45-6789, not my driver's license."))


def test_a_licence_the_cue_names_wins_over_a_phone_read_from_its_digits(detector):
    text = "driving licence number: 07700900123"
    assert ("DRIVER_LICENSE", "07700900123") in found(detector, text)
    assert not any(e == "PHONE_NUMBER" for e, _ in found(detector, text))


def test_the_cue_pattern_tried_only_at_its_openings_finds_the_same():
    texts = [t for t, _ in FOUND] + NOT_FOUND + ["driver\u0130s licence 12345678"]  # İ: the cue pass gives up
    for short in texts:
        text = short + " and then some more words" * 10
        assert [m.span() for m in lic._CUE.finditer(text)] == [
            m.span() for m in anchored(lic._CUE, text, field_cues(text).starts(lic.LICENCE_CUE_KIND))
        ], short


def test_text_without_a_cue_is_not_searched():
    assert not field_cues("The report was sent on time, numbers F89390310 again. " * 50).has(lic.LICENCE_CUE_KIND)


def _cpu(text: str) -> tuple[float, int]:
    start = time.process_time()
    hits = driver_licences(text)
    return time.process_time() - start, len(hits)


def test_cost_grows_with_the_length_not_its_square():
    piece = "Driver's licence number F89390310, sent on time to the team; a driving licence since 2015. "
    small, large = piece * 1100, piece * 11_000  # about 100 kB and 1 MB, a cue every 45 characters
    _cpu(small)
    small_time, small_hits = min(_cpu(small) for _ in range(2))
    # both the best of two: a collection of the test session's heap inside one call is no cost of the scan
    large_time, large_hits = min(_cpu(large) for _ in range(2))
    assert (small_hits, large_hits) == (1100, 11_000)
    assert large_time < 20 * small_time, (small_time, large_time)
