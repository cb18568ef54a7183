"""People named by how English writes about them (people_cues.py) and the checks that keep titles of works, firms,
abbreviations and places from being people (not_people.py): each reading on sentences of its own, the same
sentences without the cue finding nothing, and the detector end to end."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_frequent_words, load_lexicon
from aircluster.privacy.detect.not_people import NotPeople
from aircluster.privacy.detect.people_cues import HEADING, PeopleCues
from aircluster.privacy.detect.towns import load_towns

from ..conftest import found


@pytest.fixture(scope="module")
def cues() -> PeopleCues:
    lexicon = load_lexicon()
    return PeopleCues(lexicon, load_frequent_words(), load_towns(lexicon))


@pytest.fixture(scope="module")
def check() -> NotPeople:
    return NotPeople(load_lexicon())


def _read(cues: PeopleCues, text: str, hits: list[tuple[str, int, int, float]] | None = None) -> set[str]:
    return {text[s:t] for e, s, t, _ in cues.scan(text, hits or []) if e == "PERSON"}


READINGS = [
    # an index heading: a surname, then names ending with it (whatever the words are), or a gloss of a doer
    ("Quarrington, Edwin Quarrington: Welsh engraver of maps (1702-1770)", {"Quarrington", "Edwin Quarrington"}),
    ("Brown, Tomasz Brown, Tom Brown: Canadian chemist", {"Brown", "Tomasz Brown", "Tom Brown"}),
    ("Zelvador, Zelvadoros: an ancient Roman sculptor of reliefs", {"Zelvador", "Zelvadoros"}),
    ("Ystrabo: ancient Greek historian", {"Ystrabo"}),
    # an attribution after a dash that opens its line or follows a sentence's end
    ("Never trust a calm sea. --Harcastle.\nIn the other sense ...", {"Harcastle"}),
    ("It was a dark night. --W. T.\nPellingham.", {"W. T.\nPellingham"}),
    ('Logic is the beginning of wisdom.\n\t\t-- Tuvokar, "The Long Night", stardate 3012.', {"Tuvokar"}),
    # a speaker or writer opening a clause, a frequent word too
    ("Rodderby speaks of a beautiful hag, much as Tobin Farrow said of the other.", {"Rodderby", "Tobin Farrow"}),
    ("Quellani says that we will live the same life over and over.", {"Quellani"}),
    # kin, and the names joined to it
    ("a painter; daughter of Tobin Farrow and Edda Vansittart; she lived in Leeds", {"Tobin Farrow", "Edda Vansittart"}),
    ("These are the sons of Ysmaro, and these are their names.", {"Ysmaro"}),
    # an apposition: a word for someone after the name
    ("It was sold to Brannock the butcher in May.", {"Brannock"}),
    ("Then Eliasho the high priest rose up.", {"Eliasho"}),
    # a signature or a credits record: a name alone on its line, an e-mail address alone on the next
    ("Thanks for the fix.\n\nWerner Almesbrig\nwerner@example.net\n", {"Werner Almesbrig"}),
    ("N: Karl Keytham\nE: karl@example.com\nD: Disk usage statistics", {"Karl Keytham"}),
    # a regnal number after a given name
    ("a revolt against Henry XIV's rule in the north", {"Henry XIV"}),
    # credits in brackets closing a line: one name no word of which is frequent, or a list with a known name in it
    ("Make psql output all results at once (Fabien Coelho)\nFix a leak", {"Fabien Coelho"}),
    ("Add zstd builds (Jeevan Ladhe, Robert Haas, Michael Paquier)", {"Jeevan Ladhe", "Robert Haas", "Michael Paquier"}),
]


@pytest.mark.parametrize("text, expected", READINGS)
def test_each_reading_finds_the_person(cues, text, expected):
    assert _read(cues, text) == expected


NOTHING = [
    "Profile: Backend engineer, mostly Go and Python",  # a frequent word before the colon
    "Mechanism: The router kept dropping packets.",  # "The router": no capitalized word that is an adjective
    "Lyonnaise: a city in France",  # a gloss that names no doer
    "REFERRAL — Gastroenterology\n\nDear colleague,",  # a heading's dash after a word, no attribution
    "Volunteer roster — Scouts, September 2023",
    "He cited it. --Lond. Quart.\nRev.",  # an abbreviated title
    'Let us go.\n--Mark xiv. 42. "Let us seek"',  # a book, its chapter and verse
    "Written claims by e-mail to the court.",  # "claims" is a noun here: no verb of saying
    "Guest replies (updated 28 May 2020)",
    "The Guardian said the vote was close.",  # a common word opening the run
    "Mum said we could stay, and Legal asked for the file.",  # frequent words: a role or kin as often as a name
    "She is the son of God and of the Church.",  # common words after "son of"
    "May I request the statement by post?",  # a lone "I" is the pronoun
    "World War II ended in 1945.",  # no given name before the number
    "We toured Leeds the city of bridges.",  # no word for someone after "the"
    "Ask the Docker daemon, the servant of all.",  # no capitalized word right before the apposition
    "The Guardian the king read daily.",  # the commonest words are no name
    "Customer Support\nsupport@example.com",  # common words above an e-mail address
    "Austin Code Works\ninfo@example.com",  # ordinary words in the name: a firm
    "Karl Keytham\nwrite to karl@example.com",  # the e-mail address is not alone on its line
    "Report crashes upstream (Google Chrome)",  # frequent words in brackets: a product
    "We follow its guidelines (Open Source Initiative)",  # the commonest words
    "Two offices (San Francisco, Palo Alto)",  # known places
    "Fixed by (Fabien Coelho) in the end",  # the brackets do not close the line
]


@pytest.mark.parametrize("text", NOTHING)
def test_without_the_cue_nothing_is_found(cues, text):
    assert _read(cues, text) == set()


def test_a_reading_never_overlaps_what_was_found(cues):
    text = "Tobin Farrow said so."
    assert _read(cues, text, [("PERSON", 0, 12, 0.9)]) == set()


def test_a_heading_surname_replaces_a_place_of_the_same_span(cues):
    text = "Greenvale, Horace Greenvale: United States journalist (1811-1872)"
    place = ("LOCATION", 0, 9, 0.7)
    new = cues.scan(text, [place])
    assert ("PERSON", 0, 9, HEADING) in new
    assert PeopleCues.retyped([place], new) == []
    assert PeopleCues.retyped([place], []) == [place]


def _keep(check: NotPeople, text: str, value: str, cued: bool = False) -> list[tuple[str, int, int, float]]:
    s = text.index(value)
    return check.filter(text, [("PERSON", s, s + len(value), 0.9)], cued=cued)


NO_PERSON = [
    ('-- The commissioner on "Sledge Hammer" laments the death', "Sledge Hammer"),  # a quoted title of a work
    ('-- Lao Tse, "Tao Te Ching"', "Tao Te Ching"),
    ('-- Woody Allen, "Hannah and Her Sisters"', "Hannah"),
    ("made by Quorvix, a company famous for its cheap plastic", "Quorvix"),  # a firm in apposition
    ("not to be confused with Aladdin Systems, Inc..", "Inc."),  # a designator alone
    ("Franciscan, n. (R.C.Ch.) A monk", "R.C.Ch"),  # abbreviations
    ("exists in Oxford Street.\n--Lond. Quart.\nRev.", "Lond"),
    ("a town settled by Acadians", "Acadians"),  # a people
    ('Named for "Mr Potato Head" in the movies', "Mr Potato"),  # a title and a thing's name
    ('title "Quorra Marrak, Ysolde Velandt"', "Quorra Marrak"),  # a work's key: its quoted value is a title
    ("And the Lord said unto them, go.", "Lord"),  # a title alone after "the"
    ("Then the Inspector smiled.", "Inspector"),
]


@pytest.mark.parametrize("text, value", NO_PERSON)
def test_no_person(check, text, value):
    assert _keep(check, text, value) == []


STILL_PEOPLE = [
    ('["Konrad Zulewski: Mein Leben" (My Life), published 1956]', "Konrad Zulewski"),  # a name in a title
    ('owner: "Hoarau, Lucy"', "Hoarau, Lucy"),  # a quoted value, no title
    ('"Thanks, Maria!" she said.', "Maria"),  # dialogue
    ('He signed it "Tobin Farrow" and left.', "Tobin Farrow"),
    ("Anna Berg, a university lecturer, spoke first.", "Anna Berg"),  # no firm at the apposition's head
    ("Dra. Beltrán\nConsultant, Rheumatology", "Dra. Beltrán"),  # a title's abbreviation
    ("Thanks,\nChad", "Chad"),  # a country alone may be a name
    ("a letter from Florence arrived", "Florence"),
    ("— Anna, Norwich", "Anna"),  # a town after a person: no US state
    ("We thanked the Lord Byron society.", "Lord Byron"),  # a title and a name after "the"
    ('contact "Quorra Marrak, Ysolde Velandt"', "Quorra Marrak"),  # a key's quoted value: no work's title
]


@pytest.mark.parametrize("text, value", STILL_PEOPLE)
def test_still_a_person(check, text, value):
    kept = _keep(check, text, value)
    assert [h[0] for h in kept] == ["PERSON"]


PLACES = [
    ("a major avenue in Paris famous for shops", "Paris"),  # a place after "in"
    ("Address: Phoenix, Arizona, USA", "Phoenix"),  # before a US state
    ("Rosario: a port city on the river", "Rosario"),  # a headword glossed as a settlement
    ("Tridentum, Trent: a city in northern Italy", "Trent"),
    ("the heart of the New York theater district", "New York"),  # a town's affix, not all names
]


@pytest.mark.parametrize("text, value", PLACES)
def test_a_place_typed_person_becomes_a_place(check, text, value):
    assert [h[0] for h in _keep(check, text, value)] == ["LOCATION"]
    assert [h[0] for h in _keep(check, text, value, cued=True)] == ["PERSON"]  # the cued readings refuse places


def test_a_cued_frequent_word_is_kept(check):
    text = "much as Shakespeare said"
    assert _keep(check, text, "Shakespeare") == []  # a frequent word alone is no name
    assert [h[0] for h in _keep(check, text, "Shakespeare", cued=True)] == ["PERSON"]


def test_the_detector_reads_headings_attributions_and_later_mentions(detector):
    text = "Quarrington, Edwin Quarrington: Welsh engraver who mapped the coast; Quarrington drew the charts by hand (1702-1770)"
    people = [text[s:t] for e, s, t, _ in detector.scan_text(text) if e == "PERSON"]
    assert people == ["Quarrington", "Edwin Quarrington", "Quarrington"]  # the heading, the name, the later mention
    assert ("PERSON", "Harcastle") in found(detector, 'Never trust a calm sea." --Harcastle.\nIn the other sense')
    assert ("PERSON", "Henry XIV") in found(detector, "a revolt against Henry XIV's rule in the north")


def test_a_later_mention_of_a_common_word_still_does_not_open_a_sentence(detector):
    # "Young" is one of the commonest English words: opening a sentence it is the word, not Mr. Young.
    text = "We met Tobin Young at the fair. Young people came too."
    assert [text[s:t] for e, s, t, _ in detector.scan_text(text) if e == "PERSON"] == ["Tobin Young"]


def test_a_book_cited_by_chapter_and_verse_is_no_person(check):
    assert _keep(check, 'Let us go."\n--Marcus xiv. 42. "Let us seek"', "Marcus") == []
    assert [h[0] for h in _keep(check, "--Marcus, in a letter", "Marcus")] == ["PERSON"]


def test_headwords_glossed_as_a_settlement_are_a_place(check):
    text = "Cordoba, Cordova: a city in central Argentina"
    assert [h[0] for h in _keep(check, text, "Cordoba, Cordova")] == ["LOCATION"]
    assert [h[0] for h in _keep(check, "Cordoba, Cordova: a painter", "Cordoba, Cordova")] == ["PERSON"]


def test_no_regnal_number_after_a_word_that_is_no_given_name(cues):
    assert _read(cues, "Add Nios II support and a formula of the form Forall X. F(X) = T[X].") == set()


def test_initials_and_a_quoted_display_name_stay_people(check):
    assert [h[0] for h in _keep(check, "Contributed by C.A.M. Gerlach.", "C.A.M. Gerlach")] == ["PERSON"]
    assert [h[0] for h in _keep(check, 'Answer from "Martin v. Loewis" <martin@example.org>', "Martin")] == ["PERSON"]
