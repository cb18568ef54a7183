"""The fifth unseen part: its committed files are what its labels give (checked on their texts, never scanned:
the lead scores the part once), and its builder draws the same documents from the same sources every time,
refusing with one line when a source is missing or is another version."""

from __future__ import annotations

import gzip
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen5 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("wordnet", "jargon", "gcide")
# A document of another part that a Jargon File entry written as it could render to: drawn there, never here
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b.MIN_JARGON <= len(t) <= b.MAX_CHARS
    and not t[:1].isspace()
    and "\n\n\n" not in t
    and not any(c in t for c in "{}")
    and all(line == line.strip() for line in t.splitlines())
    and b.JARGON_CUE.search(t)
    and b.CAP_INSIDE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen5", SOURCES, b.OTHER_PARTS)
    spans = [(d, g) for d in docs for g in d.spans]
    types = Counter(g.type for _, g in spans)
    kinds = Counter(g.kind for _, g in spans if g.type == "LOCATION")
    assert 100 <= len(docs) <= 130 and 250 <= len(spans) <= 400
    assert types["PERSON"] >= 60 and kinds["city"] >= 60 and kinds["street_address"] >= 25
    assert set(kinds) == {"city", "street_address", "state", "country", "region", "other"}


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen5", SOURCES)


def _gz(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def _wordnet() -> str:
    people = "".join(
        f"Writer{n}\n    n 1: United States writer born in Boston who wrote {n} books\n"
        f"         (1800-1870) [syn: {{Writer{n}}}, {{John Writer{n}}}]\n"
        for n in range(b.N_PEOPLE - 1)  # with the synset below under a second headword: all drawn, that one once
    )
    towns = "".join(f"Town{n}\n    n 1: a city in northern Italy on the River Po; the site of fair {n}\n" for n in range(40))
    # one fewer than drawn: a sense wrongly taken for a street or a person would be drawn for sure
    streets = "".join(
        f"Street{n}\n    n 1: a street in central London where shop {n} stands and sells its goods\n"
        for n in range(b.N_STREETS - 1)
    )
    return (
        "0\n    n 1: a number\n00-database-short\n     WordNet (r) 3.0 (2006)\n"
        + people
        + towns
        + streets
        # the same synset under a second headword, drawn once
        + "John Writer0\n    n 1: United States writer born in Boston who wrote 0 books\n"
        "         (1800-1870) [syn: {Writer0}, {John Writer0}]\n"
        # "march" filed under "March": the sense with no synonyms is not the month's
         + "March\n    n 1: the month following February [syn: {March}, {Mar}]\n"
        '    2: a procession of people walking together; "the march went up Fifth Avenue" \n'
        "    3: the act of marching [syn: {march}, {marching}]\n"
        # a battle's one year is no life; verbs are left out
        + "Gettysburg\n    n 1: a battle of the American Civil War (1863) won in Pennsylvania by the Union\n"
        + "Boston\n    v 1: to dance a waltz as people in Boston did in old days\n"
    )


def _jargon() -> str:
    entries = "".join(
        f"word{n}\n /wurd/, n.\n\n    [from {{Star Trek}}] Coined by Guy Steele at MIT in Cambridge,\n"
        f"    a town far away, in the year {n} of the Net.\n\n"
        for n in range(b.N_JARGON - 1)  # with the other part's document: all drawn, were it not left out
    )
    taken = TAKEN.splitlines()
    as_entry = taken[0] + "\n" + "".join(f"    {line}\n" if line else "\n" for line in taken[1:]) + "\n"
    return (
        "00-database-short\n     The Jargon File\nThe original data.\n\n(TM)\n //\n\n    An ASCII rendition.\n\n"
        + entries
        + as_entry
    )


def _gcide() -> bytes:
    streets = "".join(
        f"   Lombard Street, the principal street in London for banks,\n      number {n} of them.\n      [1913 Webster]\n\n"
        for n in range(b.N_GCIDE_STREETS - 1)  # with the cross-reference, were it taken for a street: all drawn
    )
    places = "".join(
        f'Galloway \\Gal"lo*way\\, n. (Zool.)\n   A small horse {n} raised at Galloway, Scotland; -- {{called}} also garran.\n'
        "   [1913 Webster]\n\n"
        for n in range(20)
    )
    cross = "Squire \\Squire\\, n. [OF. esquierre. See Square, n.]\n   A square; a measure; a rule. --Spenser.\n\n"
    # one byte that is no UTF-8 (a Windows quote), as the packaged file has
    return (
        b"00-database-info\n     The Collaborative International Dictionary of English\n00-database-short\n     GCIDE\n\n"
        + (streets + places + cross).encode("utf-8")
        + b"Odd \x92quote\x92 line.\n"
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the three packages' files, in their layout below a root of their own."""
    _gz(tmp_path / "root" / b.WORDNET, _wordnet())
    _gz(tmp_path / "root" / b.JARGON, _jargon())
    _gz(tmp_path / "root" / b.GCIDE, _gcide())
    return tmp_path / "root"


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    docs = {s: [d["text"] for d in ds] for s, ds in first.items()}
    ids = [d["id"] for d in first["wordnet"]]
    assert sum(i.startswith("wordnet-people-") for i in ids) == b.N_PEOPLE - 1
    assert sum(i.startswith("wordnet-towns-") for i in ids) == b.N_TOWNS
    assert sum(i.startswith("wordnet-streets-") for i in ids) == b.N_STREETS - 1
    assert len(docs["wordnet"]) == len(set(docs["wordnet"]))  # a synset under two headwords: once
    people = [t for t in docs["wordnet"] if "(1800-1870)" in t]
    assert all(t.startswith(t.split(",")[0] + ", John ") and "[syn" not in t and "{" not in t for t in people)
    assert not any("procession" in t or "Gettysburg" in t or "waltz" in t for t in docs["wordnet"])
    assert len(docs["jargon"]) == b.N_JARGON - 1 and TAKEN not in docs["jargon"]
    assert all(
        "Star Trek" in t and "{" not in t and not any(line[:1].isspace() for line in t.splitlines()) for t in docs["jargon"]
    )
    assert len(docs["gcide"]) == b.N_GCIDE_STREETS - 1 + b.N_GCIDE_PLACES
    assert sum("Lombard Street" in t for t in docs["gcide"]) == b.N_GCIDE_STREETS - 1
    assert not any("Webster]" in t or "{" in t or "Squire" in t for t in docs["gcide"])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_builder("unseen5", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen5", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen5", SOURCES, root)


def test_a_missing_package_is_named(root, tmp_path):
    (root / b.GCIDE).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "gcide.dict.dz missing", "dict-gcide")
    assert not (tmp_path / "x.jsonl").exists()


def test_another_version_of_a_source_is_named(root, tmp_path):
    _gz(root / b.JARGON, "a dictionary without the entries this draw starts from\n")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "jargon.dict.dz", "(TM)")
    (root / b.WORDNET).write_bytes(b"not gzip")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
