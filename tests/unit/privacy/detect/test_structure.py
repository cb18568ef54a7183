"""Names and places read from where a word stands (structure.py): each reading on sentences of its
own, the same sentences with an ordinary word or a known place in the slot finding nothing, and the
detector reporting them end to end."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.lexicon import load_frequent_words, load_lexicon
from aircluster.privacy.detect.structure import Structure

from ..conftest import found


@pytest.fixture(scope="module")
def structure() -> Structure:
    return Structure(load_lexicon(), load_frequent_words())


def _read(structure: Structure, text: str, hits: list[tuple[str, int, int, float]] | None = None) -> set[tuple[str, str]]:
    return {(e, text[s:t]) for e, s, t, _ in structure.scan(text, hits or [])}


def _at(text: str, piece: str, entity: str) -> tuple[str, int, int, float]:
    s = text.index(piece)
    return entity, s, s + len(piece), 0.9


READINGS = [
    # a subject with a verb a person does, or "is" and a pronoun pointing back
    ("Tamsaly is very reliable. You can always count on her.", {("PERSON", "Tamsaly")}),
    ("The plan changed. Brennecke said the crane was late.", {("PERSON", "Brennecke")}),
    ("Oduya and Brennecke were civil engineers in the nineties.", {("PERSON", "Oduya"), ("PERSON", "Brennecke")}),
    # a story's subject: a verb of the body, after an opening conjunction or adverb too
    ("Tamsaly sighed and closed the door.", {("PERSON", "Tamsaly")}),
    ("And Brennecke stood up, and left.", {("PERSON", "Brennecke")}),
    ("Then Oduya nodded slowly.", {("PERSON", "Oduya")}),
    # a question put to someone
    ("Mireto, could you send me the file?", {("PERSON", "Mireto")}),
    ("Do you remember me, Zdravka? We met in the spring.", {("PERSON", "Zdravka")}),
    ("Deorvan, you must hasten back to the city.", {("PERSON", "Deorvan")}),  # spoken to, question or not
    ("Ethilvar, let us hear him out.", {("PERSON", "Ethilvar")}),
    # dialogue
    ('Ilvanna: "Where were you?"\nBorek: Out walking the dog.', {("PERSON", "Ilvanna"), ("PERSON", "Borek")}),
    # in a dialogue of two speakers or more, a short line or one opening with dots is a speaker's too
    (
        "Delvador: We have captured this city at last.\nKalvenz: Greetings, friend.\nTorvald: Tell me what you saw.\n"
        "Ethilor: What?! Those marauders are no friends.\nDeorlan: ... I know you must be tired.",
        {("PERSON", w) for w in ("Delvador", "Kalvenz", "Torvald", "Ethilor", "Deorlan")},
    ),
    # a possessive before a word for kin or friends
    ("We stayed with Ferrandi's family for the weekend.", {("PERSON", "Ferrandi")}),
    # a role before a name of two words
    ("The piece was scored by composer Teodric Vanslow last year.", {("PERSON", "Teodric Vanslow")}),
    # a lower-case list most of whose members are known first names
    (
        "we had five over: oskaro, ilse, pamela, donna and brian",
        {("PERSON", w) for w in ("oskaro", "ilse", "pamela", "donna", "brian")},
    ),
    ("Oduya is a very patient person.", {("PERSON", "Oduya")}),  # the sentence calls it a person
    # a story's past tense, then "he" or "she" pointing back to the subject
    ("Tervald thought of what she had told him.", {("PERSON", "Tervald")}),
    ("Quellani stamped her foot and left.", {("PERSON", "Quellani")}),
    ("They named him Tervald", {("PERSON", "Tervald")}),
    ("A new song by ex-Moonfield Varganov topped the chart.", {("PERSON", "Varganov")}),
    ("Everyone knows Quellani's songs by heart.", {("PERSON", "Quellani")}),  # a work of the person's
    # a life and what a mind makes of it
    ("Since Ravendal's death, interest in her work has grown.", {("PERSON", "Ravendal")}),
    ("Critics have written on Ravendal's ideas for decades.", {("PERSON", "Ravendal")}),
    ("Miss Bingley was mortified by Darcell's marriage.", {("PERSON", "Darcell")}),
    ("It is consistent with Treindal's comment about the war.", {("PERSON", "Treindal")}),
    # a settlement, and the streets of a corner
    ("Tourism is the economy of the town of Brevelde now.", {("LOCATION", "Brevelde")}),
    ("Stop at the corner of Oskarsgata and Brennvik Lane.", {("LOCATION", "Oskarsgata"), ("LOCATION", "Brennvik Lane")}),
    # where someone went or came from
    ("After the wedding we moved back to Trevillick by train.", {("LOCATION", "Trevillick")}),
    ("She grew up in Polwithen, near the coast.", {("LOCATION", "Polwithen")}),
    ("The army went up to Trevillick, to lay siege to it.", {("LOCATION", "Trevillick")}),  # a particle after the verb
    ("It was but a little way to come to Polwithen: night fell.", {("LOCATION", "Polwithen")}),  # a colon ends the clause
    ("When the riders were come unto Brevelde, they rested.", {("LOCATION", "Brevelde")}),
    ("They fled to Trevillick against all advice.", {("LOCATION", "Trevillick")}),
    # a dialogue's speakers, a comma or a stop after the line's first word too; one line alone when the name is unknown
    (
        "Quellani: Greetings, my friend.\nTamsaly: Mireto, we have taken the city!",
        {("PERSON", "Quellani"), ("PERSON", "Tamsaly")},
    ),
    ("Zorvaneth: I have trained with the best, and perhaps I can help.", {("PERSON", "Zorvaneth")}),
]


@pytest.mark.parametrize("text, expected", READINGS)
def test_each_reading_finds_the_unknown_word(structure, text, expected):
    assert _read(structure, text) == expected


NOTHING = [
    "Grafana is down again. Restart it.",  # "is" with no person to point back to
    "Yesterday is gone. He left early.",  # an ordinary word opening the sentence
    "The API is slow, he said.",  # an acronym
    "Is the log in Slack? Ask him.",  # an ordinary word after "in"
    "We flew to Paris, he said.",  # a known place is the place rules' job, not a new reading
    "Oduya and the crew were late.",  # "the crew" is no name: no list of names
    "we bought apples, pears, plums and figs",  # a list of ordinary words
    "Fix the Zorblax's config.",  # "the X's": a thing
    "Meet me in Quellbury's car park.",  # a shop's car park: no person's kin or friend after it
    "Ferrandi's disease was excluded.",  # an eponym
    'Note: "restart the node"',  # an ordinary word before a colon
    "The manager Jenkins Pipeline broke.",  # one word after the role is not enough ("Pipeline" is ordinary)
    "The town hall is closed on Monday.",  # a lower-case word after "town"
    "Meet at the corner of the park and the school.",  # ordinary words at a corner
    "Then Grafana restarted twice.",  # an opener, then a verb no body needs
    "Grafana crashed twice and the node restarted.",  # a past tense with no "he" or "she" after it
    "Besides, you must restart it.",  # an ordinary word before "you"
    "And France stood still.",  # an opener, then a known place
    "Then Moses went up to Aaron: and spake.",  # a known first name after a verb of going is the name rules' job
    "Xlib: unexpected async reply from the server (sequence 0x30).",  # one line, in lower case after the colon
    "Geburtsort: Bad Tölz.\nWohnort: Bad Aibling.",  # a form's short values are no dialogue's lines
    "Zorvaneth: I have trained.",  # one line, too short to be a speech
]


@pytest.mark.parametrize("text", NOTHING)
def test_ordinary_words_in_the_same_slots_are_left_alone(structure, text):
    assert _read(structure, text) == set()


def test_a_list_joined_to_a_found_person_adds_its_other_members(structure):
    text = "The report was written by Anna Berg, Kowalczyk and Vantrell."
    assert _read(structure, text, [_at(text, "Anna Berg", "PERSON")]) == {("PERSON", "Kowalczyk"), ("PERSON", "Vantrell")}
    # the same list next to a place adds nothing
    text = "The report came from Leeds, Kowalczyk and Vantrell."
    assert _read(structure, text, [_at(text, "Leeds", "LOCATION")]) == set()
    # joined by ", and" each time, as older English writes lists
    text = "Then came Anna Berg, and Zorvath, and Vantrell, the porters."
    assert _read(structure, text, [_at(text, "Anna Berg", "PERSON")]) == {("PERSON", "Zorvath"), ("PERSON", "Vantrell")}
    # commas alone may open an apposition: no list
    text = "Written by Anna Berg, Zorvath."
    assert _read(structure, text, [_at(text, "Anna Berg", "PERSON")]) == set()


def test_the_town_after_a_found_street_and_a_state_code(structure):
    text = "Send it to 14 Harrow Lane, Polwithen."
    assert _read(structure, text, [_at(text, "14 Harrow Lane", "LOCATION")]) == {("LOCATION", "Polwithen")}
    text = "Send it to 14 Harrow Lane, Saint Polwithen."  # an affix of town names belongs to the town
    assert _read(structure, text, [_at(text, "14 Harrow Lane", "LOCATION")]) == {("LOCATION", "Saint Polwithen")}
    text = "Send it to 14 Harrow Lane, North."  # an affix alone is no town
    assert _read(structure, text, [_at(text, "14 Harrow Lane", "LOCATION")]) == set()
    text = "Our office is at 200 Main St, Springfield, IL 62701."
    got = _read(structure, text, [_at(text, "200 Main St", "LOCATION")])
    assert got == {("LOCATION", "Springfield"), ("LOCATION", "IL")}
    text = "Our office is at 200 Main St, Springfield, OK then."  # "OK" is a state code, "OK then" no state
    assert ("LOCATION", "OK") not in _read(structure, text, [_at(text, "200 Main St", "LOCATION")])


def test_the_items_of_a_list_between_two_found_places_are_places(structure):
    text = "The free zone ran through Orvenne, Bazas, Lamothe-Montravel, La Roche-Posay, St. Quillac, and Vierzon."
    hits = [_at(text, "Orvenne", "LOCATION"), _at(text, "Vierzon", "LOCATION")]
    want = {("LOCATION", w) for w in ("Bazas", "Lamothe-Montravel", "La Roche-Posay", "St. Quillac")}
    assert _read(structure, text, hits) == want
    # a town before the parenthesis of its region ("Hagatna (Guam)"), a surname for a town ("Lawrence")
    text = "Offices: Atlanta, Lawrence, Hagatna (Guam), Houston."
    hits = [_at(text, w, "LOCATION") for w in ("Atlanta", "Guam", "Houston")]
    assert _read(structure, text, hits) == {("LOCATION", "Lawrence"), ("LOCATION", "Hagatna")}
    # a given name and more is a person's shape, an ordinary word no place; one place found is no list
    for middle in ("Peter Jones", "Monday"):
        text = f"It went from Orvenne, {middle}, Vierzon."
        hits = [_at(text, "Orvenne", "LOCATION"), _at(text, "Vierzon", "LOCATION")]
        assert _read(structure, text, hits) == set(), middle
    text = "The free zone ran through Orvenne, Bazas, Lamothe-Montravel and the hills."
    assert _read(structure, text, [_at(text, "Orvenne", "LOCATION")]) == set()
    # a person between the places breaks the list
    text = "Atlanta, Bazas, Anna Berg, Lamothe, Houston."
    hits = [_at(text, "Atlanta", "LOCATION"), _at(text, "Anna Berg", "PERSON"), _at(text, "Houston", "LOCATION")]
    assert _read(structure, text, hits) == set()


@pytest.mark.parametrize(
    "text,country",
    [
        ("Many sellers will ship to US only.", "US"),
        ("Here in US they do not sell snacks in separate wrappers.", "US"),
        ("Teddy Roosevelt excludes Japanese laborers from continental US, 1907", "US"),
        ("... a war-weary U.S. clung to radios, awaiting word of Japan's surrender", "U.S"),
        ("Also, Mexico is killing U.S. on trade.", "U.S"),
        ("Richard Mentor Johnson born, 1780, 9th V.P. of U.S.", "U.S"),
        ("Product of U.S.A.", "U.S.A"),
    ],
)
def test_the_united_states_by_its_initials_as_a_noun(structure, text, country):
    assert _read(structure, text) == {("LOCATION", country)}


@pytest.mark.parametrize(
    "text",
    [
        "LET US GO NOW",  # the pronoun, in a line written in capitals
        "GIVE US A BREAK please",
        "Set LANG=en-US and read it as US-ASCII.",  # glued to a locale or a charset
        "The U.S. Embassy report says the rate fell.",  # a noun's modifier: the readers label it as often as not
        "US households with unemployed parents",
        "A US on-line service provider",
        "(72) Inventors: Gala Ortiz, Toledo (US); Ana Belen Alvarez",  # a register's country code
        "./kyc-check --dob 1966-09-19 --country US",  # a command's value
    ],
)
def test_the_initials_as_a_pronoun_a_code_or_a_modifier_are_left_alone(structure, text):
    assert _read(structure, text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "The town's death rate fell.",  # no capital: no name
        "He told me that @Ravendalo's birth certificate is a fraud.",  # a handle's possessive
        "Ravendal's economy grew fast.",  # a place has an economy as well: no personal word
    ],
)
def test_a_possessive_before_other_words_names_no_one(structure, text):
    assert _read(structure, text) == set()


def test_a_list_of_three_places_or_more_runs_on_to_its_ends(structure):
    text = "The free zone was Arnevy, Ortheix, Champagne-Mourat, Vierzon, Bourges, Dolevain, Morezac, and Collonvie (Savoie)."
    hits = [_at(text, w, "LOCATION") for w in ("Champagne-Mourat", "Vierzon", "Bourges")]
    want = {("LOCATION", w) for w in ("Arnevy", "Ortheix", "Dolevain", "Morezac", "Collonvie")}
    assert want <= _read(structure, text, hits)
    # a place read twice (the rules' span and the tagger's) is one item of the list
    hits.insert(1, _at(text, "Vierzon", "LOCATION"))
    assert want <= _read(structure, text, hits)
    # two places are no list yet; an ordinary word ends one
    text = "It was Arnevy, Ortheix, Vierzon, Bourges, and more."
    assert _read(structure, text, [_at(text, w, "LOCATION") for w in ("Vierzon", "Bourges")]) == set()
    text = "Then Monday, Vierzon, Bourges, Dolevain, Morezac."
    hits = [_at(text, w, "LOCATION") for w in ("Vierzon", "Bourges", "Dolevain")]
    assert _read(structure, text, hits) == {("LOCATION", "Morezac")}


def test_new_readings_never_overlap_what_was_found(structure):
    text = "Tamsaly is here. Ask her."
    assert _read(structure, text, [_at(text, "Tamsaly", "PERSON")]) == set()


def test_the_detector_reports_them(detector):
    text = "Usmanova and Brennecke were precision engineers. Tamsaly is very reliable; you can depend on him."
    got = found(detector, text)
    assert {("PERSON", "Usmanova"), ("PERSON", "Brennecke"), ("PERSON", "Tamsaly")} <= got
    assert found(detector, "Grafana is down again. Restart it.") == set()
