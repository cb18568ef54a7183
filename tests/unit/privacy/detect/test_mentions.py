"""One sense per text (mentions.py): later bare mentions of a person or place found with good evidence are
found too, through the whole detector; mentions that are part of something else, and seeds too weak to
spread, are not. The module alone is checked on the seeds it takes and on linear cost."""

from __future__ import annotations

import time

import pytest

from aircluster.privacy.detect.detector import Detector
from aircluster.privacy.detect.lexicon import load_frequent_words, load_lexicon
from aircluster.privacy.detect.mentions import Mentions
from aircluster.privacy.detect.towns import load_towns
from tests.unit.privacy.conftest import found


@pytest.fixture(scope="module")
def mentions() -> Mentions:
    lexicon = load_lexicon()
    return Mentions(lexicon, load_frequent_words(), load_towns(lexicon))


def _at(text: str, piece: str, entity: str, score: float, nth: int = 0) -> tuple[str, int, int, float]:
    s = -1
    for _ in range(nth + 1):
        s = text.index(piece, s + 1)
    return entity, s, s + len(piece), score


def _spans(detector: Detector, text: str) -> list[tuple[str, int, int]]:
    return [(e, s, t) for e, s, t, _ in detector.scan_text(text)]


def _mention(text: str, piece: str, entity: str, nth: int) -> tuple[str, int, int]:
    e, s, t, _ = _at(text, piece, entity, 0.0, nth)
    return e, s, t


ADDED = [
    # (text, the word, its entity, which occurrence of it the detector must add)
    ("Songwriter Jarmila Chloupkova joined in May. Chloupkova had written for the band before.", "Chloupkova", "PERSON", 1),
    ("Dr. Okonkwo examined the patient. Okonkwo then left for Lagos.", "Okonkwo", "PERSON", 1),
    ("Dr. Okonkwo arrived late. Unlike the Okonkwo novel, it is short.", "Okonkwo", "PERSON", 1),
    ('Dr. Okonkwo arrived late. "Ask Okonkwo about the ward," she said.', "Okonkwo", "PERSON", 1),
    ("Last year we moved to Zeldou. Zeldou is a quiet town and the people of Zeldou are kind.", "Zeldou", "LOCATION", 2),
    # a weak place (by where it stands) spreads to a mention after a place's preposition
    (
        "Celebrating its 10th year in Zeldou, the choir invites singers from the world to Zeldou to sing.",
        "Zeldou",
        "LOCATION",
        1,
    ),
    # lower case: a name after a strong cue, again later
    ("you're through to carl how can i help. carl here, yes", "carl", "PERSON", 1),
]


@pytest.mark.parametrize(("text", "word", "entity", "nth"), ADDED)
def test_a_later_mention_is_found(detector: Detector, text: str, word: str, entity: str, nth: int) -> None:
    assert _mention(text, word, entity, nth) in _spans(detector, text)


NOT_ADDED = [
    # (text, the seed found before, the word, which occurrence the module must leave alone)
    # part of a firm's name, a heading in capitals, a title of a work, a URL, an e-mail address, a path
    ("Dr. Okonkwo arrived late. Okonkwo Holdings bought the site.", "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late.\n\nOKONKWO REPORT\nOkonkwo wrote it.", "Dr. Okonkwo", "OKONKWO", 0),
    ('Dr. Okonkwo arrived late. We watched "The Okonkwo Files" on Sunday.', "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late. See www.Okonkwo.org for more.", "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late. Write to Okonkwo@clinic.example.org today.", "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late. The files are in /srv/Okonkwo/notes now.", "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late. Okonkwo-Lagos Ltd sent flowers.", "Dr. Okonkwo", "Okonkwo", 1),
    ("Dr. Okonkwo arrived late. Smith & Okonkwo are lawyers.", "Dr. Okonkwo", "Okonkwo", 1),
    # a surname that is an ordinary word, opening a sentence: the word
    ("Singer Hildur Young arrived late. Young people cheered.", "Hildur Young", "Young", 1),
    # a given name that is an ordinary word
    ("Songwriter Will Chloupkova arrived late. Will you stay? Chloupkova asked.", "Will Chloupkova", "Will", 1),
    # a person's word that is a real town with no name sense; a name-town after a place's preposition
    ("Author Jack London wrote it. London is rainy today.", "Jack London", "London", 1),
    ("Senator Dorota Austin spoke. We flew on to Austin for the night.", "Dorota Austin", "Austin", 1),
]


@pytest.mark.parametrize(("text", "seed", "word", "nth"), NOT_ADDED)
def test_a_mention_that_is_something_else_is_not(mentions: Mentions, text: str, seed: str, word: str, nth: int) -> None:
    hits = [_at(text, seed, "PERSON", 0.85)]
    assert mentions.seeds(text, hits)  # the seed is taken: only the mention is refused
    e, s, t = _mention(text, word, "PERSON", nth)
    assert not any(h[1] < t and s < h[2] for h in mentions.scan(text, hits))


def test_the_mention_is_added_where_nothing_stands_in_its_way(mentions: Mentions) -> None:
    """The counterpart of the cases above: the same seed spreads to a plain mention in the same texts."""
    text = "Dr. Okonkwo arrived late. Okonkwo Holdings bought the site, and Okonkwo signed."
    new = mentions.scan(text, [_at(text, "Dr. Okonkwo", "PERSON", 0.85)])
    assert [(e, s) for e, s, _, _ in new] == [("PERSON", _at(text, "Okonkwo", "PERSON", 0, 2)[1])]
    text = "Singer Hildur Young arrived late. The crowd cheered Young twice."
    assert [text[s:t] for _, s, t, _ in mentions.scan(text, [_at(text, "Hildur Young", "PERSON", 0.85)])] == ["Young"]


def test_a_word_in_two_senses_spreads_neither(mentions: Mentions) -> None:
    text = "Thanks Paris Okafor. We met in Paris. Later Paris, the town, was empty. Okafor left."
    hits = [_at(text, "Paris Okafor", "PERSON", 0.78), _at(text, "Paris", "LOCATION", 0.9, 1)]
    assert "paris" not in mentions.seeds(text, hits)
    assert "okafor" in mentions.seeds(text, hits)
    assert [text[s:t] for _, s, t, _ in mentions.scan(text, hits)] == ["Okafor"]


def test_a_given_name_shared_by_two_people_still_spreads(mentions: Mentions) -> None:
    """Either way the bare given name is a person: the detector reports a type, not who."""
    text = "Singer Ilse Varga met Ilse Brennan. Later Ilse sang."
    hits = [_at(text, "Ilse Varga", "PERSON", 0.85), _at(text, "Ilse Brennan", "PERSON", 0.85)]
    assert [text[s:t] for _, s, t, _ in mentions.scan(text, hits)] == ["Ilse"]


def test_hits_barred_from_seeding_do_not(mentions: Mentions) -> None:
    """The detector bars what the tagger alone found: nothing may overlap it, but it seeds nothing."""
    text = "We moved to Zeldou. Zeldou is small."
    hits = [_at(text, "Zeldou", "LOCATION", 0.93)]
    assert mentions.scan(text, hits, lambda: set(hits)) == []
    assert len(mentions.scan(text, hits, set)) == 1
    # a word the hits hold in both senses seeds neither
    assert mentions.seeds(text, [*hits, _at(text, "Zeldou", "PERSON", 0.6, 1)]) == {}


def test_weak_seeds_do_not_spread(mentions: Mentions) -> None:
    text = "Brennecke and Oduya were engineers. Later Brennecke built bridges."
    # a person of one word read at 0.5 (a list): a guess about one word, no seed
    assert mentions.seeds(text, [_at(text, "Brennecke", "PERSON", 0.5)]) == {}
    assert mentions.scan(text, [_at(text, "Brennecke", "PERSON", 0.5)]) == []
    # one word at a cue's score is one guess ("with Git"): it spreads when two readings found it
    assert mentions.seeds(text, [_at(text, "Brennecke", "PERSON", 0.78)]) == {}
    twice = [_at(text, "Brennecke", "PERSON", 0.78), _at(text, "Brennecke", "PERSON", 0.78, 1)]
    assert "brennecke" in mentions.seeds(text + " Brennecke left.", twice)
    # two words need the role reading's 0.55
    two = "Kaz Brennecke came. Kaz and Brennecke left."
    assert mentions.seeds(two, [("PERSON", 0, 13, 0.5)]) == {}
    assert set(mentions.seeds(two, [("PERSON", 0, 13, 0.55)])) == {"kaz", "brennecke"}
    # a word the text holds once has nothing to spread to
    assert mentions.seeds("Kaz Brennecke came.", [("PERSON", 0, 13, 0.85)]) == {}


def test_a_weak_place_spreads_only_after_a_preposition(mentions: Mentions) -> None:
    text = "We stayed in Zeldou, and to Zeldou we return. Zeldou is small."
    new = mentions.scan(text, [_at(text, "Zeldou", "LOCATION", 0.5)])
    assert [(e, text[s:t]) for e, s, t, _ in new] == [("LOCATION", "Zeldou")]
    assert new[0][1] == _at(text, "Zeldou", "LOCATION", 0, 1)[1]  # the one after "to", not the sentence's opening
    strong = mentions.scan(text, [_at(text, "Zeldou", "LOCATION", 0.9)])
    assert len(strong) == 2


def test_capitals_and_lower_case_seeds_stay_in_their_case(mentions: Mentions) -> None:
    text = "Dr. Okonkwo left. okonkwo@x is a login; okonkwo said nothing."
    assert mentions.scan(text, [_at(text, "Dr. Okonkwo", "PERSON", 0.85)]) == []
    low = "my name is zhyldyz petrova. zhyldyz is on the phone. Zhyldyz"
    new = mentions.scan(low, [_at(low, "zhyldyz petrova", "PERSON", 0.7)])
    assert [low[s:t] for _, s, t, _ in new] == ["zhyldyz"]
    # a weaker cue's lower-case name does not spread; nor does an ordinary word
    assert mentions.scan(low, [_at(low, "zhyldyz petrova", "PERSON", 0.6)]) == []
    assert mentions.seeds("this is grace. grace said", [("PERSON", 8, 13, 0.7)]) == {}


def test_software_names_written_with_inner_capitals_seed_nothing(mentions: Mentions) -> None:
    text = "Thanks to Dr. GLib and Ms. PyPI. GLib and PyPI are fine, and so is Dr. McKeon. McKeon left."
    hits = [_at(text, w, "PERSON", 0.85) for w in ("Dr. GLib", "Ms. PyPI", "Dr. McKeon")]
    assert [text[s:t] for _, s, t, _ in mentions.scan(text, hits)] == ["McKeon"]


def test_seeds_and_mentions_hold_no_digits_or_several_words(mentions: Mentions) -> None:
    text = "It is at 12 Skolegyden now. Skolegyden is long. We live in Bad Kreuznach; Bad is a word."
    hits = [_at(text, "12 Skolegyden", "LOCATION", 0.9), _at(text, "Bad Kreuznach", "LOCATION", 0.9)]
    assert mentions.seeds(text, hits) == {}


def test_cost_grows_with_the_text_not_with_the_names(mentions: Mentions) -> None:
    """Many seeds and many mentions: the scan is one pass over the words (CPU time of 10x the text is at
    most 20x, not the square)."""

    def text_and_seeds(n: int) -> tuple[str, list[tuple[str, int, int, float]]]:
        parts, hits, pos = [], [], 0
        for k in range(n):
            name = f"Dr. Zel{k:05d}x"
            sentence = f"{name} came in. Later Zel{k:05d}x left for the day. "
            hits.append(("PERSON", pos, pos + len(name), 0.85))
            parts.append(sentence)
            pos += len(sentence)
        return "".join(parts), hits

    def cost(n: int) -> float:
        text, hits = text_and_seeds(n)
        start = time.process_time()
        new = mentions.scan(text, hits)
        spent = time.process_time() - start
        assert len(new) == n
        return spent

    cost(200)  # warm
    small = min(cost(400) for _ in range(3))
    large = min(cost(4000) for _ in range(3))
    assert large <= 20 * max(small, 1e-4)


def test_a_frequent_surname_named_twice_over_spreads(detector: Detector) -> None:
    # "Jenner" is a frequent word (it names him in most texts that use it): found alone in a heading and ending
    # the full name, its later mention opening a clause is his.
    text = "Jenner, Edward Jenner: English physician who pioneered vaccination; Jenner inoculated people with cowpox"
    assert _mention(text, "Jenner", "PERSON", 2) in _spans(detector, text)


def test_a_frequent_word_ending_a_name_only_once_does_not_spread(detector: Detector, mentions: Mentions) -> None:
    # A run-on name ("Tina Tracking" read into the next sentence) names the word once: later "Tracking" is the word.
    text = "Thanks,\nTina Tracking number 4411 was sent. Tracking shows it in Leeds."
    assert _mention(text, "Tracking", "PERSON", 1) not in _spans(detector, text)
    seeds = mentions.seeds(text, [_at(text, "Tina Tracking", "PERSON", 0.78)])
    assert "tracking" not in seeds or not seeds["tracking"].confirmed
    heading = "Jenner, Edward Jenner: English physician; Jenner inoculated people"
    hits = [_at(heading, "Jenner", "PERSON", 0.8), _at(heading, "Edward Jenner", "PERSON", 1.0)]
    assert mentions.seeds(heading, hits)["jenner"].confirmed
    assert not mentions.seeds(heading, hits[1:])["jenner"].confirmed  # the full name alone: no confirmation


def test_a_surname_written_in_capitals_spreads_in_capitals_only(detector):
    text = "Eric CALALUCA, vice president, spoke. CALALUCA said scholars agree. In CALALUCA's view, the NASA work helps."
    hits = found(detector, text)
    assert [v for e, v in hits if e == "PERSON"].count("CALALUCA") >= 1 and ("PERSON", "Eric CALALUCA") in hits
    assert not any(v == "NASA" for _, v in hits)


def test_a_titled_surname_that_is_a_word_spreads_inside_sentences_only(detector: Detector) -> None:
    # "Miss Prism" makes "Prism" her name: a frequent word, it is hers again inside a sentence ("Come here, Prism!"),
    # but opening one ("Young people") it stays the word.
    text = "Miss Prism bows her head in shame. Come here, Prism! Twenty-eight years ago, Prism, you left the house."
    spans = _spans(detector, text)
    assert _mention(text, "Prism", "PERSON", 1) in spans and _mention(text, "Prism", "PERSON", 2) in spans
    text = "Mr. Young came in. Young people were dancing. I told Young to leave."
    spans = _spans(detector, text)
    assert _mention(text, "Young", "PERSON", 2) in spans
    assert _mention(text, "Young", "PERSON", 1) not in spans
