"""The ninth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen9 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)
from evals.prose.tests.rdata import lazy_load_index, serialized

SOURCES = ("austen", "oui", "elements")
# A document of another part that a paragraph of a novel could be, with a street's cue: were it not another part's, it
# would be drawn for sure (every street paragraph of the small novels below is)
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b._prose(t) and b.paragraphs_of_lines([t]) == [t] and b.AUSTEN_STREET.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen9", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans if g.type == "LOCATION")
    assert 170 <= len(docs) <= 210 and 550 <= len(spans) <= 650
    assert types["PERSON"] >= 240 and types["ZIP_CODE"] >= 45
    assert kinds["street_address"] >= 90 and kinds["city"] >= 85 and kinds["country"] >= 50 and kinds["state"] >= 35
    assert set(types) == {"PERSON", "LOCATION", "ZIP_CODE"}
    assert set(kinds) == {"street_address", "city", "state", "country", "other"}
    assert 0.12 <= sum(not d.spans for d in docs) / len(docs) <= 0.2  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs if not d.id.startswith("oui-"))


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen9", SOURCES)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _austen(root: Path) -> None:
    """Two novels in janeaustenr's layout: a database of zlib chunks, and its index (gzipped) of where each is."""
    street = [[f"Mr. Knightley walked the children to Brunswick Square, number {k},", "in the morning."] for k in range(45)]
    place = [
        [f"They went down to Bath on the {k}th day of the month", "with all their things and the children."] for k in range(40)
    ]
    named = [[f'"The party was over at last," said Mr. Weston, for the {k}th time that long evening.'] for k in range(10)]
    plain = [[f"It was a truth universally acknowledged, number {k}, that nobody came to the ball at all."] for k in range(22)]
    nobody = ["The day was fine and Emma was glad of it, as she had every reason to be."]
    lines = ["EMMA", "", "By Jane Austen", "", "CHAPTER I", ""]
    for para in [*street, *place, *named, *plain, nobody]:
        lines += [*para, "", ""]
    novels = {"emma": lines, "persuasion": ["Persuasion", "", TAKEN, ""]}
    data, where = b"", {}
    for name, text in novels.items():
        body = serialized(lambda w, text=text: w.strings(text))
        chunk = struct.pack(">i", len(body)) + zlib.compress(body)
        where[name] = [len(data), len(chunk)]
        data += chunk
    _write(root / b.AUSTEN_DATA, data)
    _write(root / b.AUSTEN_INDEX, gzip.compress(lazy_load_index(where)))


def _oui(root: Path) -> None:
    head = "OUI/MA-L\t\tOrganization\ncompany_id\t\tOrganization\n\t\t\t\tAddress\n\n"
    entries = []
    for k in range(40):
        country, town = ("US", "Ferndale  WA  98248") if k < 30 else ("DE", "Giessen  Hessen  35398")
        hexa = f"{k:06X}"
        entries.append(
            f"{hexa[:2]}-{hexa[2:4]}-{hexa[4:]}   (hex)\t\tVendor {k} Inc.\n"
            f"{hexa}     (base 16)\t\tVendor {k} Inc.\n\t\t\t\t{2181 + k} Buchanan Loop\n\t\t\t\t{town}\n\t\t\t\t{country}\n"
        )
    entries.append(
        "AA-00-00   (hex)\t\tVendor 0 Inc.\nAA0000     (base 16)\t\tVendor 0 Inc.\n\t\t\t\t2181 Buchanan Loop\n\t\t\t\tFerndale  WA  98248\n\t\t\t\tUS\n"
    )
    entries.append("BB-00-00   (hex)\t\tPrivate\nBB0000     (base 16)\t\tPrivate\n")
    _write(root / b.OUI, (head + "\n".join(entries)).replace("\n", "\r\n").encode("utf-8"))


def _elements(root: Path) -> None:
    info = "00-database-info\nThis dictionary database was created by Jay F. Kominek, in the public domain.\n\n"
    found = "".join(
        f"element{k}\nSymbol: E{k}\nAtomic number: {k}\nAtomic weight: {k}.5\nSilvery metallic element of group {k}.\n"
        f"Discovered in 1808 by Sir\nHumphry Davy{k} and by J.L. Gay-Lussac.\n\n"
        for k in range(30)
    )
    plain = "".join(
        f"gas{k}\nSymbol: G{k}\nAtomic number: {k}\nAtomic weight: {k}.25\nColourless gaseous element number {k} of the\nperiodic table, with no known compounds.\n\n"
        for k in range(8)
    )
    latin = "wolfram\nSymbol: W\nAtomic number: 74\nAtomic weight: 183.85\nFirst isolated by the brothers Elhuyar in Bergara, a town of\nSpain, with M\xfcller's method.\n"
    _write(root / b.ELEMENTS, gzip.compress((info + found + plain + latin).encode("latin-1")))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _austen(r)
    _oui(r)
    _elements(r)
    return r


def _texts(docs: list[dict]) -> list[str]:
    return [d["text"] for d in docs]


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    austen = {d["id"]: d["text"] for d in first["austen"]}
    # 40 of the 45 street paragraphs, 36 of the 40 places, 8 of the 10 named, 20 of the 22 plain; the paragraph
    # naming Emma with no cue, the headings and another part's text never
    assert len(austen) == 40 + 36 + 8 + 20
    assert sum("Brunswick Square" in t for t in austen.values()) == 40 and sum("Bath" in t for t in austen.values()) == 36
    assert (
        sum("Mr. Weston" in t for t in austen.values()) == 8
        and sum("nobody came to the ball" in t for t in austen.values()) == 20
    )
    assert not any("Emma was glad" in t or t == TAKEN for t in austen.values())
    # ids count paragraphs from the novel's first; a paragraph's lines are joined with a space
    assert austen["austen-emma-10"] == "Mr. Knightley walked the children to Brunswick Square, number 7, in the morning."
    oui = _texts(first["oui"])
    # 26 of the 30 in the United States (the same entry under two numbers once), 10 elsewhere (all), none without address
    assert len(oui) == 26 + 10 and len(set(oui)) == len(oui) and not any("Private" in t for t in oui)
    assert "Vendor 3 Inc.\n2184 Buchanan Loop\nFerndale  WA  98248\nUS" in oui
    assert sum(t.endswith("\nDE") for t in oui) == 10
    elements = {d["id"]: d["text"] for d in first["elements"]}
    # 24 of the 30 discoverers, every plain entry (8, and a Latin-1 one); the database's own entry never
    assert len(elements) == 24 + 9 and sum("Discovered in 1808 by Sir Humphry Davy" in t for t in elements.values()) == 24
    assert (
        elements["elements-wolfram"]
        == "First isolated by the brothers Elhuyar in Bergara, a town of Spain, with Müller's method."
    )
    assert not any("Symbol" in t or "Kominek" in t for t in elements.values())


def _run(*args: str):
    return run_builder("unseen9", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen9", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen9", SOURCES, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.OUI).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "oui.txt missing", "apt-get download ieee-data")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_database_that_cannot_be_read_is_named(root, tmp_path):
    data = (root / b.AUSTEN_DATA).read_bytes()
    (root / b.AUSTEN_DATA).write_bytes(data[:40])  # cut short
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "janeaustenr's database")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
