"""The seventh unseen part: its committed files are what its labels give (checked on their texts, never scanned:
the lead scores the part once), and its builder draws the same documents from the same sources every time,
refusing with one line when a source is missing or cannot be read."""

from __future__ import annotations

import gzip
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen7 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("python", "vim", "info", "kerneldocs", "kernelcredits")
# A document of another part that a paragraph of the help files could be, with a street number: were it not another
# part's, it would be drawn for sure (every street paragraph is)
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b.MIN_CHARS <= len(t) <= b.MAX_CHARS and b.paragraphs(t) == [t] and b.SENTENCE.search(t) and b.STREET_CUE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen7", SOURCES, b.OTHER_PARTS)
    spans = [(d, g) for d in docs for g in d.spans]
    types = Counter(g.type for _, g in spans)
    kinds = Counter(g.kind for _, g in spans if g.type == "LOCATION")
    assert 150 <= len(docs) <= 180 and 500 <= len(spans) <= 1000
    assert types["PERSON"] >= 200 and kinds["city"] >= 55 and kinds["street_address"] >= 40
    assert set(kinds) == {"city", "street_address", "state", "country", "region"}
    assert 0.15 <= sum(not d.spans for d in docs) / len(docs) <= 0.25  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen7", SOURCES)


def _write(path: Path, text: str, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = text.encode("utf-8")
    path.write_bytes(gzip.compress(raw) if gz else raw)


def _named(n: int, who: str) -> str:
    return f"* The frobnicate{n} function is now a good deal faster than it was before.\n  (Contributed by {who}{n}.)\n\n"


PLAIN = "".join(
    f"This plain sentence number {n} has nothing in it but words, and a few more words besides.\n\n" for n in range(6)
)
STREET = "1. This agreement is between the Example Corporation, having an office at\n   1895 Preston White Drive, Reston, VA 20191 and the Licensee.\n\n"
PLACE = "The optimizations were developed at a sprint, an event held in Reykjavik, Iceland, in the spring.\n\n"
FSF = "You should have received a copy of the licence; if not, write to the Free Software\nFoundation, Inc., 675 Mass Ave, Cambridge, MA 02139, USA.\n\n"


def _python(root: Path) -> None:
    folder = root / b.PYTHON_DOCS
    heading = "What's New In Python 3.1\n************************\n\n"
    directive = ".. note::\n   Written by Jane Example, who is never drawn from a directive at all.\n\n"
    session = ">>> print('Contributed by Jane Example in a session of the interpreter')\nContributed\n\n"
    short = "Contributed by Jane Example.\n\n"
    _write(
        folder / "whatsnew" / "3.1.rst.txt",
        heading + "".join(_named(n, "Jane Doe") for n in range(30)) + directive + session + short,
    )
    _write(folder / "license.rst.txt", STREET + PLACE + PLAIN)
    _write(folder / "about.rst.txt", PLACE)  # the same paragraph in two files: once
    _write(folder / "whatsnew" / "index.html", STREET.replace("1895", "1896"))  # not a source file


def _vim(root: Path) -> None:
    folder = root / b.VIM_DOCS
    address = "The address of the centre is:\n\t\t\tKibaale Children's Centre\n\t\t\tp.o. box 1658\n\t\t\tMasaka, Uganda, East Africa\n\n"
    _write(folder / "uganda.txt", "*uganda.txt*\tFor Vim version 9.0.\n\n" + address + TAKEN + "\n\n")
    patches = "".join(
        f"Patch 9.0.{n}\nProblem:    It fails in a way nobody expected.\nSolution:   Fix it. (idea by John Smith{n})\n\n"
        for n in range(20)
    )
    _write(folder / "version9.txt", patches + PLAIN)
    _write(folder / "tags", "uganda\tuganda.txt\t/*uganda*\n" * 40)


def _info(root: Path) -> None:
    folder = root / b.INFO
    node = "\x1fFile: sed.info,  Node: Top,  Next: Introduction,  Up: (dir)\n\nGNU sed\n*******\n\n"
    _write(folder / "sed.info.gz", node + "".join(_named(n, "Bruno Haible") for n in range(20)) + FSF, gz=True)
    _write(folder / "find.info-1.gz", node + PLAIN + PLACE.replace("Reykjavik", "Oslo"), gz=True)
    _write(folder / "python3.11.info.gz", STREET.replace("Example", "Python"), gz=True)  # the python source's text again


def _credit(n: int, address: str) -> str:
    return f"N: Jane Hacker{n}\nE: jane{n}@example.org\nD: The frobnicator driver and a few fixes\n{address}\n"


def _kernel(root: Path) -> None:
    folder = root / b.KERNEL_DOCS
    thanks = "".join(
        f"Thanks to Randy Dunlap{n}, Andrew Morton and Jan Kara for their review of this paper.\n\n" for n in range(12)
    )
    _write(folder / "process" / "howto.rst.txt", thanks + FSF + PLAIN)
    _write(folder / "x86" / "mtrr.rst.txt", FSF)  # once
    _write(folder / "translations" / "it_IT" / "howto.rst.txt", STREET.replace("Example", "Esempio"))
    preamble = "\tThis is at least a partial credits-file of people that have\n\tcontributed to the Linux project.\n\n\t\tLinus\n----------\n\n"
    streets = [_credit(n, f"S: {n} Nichols Avenue\nS: Syracuse, New York 13206\nS: USA") for n in range(36)]
    towns = [_credit(100 + n, "S: Buenos Aires\nS: Argentina") for n in range(12)]
    nones = [_credit(200 + n, "") for n in range(3)]
    stray = "N: Heinz Example\nE: heinz@example.org\nD: Logical Volume Manager\n\tcontinued on a line of no field\nS: Bartningstr. 12\nS: 64289 Darmstadt\n"
    too_long = "N: Long Example\n" + "D: a line of description that goes on and on\n" * 20 + "S: 1 Long Road\n"
    text = preamble + "\n".join([*streets, *towns, *nones, stray, too_long])
    _write(root / b.KERNEL_CREDITS, text, gz=True)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _python(r)
    _vim(r)
    _info(r)
    _kernel(r)
    return r


def _texts(docs: list[dict]) -> list[str]:
    return [d["text"] for d in docs]


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    python = _texts(first["python"])
    # every street and place paragraph (the place once though in two files), 24 of the 30 credited, 4 of the 6 plain
    assert len(python) == 30 and sum("Contributed by Jane Doe" in t for t in python) == 24
    assert sum("plain sentence" in t for t in python) == 4
    street = "1. This agreement is between the Example Corporation, having an office at\n1895 Preston White Drive, Reston, VA 20191 and the Licensee."
    assert street in python and python.count(PLACE.strip()) == 1  # each line's indent dropped
    assert not any("Jane Example" in t or "What's New" in t or "1896" in t for t in python)
    vim = _texts(first["vim"])
    assert "The address of the centre is:\nKibaale Children's Centre\np.o. box 1658\nMasaka, Uganda, East Africa" in vim
    assert TAKEN not in vim and len(vim) == 1 + 15 + 3 and not any("uganda.txt" in t for t in vim)
    info = {d["id"]: d["text"] for d in first["info"]}
    assert len(info) == 1 + 1 + 16 + 4 and not any("Python Corporation" in t or "File: " in t for t in info.values())
    assert any(i.startswith("info-find.info-1-") and "Oslo, Iceland" in t for i, t in info.items())
    kernel = _texts(first["kerneldocs"])
    assert len(kernel) == 1 + 8 + 3 and kernel.count(FSF.strip()) == 1 and not any("Esempio" in t for t in kernel)
    credits = {d["id"]: d["text"] for d in first["kernelcredits"]}
    assert len(credits) == 34 + 10 + 2 and all(t.startswith("N: ") for t in credits.values())
    # 37 entries with a digit in their address (one of them the entry with a line of no field, left out): 34 drawn
    heinz = "N: Heinz Example\nE: heinz@example.org\nD: Logical Volume Manager\nS: Bartningstr. 12\nS: 64289 Darmstadt"
    assert sum("Nichols Avenue" in t for t in credits.values()) + (heinz in credits.values()) == 34
    assert sum("Buenos Aires" in t for t in credits.values()) == 10 and heinz in credits.values()
    assert all(line[:3] in {"N: ", "E: ", "D: ", "S: "} for t in credits.values() for line in t.splitlines())
    assert not any("Linus" in t or "Long Example" in t for t in credits.values())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_builder("unseen7", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen7", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen7", SOURCES, root)


def test_a_missing_folder_is_named(root, tmp_path):
    for path in sorted((root / b.VIM_DOCS).iterdir()):
        path.unlink()
    (root / b.VIM_DOCS).rmdir()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "vim90/doc missing", "apt-get install vim-runtime")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_missing_credits_file_is_named(root, tmp_path):
    (root / b.KERNEL_CREDITS).unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "CREDITS.gz missing", "apt-get install linux-doc-6.1"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.INFO / "sed.info.gz").write_bytes(b"not gzip")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
