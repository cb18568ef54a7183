"""The sixth unseen part: its committed files are what its labels give (checked on their texts, never scanned:
the lead scores the part once), and its builder draws the same documents from the same sources every time,
refusing with one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen6 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("calendar", "manpages", "credits", "locales")
# A document of another part that a paragraph of an AUTHORS file could be: drawn there, never here
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b.MIN_CHARS <= len(t) <= b.MAX_CHARS
    and t == t.strip()
    and all(line.strip() and line == line.rstrip() for line in t.splitlines())
    and b.NAME_CUE.search(t)
    and b.SENTENCE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen6", SOURCES, b.OTHER_PARTS)
    spans = [(d, g) for d in docs for g in d.spans]
    types = Counter(g.type for _, g in spans)
    kinds = Counter(g.kind for _, g in spans if g.type == "LOCATION")
    assert 110 <= len(docs) <= 150 and 300 <= len(spans) <= 1000
    assert types["PERSON"] >= 80 and kinds["city"] >= 70 and kinds["street_address"] >= 30
    assert set(kinds) == {"city", "street_address", "state", "country", "region", "other"}
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen6", SOURCES)


def _write(path: Path, data: str | bytes, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(gzip.compress(raw) if gz else raw)


HEADER = "/*\n * History\n */\n\n#ifndef _calendar_x_\n#define _calendar_x_\n\nLANG=UTF-8\n\n"


def _calendars(root: Path) -> None:
    # 15 runs of three entries with a capitalized word inside (one entry continued on a tab-indented line); fewer
    # than drawn, so a run wrongly taken would be drawn for sure
    good = "".join(
        f"01/{n % 28 + 1:02d}\tGalileo Galilei{n} born in Pisa, Italy, 1564\n"
        f"01/{n % 28 + 1:02d}\tThe first ferry {n} runs between New York and\n\tHoboken, 1811\n"
        f"Jan {n % 28 + 1:02d}\tConstitution Day in Nauru and Norway\n"
        for n in range(15)
    )
    # no capitalized word inside a sentence: never drawn; a line of another shape splits a run
    plain = "02/01\tprohibition begins in earnest today, 1920\n" * 3
    broken = "03/01\tFirst meeting in London, 1946\nA stray line\n03/02\tMore in Paris, 1950\n"
    _write(root / b.CALENDARS / "calendar.history", HEADER + good + plain + broken + "\n#endif\n")
    for name in b.CALENDAR_FILES[1:]:
        _write(root / b.CALENDARS / name, HEADER + plain + "#endif\n")
    freebsd = "".join(f"05/{n + 1:02d}\tAlex Dev{n} <dev{n}@FreeBSD.org> born in Milano, Italy, 1980\n" for n in range(12))
    _write(root / b.CALENDARS / b.FREEBSD, HEADER + freebsd + "#endif\n")


def _manuals(root: Path) -> None:
    for n in range(8):
        page = (
            f".TH TOOL{n} 1\n.SH NAME\ntool{n} \\- a tool\n.SH DESCRIPTION\nWritten for Jane Example, who never credits it here.\n"
            f'.SH "AUTHORS"\n.B tool{n}\nwas written by Jane Doe{n} <jane{n}@example\\.org>\n'
            f"and \\fBJohn Smith\\fR \\(em with help \\- much help \\- from the list.\n"
            ".PP\nshort.\n"
        )
        _write(root / b.MANUALS / "man1" / f"tool{n}.1.gz", page, gz=True)
    # a link to another page, and the same page in another section: neither drawn again
    _write(root / b.MANUALS / "man1" / "alias.1.gz", ".so man1/tool0.1\n", gz=True)
    _write(root / b.MANUALS / "man8" / "tool0.8", gzip.decompress((root / b.MANUALS / "man1" / "tool0.1.gz").read_bytes()))


def _credits(root: Path) -> None:
    prose = "".join(
        f"Cerion Armour-Brown{n} worked on the support for the instruction set in\nthe framework, and Maynard Johnson improved it.\n\n"
        for n in range(5)
    )
    _write(root / b.DOCS / "valgrind" / "AUTHORS", prose + TAKEN + "\n")
    thanks = "".join(f"Steffen Stempel{n:02d}\t\tstempel{n:02d}@ira.uka.example.de   \n" for n in range(9))
    _write(root / b.DOCS / "tar" / "THANKS.gz", thanks, gz=True)
    # Latin-1, as the older credits files are; and a file the same under two packages, drawn once
    latin = "Frère Roy\t\troy@taize.example.fr\nFrederic Gobry\t\tfrederic.gobry@epfl.example.ch\nFredrik Hubinette\thubbe@lysator.example.se\n"
    _write(root / b.DOCS / "recode" / "THANKS", latin.encode("latin-1"))
    _write(root / b.DOCS / "recode-doc" / "THANKS", latin.encode("latin-1"))
    _write(root / b.DOCS / "tar" / "README", "Written by Jane Example and John Smith, who are not in the credits files.\n" * 2)


def _locale(name: str, address: str, escape: str = "/") -> str:
    return (
        f"comment_char %\nescape_char {escape}\n% A header: Jane Example <jane@example.org>\n\nLC_IDENTIFICATION\n"
        f'title      "Danish locale for Denmark"\nsource     "Danish Standards Association"\naddress    "{address}"\n'
        f'contact    ""\nemail      "bug-glibc-locales@gnu.org"\ntel        ""\nterritory  "Denmark"\n'
        f'revision   "1.0"\n\ncategory "i18n:2012";LC_IDENTIFICATION\nEND LC_IDENTIFICATION\n\nLC_CTYPE\ncopy "{name}"\nEND LC_CTYPE\n'
    )


def _locales(root: Path) -> None:
    folder = root / b.LOCALES
    _write(folder / "da_DK", _locale("da_DK", "Kollegievej 6, DK-2920 Charlottenlund, Danmark"))
    _write(folder / "de_BE", _locale("de_BE", "Sankt J<U00F8>rgens Alle 8, DK-1615 K<U00F8>benhavn V, Danmark"))
    _write(folder / "he_IL", _locale("he_IL", "Sankt Jo//rgens Alle 8, DK-1615 Ko//benhavn V, Danmark"))
    _write(folder / "cv_RU", _locale("cv_RU", "Sankt J<U00F8>rgens Alle 8, DK-1615 K<U00F8>benhavn V, Danmark"))  # drawn once
    _write(folder / "fo_FO", _locale("fo_FO", ""))  # no address: not drawn
    _write(folder / "en_DK", 'comment_char %\nescape_char /\nLC_IDENTIFICATION\ncopy "da_DK"\nEND LC_IDENTIFICATION\n')
    _write(folder / "translit_combining", "% no identification at all\n")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _calendars(r)
    _manuals(r)
    _credits(r)
    _locales(r)
    return r


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    docs = {s: [d["text"] for d in ds] for s, ds in first.items()}
    calendar = {d["id"]: d["text"] for d in first["calendar"]}
    assert sum(i.startswith("calendar.history-") for i in calendar) == 15
    assert sum(i.startswith("calendar.freebsd-") for i in calendar) == 4  # twelve entries, three a run
    assert all(t.count("\t") == 4 and "\n\tHoboken, 1811" in t for i, t in calendar.items() if "history" in i)
    assert not any("prohibition" in t or "#include" in t or "London" in t or "History" in t for t in calendar.values())
    manuals = docs["manpages"]
    assert sorted(manuals) == sorted(
        f"tool{n}\nwas written by Jane Doe{n} <jane{n}@example.org>\nand John Smith \u2014 with help - much help - from the list."
        for n in range(8)
    )  # one paragraph a page: the DESCRIPTION, the short paragraph and the link and copy of tool0 give none
    credits = docs["credits"]
    assert TAKEN not in credits and not any("README" in d["id"] or "Jane Example" in d["text"] for d in first["credits"])
    assert sum("Cerion Armour-Brown" in t for t in credits) == 5 and sum("Frère Roy" in t for t in credits) == 1
    lists = [t for t in credits if "Stempel" in t]
    assert [t.count("\n") + 1 for t in lists] == [4, 4]  # runs of four lines; the ninth line is too short alone
    assert all(line == line.rstrip() for t in lists for line in t.splitlines())
    locales = {d["id"]: d["text"] for d in first["locales"]}
    assert sorted(locales) == ["locale-cv_RU", "locale-da_DK", "locale-he_IL"]  # de_BE's address is cv_RU's
    assert locales["locale-he_IL"].splitlines() == [
        'title "Danish locale for Denmark"',
        'source "Danish Standards Association"',
        'address "Sankt Jo/rgens Alle 8, DK-1615 Ko/benhavn V, Danmark"',
        'email "bug-glibc-locales@gnu.org"',
        'territory "Denmark"',
        'revision "1.0"',
    ]
    assert any("Sankt Jørgens Alle 8, DK-1615 København V" in t for t in locales.values())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_builder("unseen6", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen6", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen6", SOURCES, root)


def test_a_missing_package_is_named(root, tmp_path):
    (root / b.CALENDARS / "calendar.music").unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "calendar.music missing", "apt-get install calendar")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_missing_folder_is_named(root, tmp_path):
    for path in sorted((root / b.LOCALES).iterdir()):
        path.unlink()
    (root / b.LOCALES).rmdir()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "i18n/locales missing", "apt-get install locales")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.MANUALS / "man1" / "tool3.1.gz").write_bytes(b"not gzip")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
