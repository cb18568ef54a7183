"""Silver labels (`silver.py`): what the detector found in a book spreads to the same word elsewhere in it, titles
join the name after them but name no one alone, a paragraph the two readings disagree on is left out, and the
trainer reads the file it writes (a bad line is one error naming the file and line)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tools.name_tagger.silver import book_posts
from tools.name_tagger.sources import SourceError
from tools.name_tagger.train import silver_posts


def _found(text: str, *spans: tuple[str, str]) -> list[tuple[str, int, int]]:
    """The spans (type, the words) at their first place in `text`."""
    out = []
    for entity, words in spans:
        start = text.index(words)
        out.append((entity, start, start + len(words)))
    return out


def _labels(post: tuple[str, list[tuple[str, int, int]]]) -> list[tuple[str, str]]:
    text, spans = post
    return [(e, text[a:b]) for e, a, b in spans]


BOOK = [
    "Mr. Bingley came to Longbourn in the autumn.",
    "Everyone at Longbourn liked Mr. Bingley at once.",
    "Mr. Bingley rode over from Netherfield on Tuesday.",
    "A letter came for Mr. Bingley from Longbourn.",
    '"Nonsense," cried Bingley, and laughed.',
    "She talked with Bingley until supper at Longbourn.",
    "The Colonel said nothing at all.",
]
FOUND = [
    _found(BOOK[0], ("PERSON", "Mr. Bingley"), ("LOCATION", "Longbourn")),
    _found(BOOK[1], ("LOCATION", "Longbourn"), ("PERSON", "Mr. Bingley")),
    _found(BOOK[2], ("PERSON", "Mr. Bingley"), ("LOCATION", "Netherfield")),
    _found(BOOK[3], ("PERSON", "Mr. Bingley"), ("LOCATION", "Longbourn")),
    [],
    [],
    [],
]


def test_a_word_found_often_is_that_type_all_through_the_book() -> None:
    posts = book_posts(BOOK, FOUND)
    assert _labels(posts[4]) == [("PERSON", "Bingley")]  # "cried Bingley": no cue the detector knows
    assert _labels(posts[5]) == [("PERSON", "Bingley"), ("LOCATION", "Longbourn")]


def test_the_detectors_spans_stay_with_their_titles_and_a_title_alone_is_no_one() -> None:
    posts = book_posts(BOOK, FOUND)
    assert _labels(posts[0]) == [("PERSON", "Mr. Bingley"), ("LOCATION", "Longbourn")]
    assert _labels(posts[2]) == [("PERSON", "Mr. Bingley"), ("LOCATION", "Netherfield")]  # found once: kept
    assert _labels(posts[6]) == []


def test_a_title_joins_the_spread_name_after_it() -> None:
    book = [*BOOK, "Then Mr. Bingley left."]
    posts = book_posts(book, [*FOUND, []])
    assert _labels(posts[-1]) == [("PERSON", "Mr. Bingley")]


def test_a_word_seldom_found_never_spreads_and_its_paragraph_is_left_out() -> None:
    heaven = [f"Heaven knows what day {k} will bring." for k in range(8)]
    found = [_found(heaven[0], ("PERSON", "Heaven"))] + [[] for _ in heaven[1:]]
    posts = book_posts(heaven, found)
    assert len(posts) == 7  # the paragraph where the detector's reading disagrees with the book's
    assert all(spans == [] for _, spans in posts)


def test_a_word_found_as_two_types_alike_takes_neither() -> None:
    book = ["Willoughby came.", "Willoughby came.", "Willoughby came.", "To Willoughby.", "To Willoughby.", "To Willoughby."]
    found = [_found(t, ("PERSON" if k < 3 else "LOCATION", "Willoughby")) for k, t in enumerate(book)]
    posts = book_posts([*book, "Willoughby again."], [*found, []])
    assert [_labels(p) for p in posts] == [[]]  # the book does not say which: not spread, and its readings left out


def test_the_trainer_reads_what_silver_writes_and_names_a_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "silver.jsonl"
    good.write_text(json.dumps({"text": "cried Bingley", "spans": [["PERSON", 6, 13]]}) + "\n", encoding="utf-8")
    assert silver_posts(good) == [("cried Bingley", [("PERSON", 6, 13)])]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good.read_text() + '{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad\.jsonl:2: not a silver post"):
        silver_posts(bad)
    with pytest.raises(SourceError, match="missing.jsonl"):
        silver_posts(tmp_path / "missing.jsonl")


def test_a_paragraph_that_leaves_a_listed_name_unlabeled_is_left_out() -> None:
    book = [*BOOK, "They spoke of Frederick and his ship.", "Frederick was away.", "Nothing was said of Pemberley."]
    listed = {"frederick", "longbourn"}.__contains__
    texts = [t for t, _ in book_posts(book, [*FOUND, [], [], []], listed)]
    assert "They spoke of Frederick and his ship." not in texts  # inside a sentence, unlabeled: a missed name
    assert "Frederick was away." in texts  # a sentence's first word says nothing
    assert "Nothing was said of Pemberley." in texts  # no list knows it


def test_the_invented_copy_makes_up_every_name_word_but_titles_and_street_words() -> None:
    from aircluster.privacy.detect.lexicon import load_lexicon
    from tools.name_tagger.silver import InventedWords, invented_copy

    lexicon = load_lexicon()
    words = InventedWords(5, lexicon)
    text = "Mr. Bingley of Brunswick Square met Bingley and JANE."
    spans = [("PERSON", 0, 11), ("LOCATION", 15, 31), ("PERSON", 36, 43), ("PERSON", 48, 52)]
    copy = invented_copy((text, spans), words, lexicon.street_words)
    assert copy is not None
    new, new_spans = copy
    got = [(e, new[a:b]) for e, a, b in new_spans]
    first, place, again, jane = (w for _, w in got)
    assert first.startswith("Mr. ") and first[4:] == again and again != "Bingley"  # the same word for the same word
    assert place.endswith(" Square") and place != "Brunswick Square"
    assert jane.isupper() and jane != "JANE"
    made = [first[4:], place.split()[0], jane]
    assert not any(w.lower() in lexicon.first_names | lexicon.last_names | lexicon.places for w in made)
    assert new.endswith(".") and " of " in new and " met " in new


def test_plain_text_paragraphs_join_lines_and_skip_tables(tmp_path: Path) -> None:
    from tools.name_tagger.silver import text_paragraphs

    f = tmp_path / "manual.txt"
    f.write_text("Thanks to Jim Meyering, who wrote\nmost of this manual.\n\n  | 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n\nshort\n")
    assert text_paragraphs(f) == ["Thanks to Jim Meyering, who wrote most of this manual."]


def test_a_missing_or_broken_book_is_one_line_and_nothing_is_written(tmp_path: Path, capsys) -> None:
    from tools.name_tagger.silver import main

    out = tmp_path / "silver.jsonl"
    assert main(["--austen", str(tmp_path / "nowhere"), "--out", str(out)]) == 2
    assert "Rdata.rdx: missing (apt-get download r-cran-janeaustenr" in capsys.readouterr().err
    broken = tmp_path / "grep.info.gz"
    broken.write_bytes(b"not gzip at all")
    assert main(["--texts", str(broken), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"name_tagger.silver: {broken}:") and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_silver_of_a_small_book_end_to_end(tmp_path: Path) -> None:
    from tools.name_tagger.silver import main

    book = tmp_path / "book.txt"
    book.write_text(
        "\n\n".join(
            ["Mr. Bingley came to Longbourn in the autumn of that year."] * 4
            + ['"Nonsense," cried Bingley, and laughed at them all.']
        )
    )
    out = tmp_path / "silver.jsonl"
    assert main(["--texts", str(book), "--out", str(out), "--invented"]) == 0
    posts = silver_posts(out)
    spread = [p for p in posts if p[0].startswith('"Nonsense,"')]
    assert spread and _labels(spread[0]) == [("PERSON", "Bingley")]
    assert len(posts) == 2 * 5  # each labeled paragraph once more with its names made up


def test_the_rules_alone_read_the_books_and_the_environment_is_left_as_it_was(monkeypatch) -> None:
    from tools.name_tagger.silver import rules_only_detector

    monkeypatch.delenv("AIRCLUSTER_NAME_TAGGER", raising=False)
    monkeypatch.setenv("AIRCLUSTER_NAME_READER", "/somewhere/else.crf.gz")
    det = rules_only_detector()
    assert det.versions()["name_tagger"] == "off" and det.versions()["name_reader"] == "off"
    assert "AIRCLUSTER_NAME_TAGGER" not in os.environ
    assert os.environ["AIRCLUSTER_NAME_READER"] == "/somewhere/else.crf.gz"
