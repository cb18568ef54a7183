"""The last check on PERSON and LOCATION spans: ordinary words, firms, brands and time zones are no
people or places; names that are also words, and people next to such words, still are."""

from __future__ import annotations

import gzip

import pytest

from aircluster.privacy.detect.lexicon import FREQUENT_WORDS_PATH, load_lexicon
from aircluster.privacy.detect.names_places import CUED_PERSON
from aircluster.privacy.detect.not_people import NotPeople

from ..conftest import found


@pytest.fixture(scope="module")
def check() -> NotPeople:
    return NotPeople(load_lexicon())


def _keep(check: NotPeople, text: str, value: str, entity: str = "PERSON") -> bool:
    start = text.index(value)
    return check.keep(text, (entity, start, start + len(value), 0.8))


DROPPED = [
    ("PERSON", "Dear Colleague,\nthank you for the referral.", "Colleague"),
    ("PERSON", "Nachruf\nMaria Sancho ist friedlich eingeschlafen.", "Nachruf"),
    ("PERSON", "Ruhe in Frieden.\nUnsere Familie", "Unsere Familie"),
    ("PERSON", "Listed by Keystone Realty", "Keystone Realty"),
    ("PERSON", "Agent: Harbour & Vale Estates", "Harbour"),
    ("PERSON", "Bulletin d'adhésion — Sevilla FC Peña Los Olivos", "Sevilla"),
    ("PERSON", "Arrangements: Bestattungshaus Lichtblick", "Lichtblick"),
    ("PERSON", "you placed an order with Wayfarer Luggage.", "Wayfarer"),
    ("PERSON", "Also bought: Calvin Klein socks", "Calvin Klein"),
    ("PERSON", "Music: 'Dog Days' by Florence + the Machine", "Florence"),
    ("PERSON", "TZID=Europe/Paris:20240706T143000", "Paris"),
    ("LOCATION", "Time zone: America/Chicago", "America/Chicago"),
    ("LOCATION", "Time zone: Europe/Madrid", "Madrid"),
    ("LOCATION", "Passport reported lost at the airport", "Passport"),
    ("PERSON", "Recipe swap: lentil dal with tamarind and curry leaves.", "curry leaves"),  # lower case, no name
    ("PERSON", "Worked with Quorra at Morgan Stanley.", "Morgan Stanley"),
    ("PERSON", "Overdue notice · Dean & DeLuca Library", "DeLuca Library"),
    ("PERSON", '{"meta": {"versionId": "54"}}', "meta"),  # a JSON key
    ("LOCATION", "Hearing on 8 March 2025 in Courtroom 42", "Courtroom 42"),
    # a Roman numeral and an era after a year are no places, though the place lists hold "II" and "BC"
    ("LOCATION", "when defeated in World War II. Libya then passed to UN administration", "II"),
    ("LOCATION", "Frankenstein, Vol. II, Chapter 7.", "II"),
    ("LOCATION", "Adam Mickiewicz, _Pan Tadeusz_, II. 1834.", "II."),
    ("LOCATION", "ancient Greek sculptor (circa 500-432 BC)", "BC"),
    # a people's plural after "the" is the people, not the town of Romans
    ("LOCATION", "Nabis was conquered by the Romans under Flamininus.", "Romans"),
    ("LOCATION", " 66461499  UPDATED 28/10/2021 BY BATCH", "2021 BY BATCH"),
    ("PERSON", "Der Sauerteig braucht bei dieser Kälte zwei Tage.", "Tage"),
    ("PERSON", "Nachlasspfleger: Prof. Dr. Quorra Velandt\nKanzlei Morgenroth", "Morgenroth"),
    ("LOCATION", "[UFW BLOCK] IN=eth0 LEN=39 TTL=49 ID=60412 PROTO=TCP", "60412 PROTO"),
    ("PERSON", "Madam Speaker, Vice President Cheney, Members of Congress.", "Madam Speaker"),  # an office addressed
    ("PERSON", "Mr. President, I thank you for the honour.", "Mr. President"),
    ("PERSON", "Toshin Steel, with 1,700 workers, has given no forecast.", "Toshin Steel"),  # an industry's word
    ("PERSON", "Suffield Financial Corp said the merger was approved.", "Suffield"),  # a legal form two words on
    ("PERSON", "Viacom International Inc got two bids. Viacom said it would decide.", "Viacom"),  # written whole there
]

KEPT = [
    ("LOCATION", "She moved to Vancouver, BC in 2010.", "BC"),  # the province after a town
    ("LOCATION", "He lives in Romans, a town in the Drome.", "Romans"),  # the town
    ("LOCATION", "Write to Carrollton, MD 21014.", "MD"),  # a state's code of the numerals' letters
    ("PERSON", "Thanks Grace, see you Monday.", "Grace"),  # a name that is also a word
    ("PERSON", "I'm Shane, friends call me Sully.", "Sully"),  # a nickname that is a word
    ("PERSON", "Device name: Robert's iPhone", "Robert's"),
    ("PERSON", "Reviewer: Conor Bank details below", "Conor"),  # "Bank details", not a bank
    ("PERSON", "Written by Devaux, Amélie & Coulon, Raymond.", "Devaux, Amélie"),
    ("PERSON", "Thanks Sara Lee, see you next week!", "Sara Lee"),  # a person, not only a cake brand
    ("PERSON", "Our speaker is Paul Smith from the council.", "Paul Smith"),
    ("PERSON", "Ask Dr. Haus about the results.", "Dr. Haus"),  # a title makes it a name
    ("PERSON", "Miss Pope sang at the recital.", "Miss Pope"),  # a rank's word after a title: a surname
    ("PERSON", "Charlotte Church sang at the gala.", "Charlotte Church"),  # a surname that names a venue
    ("LOCATION", "We moved to Reading last spring.", "Reading"),  # a town that is a word
    ("LOCATION", "Lieferung an Hauptstraße 12, 10115 Berlin", "Hauptstraße 12, 10115 Berlin"),
    ("PERSON", "caller: yes it's for maria garcia", "maria garcia"),  # known names in a lower-case line
    ("LOCATION", "12 Court Road, Leeds", "12 Court Road"),
    ("LOCATION", "Flat 66Q Smith Summit\nPort Jeanview\nB8J 1XH", "B8J 1XH"),  # a postcode in capitals
    ("LOCATION", "Ship to: Postfach 90 84 97, 71074 Finsterwalde", "Postfach 90 84 97"),
]


@pytest.mark.parametrize("entity,text,value", DROPPED, ids=[v for _, _, v in DROPPED])
def test_no_person_or_place(check, entity, text, value):
    assert not _keep(check, text, value, entity)


@pytest.mark.parametrize("entity,text,value", KEPT, ids=[v for _, _, v in KEPT])
def test_still_a_person_or_place(check, entity, text, value):
    assert _keep(check, text, value, entity)


def test_the_detector_applies_the_check(detector):
    assert ("PERSON", "Colleague") not in found(detector, "Dear Colleague,\nthe results are attached.")
    assert ("PERSON", "Anna") in found(detector, "Dear Anna,\nthe results are attached.")


def test_the_frequent_word_list_holds_no_name_or_place():
    lx = load_lexicon()
    with gzip.open(FREQUENT_WORDS_PATH, "rt", encoding="utf-8") as f:
        words = {line.strip() for line in f}
    assert len(words) > 50_000 and {"colleague", "passport", "familie", "nachruf"} <= words
    assert not words & (lx.first_names | lx.last_names | lx.places)
    assert not {"john", "grace", "mark", "maria", "paris"} & words  # held-out and shipped names alike


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("Viacom International Inc said it got two bids. Viacom said it would decide soon.", "Viacom"),
        ("Pittston Co said it agreed to buy WTC. Pittston said the exchange was tax-free.", "Pittston"),
        ("Houston Oil Trust Inc said the field was sold.", "Houston"),  # a legal form a few words on
    ],
)
def test_a_name_the_text_writes_as_a_firms_is_no_person(detector, text, firm):
    assert ("PERSON", firm) not in found(detector, text)


def test_a_person_of_a_firm_and_a_man_named_like_his_firm_stay_people(detector):
    text = "Harri Petajainen of Watkin Jones PLC spoke first."
    assert ("PERSON", "Harri Petajainen") in found(detector, text)
    text = "said Thomas McKiernan, McKiernan and Co chairman. Prices will rise, McKiernan explained."
    assert sum(1 for e, span in found(detector, text) if e == "PERSON" and "McKiernan" in span) >= 2


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The exception are Bigelow teas: and first and foremost", "Bigelow"),  # a name before the goods it makes
        ("I first tasted Britt coffee several years ago", "Britt"),
        ("Purina Cat Chow (3.5-lb bag) arrived on time", "Purina Cat Chow"),  # a shop's title, then its size
        ("Roland Kwong Sang Tea, Passion Fruit, 2.5-Ounce Tins (Pack of 6)", "Roland Kwong Sang Tea"),
        ("K-Cups for Keurig Brewers, 24-Count K-cups (Pack of 2)", "Count K-cups"),  # a unit glued to its number
    ],
)
def test_makers_and_shop_titles_are_no_people(check, text, value):
    assert not _keep(check, text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("She made Anna cookies for the trip", "Anna"),  # a verb with two objects: Anna is given the cookies
        ("Grandma Rose's cookies are the best", "Grandma Rose's"),  # hers, perhaps
        ("Mary Jones, 7 lb 3 oz, born at noon", "Mary Jones"),  # a weight written as a birth notice writes it
    ],
)
def test_people_beside_goods_and_weights_stay_people(check, text, value):
    assert _keep(check, text, value)


def test_amazon_is_the_shop_unless_the_text_speaks_of_its_land(check):
    assert not _keep(check, "we ordered a case from Amazon, delivered to the door", "Amazon", "LOCATION")
    assert not _keep(check, "I am glad to find this in Amazon.", "Amazon", "LOCATION")
    assert _keep(check, "time between December 29 and January 3 while we were on the Amazon.", "Amazon", "LOCATION")
    assert _keep(check, "constellations observed in Brazil's Amazon region, we mapped", "Amazon", "LOCATION")


@pytest.mark.parametrize(
    "text,speaker",
    [
        ('"Wants with it?" said Flask, coiling some spare line in the boat.', "Flask"),
        ('"By the way, how would it look," said Clown, "if we place Madonna by Raphael?"', "Clown"),
        ("\"That's all right. Nobody's around,\" remarked Clown as he glanced at me.", "Clown"),
    ],
)
def test_the_speaker_after_the_words_of_speech_may_be_a_frequent_word(check, detector, text, speaker):
    # a story names the speaker there, a nickname made of a frequent word too
    start = text.index(speaker)
    assert check.keep(text, ("PERSON", start, start + len(speaker), CUED_PERSON))
    assert ("PERSON", speaker) in found(detector, text)


@pytest.mark.parametrize(
    "text,word",
    [
        ('"Come here," said Mother.', "Mother"),  # kin alone: a reference, not a name
        ("The clown said Flask is a bottle.", "Flask"),  # no words of speech closed by a quote before the verb
    ],
)
def test_kin_or_a_verb_of_saying_without_a_quote_before_it_speaks_for_no_frequent_word(check, text, word):
    start = text.rindex(word)
    assert not check.keep(text, ("PERSON", start, start + len(word), CUED_PERSON))
