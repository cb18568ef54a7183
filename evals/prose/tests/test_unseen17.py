"""The seventeenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import bz2
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen17 as b
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)
from evals.prose.tests.gutencorpus_books import cues, paragraph

SOURCES = b.SOURCES


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen17", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 197 and len(spans) == 898
    assert types == {"PERSON": 548, "LOCATION": 350}
    assert kinds["first_name"] == 36 and kinds["last_name"] == 246 and kinds["name"] == 266
    assert kinds["street_address"] == 15 and kinds["city"] == 114 and kinds["country"] == 81
    assert kinds["state"] == 65 and kinds["region"] == 61 and kinds["other"] == 14
    assert sum(not d.spans for d in docs) == 15  # the precision share
    assert Counter(d.id.split("-")[0] for d in docs) == {"botchan": 74, "lives": 73, "wikipedia": 50}
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen17", SOURCES)


# The titled person of the made-up sources (every fourth paragraph from the third)
TITLED = "Mr. Hotta called upon us at the hour of {k} and told her story in the hall."
NOTICE = "End of Project Gutenberg's Made-up Book, by Someone\n\nLICENSE text here, Produced by nobody.\n"


def _botchan(count: int) -> str:
    """A book in botchan.txt's layout: a header, the START line, paragraphs wrapped at spaces, the closing notice."""
    wrapped = (paragraph("botchan", k, TITLED).replace(". ", ".\n") for k in range(count))
    body = "\n\n".join(wrapped)
    return (
        f"\ufeffProject Gutenberg's Made-up Book\n\n*** START OF THIS PROJECT GUTENBERG EBOOK MADE-UP ***\n\n{body}\n\n{NOTICE}"
    )


def _wikitext(source: str, numbers: range) -> str:
    """An article's wikitext: an infobox, a heading, a list and each paragraph with links, a reference and a comment."""
    paragraphs = "\n\n".join(
        paragraph(source, k, TITLED).replace("Geneva", "[[Geneva, Switzerland|Geneva]]")
        + "<ref>{{cite book|title=[[Notes]]}}</ref><!-- a comment -->"
        for k in numbers
    )
    return f"{{{{Infobox person\n| name = Someone\n}}}}\n== Life ==\n* a list item of [[Geneva]]\n{paragraphs}\n"


def _page(title: str, text: str, namespace: int = 0) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<page><title>{title}</title><ns>{namespace}</ns><revision><text>{escaped}</text></revision></page>"


def _dump() -> bytes:
    """A dump in the Wikipedia export's form: a biography, two other articles, a redirect and a talk page."""
    pages = [
        _page("Abraham Lincoln", _wikitext("lives", range(200))),
        _page("Anarchism", _wikitext("wikipedia", range(60))),
        _page("AfghanistanHistory", "#REDIRECT [[History of Afghanistan]]"),
        _page("Talk:Aristotle", _wikitext("talk", range(20)), namespace=1),
        _page("Alabama", _wikitext("wikipedia", range(60, 120))),
    ]
    xml = f'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/">{"".join(pages)}</mediawiki>'
    return bz2.compress(xml.encode("utf-8"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Both sources in their distributions' layout, below a root of their own."""
    r = tmp_path / "root"
    (r / b.BOTCHAN).parent.mkdir(parents=True)
    (r / b.BOTCHAN).write_text(_botchan(200), "utf-8")
    (r / b.WIKIPEDIA).parent.mkdir(parents=True)
    (r / b.WIKIPEDIA).write_bytes(_dump())
    return r


def _cues(docs: list[dict]) -> Counter[str]:
    return cues(docs, "Mr. Hotta")


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # a passage a paragraph here, as written before its markup (a paragraph wrapped in lines is one line again), never
    # the notice, the infobox, the heading, the list, the redirect nor the talk page
    made = {s: {paragraph(s, k, TITLED) for k in range(200)} for s in SOURCES}
    for source, docs in first.items():
        assert all(d["id"].startswith(f"{source}-") and d["text"] in made[source] for d in docs)
    # each pool as many as its count says, or all it has: Botchan's 50 streets (all), 40 towns, 21 titled and 13 of the
    # rest; the biography's 50 streets (all), 50 towns (all), 6 titled, 10 of the rest; the two other articles' 30
    # streets (all), 26 towns, 3 titled, 7 of the rest
    botchan, lives, wikipedia = (_cues(first[s]) for s in SOURCES)
    assert botchan == {"Baker Street": 50, "Geneva": 40, "Mr. Hotta": 21, "none": 13}
    assert lives == {"Baker Street": 50, "Geneva": 50, "Mr. Hotta": 6, "none": 10}
    assert wikipedia == {"Baker Street": 30, "Geneva": 26, "Mr. Hotta": 3, "none": 7}


def test_wikitext_is_read_as_its_plain_paragraphs():
    text = (
        "{{Infobox|name={{nested|x}}}}\n"
        "'''Ada''' lived in [[London|the capital]] and [[Paris]]<ref name=a>{{cite|y}}</ref>.<!-- hidden -->\n"
        "[[File:Ada.jpg|thumb|Ada in [[London]]]]\n"
        "== Later life ==\n"
        "* a list item\n"
        "{| class=wikitable\n|-\n| a cell\n|}\n"
        "She wrote to [http://example.org Charles Babbage] &#38; others (; ) often.\n"
        "A line with a named entity&nbsp;left\n"
        "A line with a {{broken template\n"
    )
    assert b.plain_paragraphs(text) == ["Ada lived in the capital and Paris.", "She wrote to Charles Babbage & others often."]


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen17", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen17", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen17", *args)


@pytest.mark.parametrize(
    ("path", "words"),
    [(b.BOTCHAN, ("botchan.txt missing", "sentencepiece==0.2.3")), (b.WIKIPEDIA, ("shortened.bz2 missing", "gensim==4.4.0"))],
)
def test_a_missing_source_is_named(root, tmp_path, path, words):
    (root / path).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words, "pip download")
    assert not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize(
    ("path", "content", "words"),
    [
        (b.BOTCHAN, b"\xff\xfe\x00binary", ("botchan.txt is not UTF-8",)),
        (b.BOTCHAN, b"A book without Project Gutenberg's lines.", ("no Project Gutenberg START line",)),
        (b.WIKIPEDIA, b"not compressed", ("cannot read the sources",)),
        (b.WIKIPEDIA, bz2.compress(b"<mediawiki><page>"), ("is not a Wikipedia dump",)),
    ],
)
def test_a_source_that_cannot_be_read_is_refused(root, tmp_path, path, content, words):
    (root / path).write_bytes(content)
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), *words)
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
