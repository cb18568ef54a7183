"""Places named without a number (named_places.py): streets and geographic features by their English shape,
places a description or a place noun names, and no PERSON for a real country by name alone. The names are
made up where the reading needs no list, so the tests check the shape, not a word the lists hold."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.named_places import NamedPlaces
from aircluster.privacy.detect.towns import load_towns

from ..conftest import found


@pytest.fixture(scope="module")
def places() -> NamedPlaces:
    lexicon = load_lexicon()
    return NamedPlaces(lexicon, load_towns(lexicon))


def spans(places: NamedPlaces, text: str) -> set[str]:
    return {text[s:e] for entity, s, e, _ in places.scan(text) if entity == "LOCATION"}


STREETS = [
    ("We took rooms in Quellbury Street for the winter.", "Quellbury Street"),
    ("The shop on Vantor Avenue closed.", "Vantor Avenue"),
    ("Meet me at Ostrey Square, by the fountain.", "Ostrey Square"),
    ("Old books were sold in Drennick Lane.", "Drennick Lane"),
    ("He lived on Marlow Ave. until 1990.", "Marlow Ave."),
    ("a house in Upper Tolliver\nRoad, near the church", "Upper Tolliver\nRoad"),  # one line break inside
    ("Brannock Road closed by a crowd of carts.", "Brannock Road"),  # a verb after it
]


@pytest.mark.parametrize("text, street", STREETS)
def test_a_named_street_without_a_number_is_a_place(places, text, street):
    assert street in spans(places, text)


NOT_STREETS = [
    "The Quellbury Street Journal printed it.",  # a longer name: a paper
    "They made the album at Vantor Road Studios.",  # a firm
    "Quellbury Street attitudes toward the capital were cool.",  # used as an adjective
    "[Vantor Street slang.]",  # a trade's slang, not the street
    "The Street was empty that night.",  # an ordinary noun opening a sentence
    "Prayers to St. Ambrel were said.",  # "St." before a name: a saint
    "A co-worker, Penny Lane, saw it.",  # a known first name before a surname street word
    "Michael Bay directed the film.",
    "Favourite show: Quellbury Street. Favourite song: Vantor Road.",  # titles of works
    "We watched the film Ombra River last night.",
    "Vantor Road (the album) came out in 1969.",
    "Her favourite record is “Vantor Road”.",
    "She won First Place and sat in the Front Row.",  # ordinary words before "Place", "Row"
]


@pytest.mark.parametrize("text", NOT_STREETS)
def test_a_street_word_inside_another_name_is_no_street(places, text):
    assert not spans(places, text)


FEATURES = [
    ("a port on the Varrow Sea that trades in oil", "Varrow Sea"),
    ("at the foot of the Kestrel Mountains", "Kestrel Mountains"),
    ("a town on the Ombra River in the east", "Ombra River"),
    ("on the River Tessel; the site of a council", "River Tessel"),
    ("at the northern end of Lake Ivrin near the border", "Lake Ivrin"),
    ("They climbed Mount Corvel in June.", "Mount Corvel"),
    ("ships crossing the Gulf of Tamaru", "Gulf of Tamaru"),
    ("a holiday on the Isle of Brenn", "Isle of Brenn"),
    ("the first man to reach the South Pole", "South Pole"),
    ("a port city on the English Channel", "English Channel"),  # a place adjective before "Channel"
    ("15 miles from the famous Tarrow National Park.", "Tarrow National Park"),
    # a feature word in lower case after an article or a preposition
    ("we rowed along the river Tessel at dawn", "river Tessel"),
    ("and he dwelt in mount Corvel all his days", "mount Corvel"),
    ("they came to the brook Ostrey, where the rest stayed", "brook Ostrey"),
]


@pytest.mark.parametrize("text, feature", FEATURES)
def test_a_geographic_feature_is_a_place(places, text, feature):
    assert feature in spans(places, text)


NOT_FEATURES = [
    "We watched the Disney Channel all day.",  # a TV channel: no place before "Channel"
    "the Kestrel River Authority met",  # a longer name
    "They drove to Salt Lake City.",  # the feature word inside a town's name (the town is found elsewhere)
    "Mount NFS shares before the job starts.",  # a verb and an acronym
    "the Magnetic Pole Society and the Far Pole",  # "Pole" only after north, south or magnetic, alone
    "The couple will honeymoon in the Lake District.",  # a region named by a kind of place, no lake
    "Remember to mount Windows shares first.",  # "mount" in lower case is a verb after "to"
    "Then mount Ostrey volumes on the node.",  # and without an article or a preposition before it
]


@pytest.mark.parametrize("text", NOT_FEATURES)
def test_a_feature_word_inside_another_name_is_no_feature(places, text):
    assert not spans(places, text) or "Magnetic Pole" not in text


DESCRIBED = [
    ("Vellano, Vellan: a city in northern Ombria (west of Tarrow)", {"Vellano", "Vellan", "Tarrow"}),
    ("Brisk: an old town in southern Calvary on the gulf", {"Brisk", "Calvary"}),
    ("Port Amsel, capital of Dorvania: the capital and largest city", {"Port Amsel", "Dorvania"}),
    ("Talvo Square: the area of Quent around the old gate", {"Talvo Square", "Quent"}),
    ("We flew to Ombrin, a city in eastern Tessaly, in May.", {"Ombrin", "Tessaly"}),
    ("Ombrin is a port city on the coast of Tessaly.", {"Ombrin", "Tessaly"}),
    ("a market near the border with Dorvania", {"Dorvania"}),
    ("a town to the southwest of Tarrow", {"Tarrow"}),
    ("a major avenue in Quent famous for its shops", {"Quent"}),
    ("around the intersection of Quentway and Ninth Avenue; heart of", {"Quentway", "Ninth Avenue"}),
    ("at the corner of Ostrey and Vantor.", {"Ostrey", "Vantor"}),
    ("a lake in Central Tarrow, a town in North Ombria", {"Central Tarrow", "North Ombria"}),  # a name's own word
    ("and they dwelt in the land of Quorrah until the famine", {"Quorrah"}),
    ("he farmed in the county of Ostrey and the valley of Vantor", {"Ostrey", "Vantor"}),
    # a place's towns, walls, men and ruler
    ("the cities of Quorrah were burned, and the walls of Tarrow fell", {"Quorrah", "Tarrow"}),
    ("then the men of Vantor went out against the king of Ostrey", {"Vantor", "Ostrey"}),
    ("the mayor of Quent and the inhabitants of Brisk", {"Quent", "Brisk"}),
]


@pytest.mark.parametrize("text, names", DESCRIBED)
def test_a_place_a_description_or_a_place_noun_names(places, text, names):
    assert names <= spans(places, text)


NOT_DESCRIBED = [
    "Ostrel, Amon Ostrel: English physician who discovered vaccination",  # a person's gloss
    "Grafana: a dashboard in every cluster",  # no place noun
    "Tessa, a friend in need, called.",  # a person described by a noun that is no place
    "Nirvana: the state of being free from suffering",  # "state of" needs a capitalized name after it
    "This is the Debian port of Quillsoft Make.",  # software has ports
    "Keep the state in Reactor, not in the view.",  # and state
    "They sang for the people of Quorrah.",  # "people of" may name a following ("the people of God")
    "He was crowned King of Quent Records.",  # a capitalized title names a firm's or a genre's "king", not a realm's
    "It is an industrial city on the coast.",  # a pronoun points back to the place, it names none
    "There was a port town on the coast.",
]


@pytest.mark.parametrize("text", NOT_DESCRIBED)
def test_a_description_that_names_no_place(places, text):
    assert not spans(places, text)


def test_the_detector_reports_the_readings(detector):
    text = "Vellano: a city in northern Ombria on the Ombra River, near Quellbury Street."
    hits = found(detector, text)
    for place in ("Vellano", "Ombria", "Ombra River", "Quellbury Street"):
        assert ("LOCATION", place) in hits


def test_a_real_country_is_no_person(detector, places):
    text = "a town near the border with Rwanda"
    assert ("PERSON", "Rwanda") not in found(detector, text)
    assert ("LOCATION", "Rwanda") in found(detector, text)
    # The filter itself: a PERSON whose words are a real country goes, a person stays, and a town that the
    # place lists lack (a nickname elsewhere) stays a person.
    hits = [("PERSON", 0, 6, 0.8), ("PERSON", 11, 20, 0.8), ("PERSON", 25, 30, 0.6)]
    kept = places.people_as_places("Rwanda and Anna Berg, and Basti", hits)
    assert kept == hits[1:]


def test_a_country_after_noun_of_is_the_country(detector, places):
    # "Israel", "India" are first names too; after "<noun> of" they name the country.
    for text, country in (
        ("He spoke to the children of Israel, and they went.", "Israel"),
        ("The Prime Minister of India met them.", "India"),
    ):
        assert ("LOCATION", country) in found(detector, text)
        assert ("PERSON", country) not in found(detector, text)
    # The filter itself: kin and likeness words keep a person, a surname stays a person, two words are no country.
    text = "the son of Israel; a portrait of Georgia; the band of Jordan; the God of Israel Kahn"
    hits = [("PERSON", text.index(w), text.index(w) + len(w), 0.9) for w in ("Israel", "Georgia", "Jordan", "Israel Kahn")]
    assert places.people_as_places(text, hits) == hits
    hits = [("PERSON", 11, 17, 0.9)]
    assert places.people_as_places("the men of Israel fled", hits) == [("LOCATION", 11, 17, 0.9)]


def test_a_capitalized_cue_is_part_of_a_name(places):
    assert not spans(places, "She works at the Bank of Dorvania.")
    assert "Dorvania" in spans(places, "on the banks of the Dorvania")


def test_a_surname_street_word_inside_a_person_stays_a_person(detector, places):
    assert not spans(places, "This software is copyright 2020, Amon G. Lane and others.")  # an initial
    text = "The work of Quillan Lane, with help from others."
    person = [("PERSON", text.index("Quillan"), text.index(","), 0.8)]
    assert "Quillan Lane" in spans(places, text)  # alone, the shape of a street
    assert not places.scan(text, person)  # inside a person another reading found: none
    listed = "The work of Quillan Lane, Anna Berg and others."
    berg = [("PERSON", listed.index("Anna"), listed.index(" and"), 0.8)]
    assert "Quillan Lane" in spans(places, listed) and not places.scan(listed, berg)  # next to a person in a list


def test_a_real_town_before_its_state_is_a_place(places):
    text = "Offices: Phoenix, Arizona; Paris, TX; Anna, Berlin was great."
    hits = [
        (e, text.index(w), text.index(w) + len(w), 0.9)
        for e, w in (("PERSON", "Phoenix"), ("PERSON", "Paris"), ("PERSON", "Anna"))
    ]
    kept = {(e, text[s:t]) for e, s, t, _ in places.people_as_places(text, hits)}
    assert kept == {("LOCATION", "Phoenix"), ("LOCATION", "Paris"), ("PERSON", "Anna")}


def test_a_town_no_list_names_a_person_is_a_place_after_a_places_preposition(places):
    # the tagger may read an unusual town as a person; after "to" it is the town ("Florence" may be a person there)
    text = "The caravan went to Damascus, then to Florence."
    hits = [(e, text.index(w), text.index(w) + len(w), 0.9) for e, w in (("PERSON", "Damascus"), ("PERSON", "Florence"))]
    kept = {(e, text[s:t]) for e, s, t, _ in places.people_as_places(text, hits)}
    assert kept == {("LOCATION", "Damascus"), ("PERSON", "Florence")}


def test_both_ends_of_a_stretch_are_places_when_one_is(places):
    text = "The avenue runs from Quorrah to the East River, and the trail from Brevelde to Hamburg."
    river = [("LOCATION", text.index("East River"), text.index("East River") + 10, 0.8)]
    got = {(e, text[s:t]) for e, s, t, _ in places.people_as_places(text, river)}
    assert {("LOCATION", "Quorrah"), ("LOCATION", "Brevelde")} <= got  # "Hamburg": a real town by its name


def test_a_place_only_a_guess_found_makes_no_stretch(places):
    # the tagger's place at one end, neither a known place nor named by a feature word: the other end stays as it was
    text = "Migrate the service from Zorblax to Quorrah next week."
    guess = [("LOCATION", text.index("Quorrah"), text.index("Quorrah") + 7, 0.97)]
    assert places.people_as_places(text, guess) == guess


@pytest.mark.parametrize(
    "text",
    [
        "He wrote from Anna to Hamburg.",  # a person's name at one end
        "They drove from Hamburg to Anna's house.",  # a possessive
        "It moved from RTM to Hamburg.",  # an acronym
        "We walked from Quorrah to Brevelde.",  # neither end known as a place
    ],
)
def test_an_end_of_a_stretch_that_may_be_no_place(places, text):
    got = {text[s:t] for e, s, t, _ in places.people_as_places(text, []) if e == "LOCATION"}
    assert not got & {"Anna", "Anna's", "RTM", "Quorrah", "Brevelde"}


def test_a_real_town_before_another_countrys_region_is_a_place(places):
    # A province or Land after the comma names the town's region; a region that is a first name does not.
    text = "Write to Hamilton, Ontario or Erlangen, Bavaria; thanks to Smith, Victoria."
    hits = [
        (e, text.index(w), text.index(w) + len(w), 0.9)
        for e, w in (("PERSON", "Hamilton, Ontario"), ("PERSON", "Erlangen"), ("PERSON", "Smith, Victoria"))
    ]
    kept = {(e, text[s:t]) for e, s, t, _ in places.people_as_places(text, hits)}
    assert kept == {("LOCATION", "Hamilton, Ontario"), ("LOCATION", "Erlangen"), ("PERSON", "Smith, Victoria")}


FILLER = "Nothing here names a place at all, only words in lower case that go on and on. " * 4


@pytest.mark.parametrize("text, names", [(t, {n}) for t, n in STREETS + FEATURES] + DESCRIBED)
def test_a_long_text_finds_the_same_places(places, text, names):
    # Past the length where literal tests decide which patterns run: the same places, at their new offsets.
    long = FILLER + "\n" + text  # a gloss opens a line
    assert len(FILLER) > 256
    assert names <= spans(places, long)


@pytest.mark.parametrize(
    "text,places",
    [
        ("Taiwan, as well as Yaeyama and Miyako islands, adopted a new time zone.", ["Yaeyama", "Miyako"]),
        ("the Kirov, Kuybyshev and Uralsk oblasts moved to Moscow time", ["Kirov", "Kuybyshev", "Uralsk"]),
        # one of a long list a word too ("Lake"), its people's names ("Gibson", "Spencer") places here
        (
            "- Gibson, Jasper, Lake, LaPorte, Newton, Porter, Posey, Spencer, Vanderburgh, and Warrick counties",
            ["Gibson", "Lake", "Spencer", "Warrick"],
        ),
    ],
)
def test_names_listed_before_the_kind_of_place_they_are_are_places(detector, text: str, places: list[str]) -> None:
    hits = found(detector, text)
    assert all(any(e == "LOCATION" and p in v for e, v in hits) for p in places)


def test_a_short_list_with_an_ordinary_word_is_no_list_of_places(detector) -> None:
    assert not any(e == "LOCATION" for e, _ in found(detector, "They met Gibson, Lake and Warrick counties apart."))


def test_a_capitalized_kind_after_two_names_is_part_of_the_last(detector) -> None:
    # "Cable & Wireless Falkland Islands": a firm and the islands' name, no list of islands
    hits = found(detector, "A letter from Justin McPhee, Chief Executive, Cable & Wireless Falkland Islands.")
    assert ("PERSON", "Justin McPhee") in hits and not any(e == "LOCATION" and "McPhee" in v for e, v in hits)
