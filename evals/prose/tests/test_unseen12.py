"""The twelfth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen12 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("rnews", "mirrors", "nethack", "iab")
# A vendor's entry of another part's register (unseen11's, in the United States): were it not another part's, it would
# be drawn for sure from the small register below (every entry of its US pool is)
TAKEN = next(t for p in part_files("unseen11") for t in (d.text for d in load(p)) if t.endswith("\nUS"))


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen12", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans if g.type == "LOCATION")
    assert len(docs) == 196 and len(spans) == 833
    assert types["PERSON"] == 244 and types["LOCATION"] == 444 and types["ZIP_CODE"] == 60
    assert types["EMAIL_ADDRESS"] == 44 and types["URL"] == 41
    assert kinds["street_address"] == 60 and kinds["city"] == 135 and kinds["country"] == 181
    assert kinds["state"] == 66 and kinds["region"] == 2
    assert set(types) == {"PERSON", "LOCATION", "ZIP_CODE", "EMAIL_ADDRESS", "URL"}
    assert sum(not d.spans for d in docs) == 28  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs if d.id.startswith(("rnews-", "nethack-")))


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen12", SOURCES)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _news(root: Path) -> None:
    credited = [
        f"    •   plot() now draws the change number {k} as it should on every device,\n      thanks to Rob Hyndman.\n\n"
        for k in range(60)
    ]
    plain = [
        f"    o\tthe parser of change number {k} no longer fails\n\twhen a file has no line at all, nor any byte.\n\n"
        for k in range(12)
    ]
    for name in b.R_NEWS:
        _write(root / b.R_DOC / name, "R News\n\nCHANGES IN R 4.2.2:\n\n  NEW FEATURES:\n\n")
    _write(
        root / b.R_DOC / "NEWS", "R News\n\nCHANGES IN R 4.2.2:\n\n  BUG FIXES:\n\n" + "".join(credited) + "    •   Too short.\n"
    )
    _write(root / b.R_DOC / "NEWS.0", "\tThis file covers NEWS up to R-1.0.0.\n\n" + "".join(plain))


def _mirrors(root: Path) -> None:
    named = [
        f'"Canada (ON {k}) [https]",Canada,Toronto,https://cran{k}.example.ca/,"University of Toronto","Claire Yu <cy{k} # utoronto.ca>",1,ca'
        for k in range(30)
    ]
    rest = [
        f'"Chile [https]",Chile,Santiago,https://cran{k}.example.cl/,"Universidad de Chile","root # uchile.cl",1,cl'
        for k in range(20)
    ]
    _write(root / b.MIRRORS, "Name,Country,City,URL,Host,Maintainer,OK,CountryCode,Comment\n" + "\n".join(named + rest) + "\n")


def _guidebook(root: Path) -> None:
    page = "\n\n          NetHack 3.6                                         March 8, 2020\n\n\n          NetHack Guidebook                                              88\n\n"
    body = [
        "          12.  Credits\n",
        "               Jay  Fenlason  wrote the original Hack, with help from Kenny\n          Woodland, Mike Thome and Jon Payne.\n",
        "               Later, Mike coordinated a major rewrite of the game, with Mike Threep-\n          oint and Jean-" + page,
        "          Christophe Collet, to produce NetHack 3.0c.\n",
        "          12.1.  SPECIAL THANKS\n",
        "               Short.\n",
        "               The NetHack Development Team sometimes makes note of the names\n          in this, the list of Dungeoneers:\n",
        "               Adam Aronow           J. Ali Harlow          Mikko Juola and many more of them\n",
    ]
    path = root / b.GUIDEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    before = "          The game has no credits before its credits section, which opens below here.\n\n"
    path.write_bytes(gzip.compress((before + "\n".join(body)).encode("utf-8")))


def _entry(prefix: str, block: str, vendor: str, address: list[str]) -> str:
    pad = " " * 30
    lines = [f"{prefix}{pad}(hex){pad}{vendor}   ", f"{block}000-{block}FFF{pad}(base 16){pad}{vendor}   "]
    return "\n".join(lines + [f"{pad * 2}{line}   " for line in address]) + "\n\n"


def _iab(root: Path) -> None:
    head = "OUI                 Organization\nIAB Range           Organization\n                    Address\n\n"
    us = [_entry("00-50-C2", f"{k:03X}", f"Vendor {k} Inc.", [f"{k} Main Street", "Hudson  MA  01749", "US"]) for k in range(20)]
    world = [
        _entry("40-D8-55", f"{k:03X}", f"Firma {k} GmbH", [f"Lohwiese {k}", "Scheuring  Bavaria  86937", "DE"]) for k in range(45)
    ]
    vendor, *address = TAKEN.split("\n")
    taken = [_entry("00-50-C2", "FFF", vendor, address)]
    _write(root / b.IAB, head + "".join(us + world + taken))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _news(r)
    _mirrors(r)
    _guidebook(r)
    _iab(r)
    return r


def _texts(docs: list[dict]) -> list[str]:
    return [d["text"] for d in docs]


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # 58 of the 60 credited items, 10 of the 12 plain ones; an item's lines joined, the bullets of both kinds dropped
    news = {d["id"]: d["text"] for d in first["rnews"]}
    assert len(news) == 58 + 10 and sum(t.endswith("thanks to Rob Hyndman.") for t in news.values()) == 58
    # the k-th credited item opens on line 7 + 3k of its file
    assert all(
        t == f"plot() now draws the change number {(int(i.rsplit('-', 1)[1]) - 7) // 3} as it should on every device,"
        " thanks to Rob Hyndman."
        for i, t in news.items()
        if i.startswith("rnews-NEWS-")
    )
    assert not any("Too short" in t for t in news.values())
    assert (
        sum(t.startswith("the parser of change number") and t.endswith("no line at all, nor any byte.") for t in news.values())
        == 10
    )
    # two rows a document: 12 of the 15 pairs naming a keeper, 8 of the 10 others; the header no row
    rows = _texts(first["mirrors"])
    assert len(rows) == 12 + 8 and sum("Claire Yu <" in t for t in rows) == 12
    assert all(t.count("\n") == 1 and not t.startswith("Name,") for t in rows)
    # every paragraph of the credits, a hyphenated word joined ("Threep-oint"), a hyphen of a name kept
    # ("Jean-Christophe"), page lines and headings dropped; a paragraph too short, the list of names after the
    # Dungeoneers' heading and anything before the credits never
    credits = {d["id"]: d["text"] for d in first["nethack"]}
    assert (
        credits["nethack-0"] == "Jay Fenlason wrote the original Hack, with help from Kenny Woodland, Mike Thome and Jon Payne."
    )
    assert credits["nethack-1"] == (
        "Later, Mike coordinated a major rewrite of the game, with Mike Threepoint and Jean-Christophe Collet, to produce"
        " NetHack 3.0c."
    )
    assert credits["nethack-3"].endswith("the list of Dungeoneers:") and len(credits) == 3
    # every US vendor but the one another part has, 38 of the 45 elsewhere
    iab = {d["id"]: d["text"] for d in first["iab"]}
    assert len(iab) == 20 + 38 and TAKEN not in iab.values()
    assert iab["iab-0050C2003"] == "Vendor 3 Inc.\n3 Main Street\nHudson  MA  01749\nUS"


def _run(*args: str):
    return run_builder("unseen12", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen12", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen12", SOURCES, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.GUIDEBOOK).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")),
        "Guidebook.txt.gz missing",
        "apt-get download nethack-common",
    )
    (root / b.GUIDEBOOK).write_bytes(gzip.compress(b"          12.  Credits\n"))
    (root / b.IAB).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "iab.txt missing", "pip download", "netaddr==1.3.0")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.R_DOC / "NEWS.2").write_bytes(b"    o\t\xff\xfe not UTF-8\n")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "NEWS.2")
    (root / b.R_DOC / "NEWS.2").write_text("R News\n", "utf-8")
    (root / b.GUIDEBOOK).write_bytes(b"not gzip at all")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "Guidebook.txt.gz")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_guidebook_without_credits_is_refused(root, tmp_path):
    (root / b.GUIDEBOOK).write_bytes(gzip.compress(b"          1.  Introduction\n"))
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "no credits section")


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
