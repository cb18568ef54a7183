"""The fourth unseen part: its committed files are what its labels give (checked on their texts, never scanned:
the lead scores the part once), and its builder draws the same documents from the same sources every time,
refusing with one line when a source is missing or is another version."""

from __future__ import annotations

import gzip
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen4 as b
from evals.prose.score import HERE, load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("history", "devil", "state", "fortunes3", "foldoc")
# A fortune of the first fortunes part that this draw would take (short, a capital inside): drawn there, never here
TAKEN = next(
    t
    for t in (json.loads(line)["text"] for line in (HERE / "fortunes_dev.jsonl").read_text("utf-8").splitlines())
    if len(t) <= 420 and b.CAP_INSIDE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    files = part_files("unseen4")
    assert {p.name for p in files} == {f"{s}_unseen4.jsonl" for s in SOURCES}
    docs = [d for p in files for d in load(p)]
    labels = json.loads((HERE / "unseen4_labels.json").read_text(encoding="utf-8"))
    assert set(labels) <= {d.id for d in docs} and len({d.id for d in docs}) == len(docs)
    assert sum(len(d.spans) for d in docs) == sum(len(v) for v in labels.values())  # none dropped or doubled
    spans = [(d, g) for d in docs for g in d.spans]
    types = Counter(g.type for _, g in spans)
    assert 90 <= len(docs) <= 110 and 150 <= len(spans) <= 250
    assert types["PERSON"] >= 70 and types["LOCATION"] >= 60
    kinds = {g.kind for _, g in spans if g.type == "LOCATION"}
    assert kinds == {"city", "street_address", "state", "country", "region", "other"}
    for d, g in spans:  # a span is a whole token run: no cut word, no space or comma at its edges
        piece = d.text[g.start : g.end]
        assert piece == piece.strip(" ,\n"), (d.id, piece)
        assert not (g.start > 0 and d.text[g.start - 1].isalnum()) and not (g.end < len(d.text) and d.text[g.end].isalnum())
    others = {d.text for part in ("dev", "unseen", "unseen2", "unseen3") for p in part_files(part) for d in load(p)}
    assert not {d.text for d in docs} & others


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen4", SOURCES)


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the five packages' files, in their layout below a root of their own."""
    nbsp = "\u00a0"
    history = "A Brief History\n\n    Table of\n    Contents\n\n" + "".join(
        f"    Person {n} met Someone in Town {n}, a place far away\n{nbsp} {nbsp}  with a long line {n} of text about them.\n\n"
        for n in range(40)
    )
    _gz(tmp_path / "root" / b.HISTORY, history)
    words = ["ABASEMENT"] + [f"WORD{chr(65 + n)}" for n in range(25)]
    devil = "PREFACE\n\nIn the Preface, Bierce.\n\n" + "".join(
        f"{w}, n.  A thing Jones named.\n\n    Verse by Smith on the {w.lower()}.\n                        G.J.\n\n"
        for w in words
    )
    _gz(tmp_path / "root" / b.DEVIL, devil)
    _gz(
        tmp_path / "root" / b.CONSTITUTION,
        "".join(
            f"The Congress of the United States shall, in case {n}, do what the several States ask of it.\n" * 2 + "\n"
            for n in range(9)
        ),
    )
    _gz(
        tmp_path / "root" / b.DECLARATION,
        "We hold these truths.\n\nThe signers of the Declaration represented the new States as follows:\n\n"
        + "".join(f"{s}:\nJohn Doe{n}, Mary Roe{n}\n\n" for n, s in enumerate(("Virginia", "New York", "Georgia"))),
    )
    fortunes = tmp_path / "root" / b.FORTUNES
    fortunes.mkdir(parents=True)
    pieces = [f"A fortune about Boston number {n}.\n\t\t-- Mark Twain" for n in range(30)]
    for k, name in enumerate(b.FORTUNE_FILES):
        # the first two files hold the same fortune, and one file a fortune another part drew
        own = [pieces[k], pieces[0] if k < 2 else pieces[k + 13]] + ([TAKEN] if k == 2 else [])
        (fortunes / name).write_text("\n%\n".join(own) + "\n%\n", encoding="latin-1")
    foldoc = "00-database\n\nAcknowledgements\n\n   Thanks.\n\n" + "".join(
        f"Company{n}\n\n   <company> Makers of {{Unix}} tools, in Palo Alto, California.\n\n   Address: {n} Main St, Austin, TX.\n\n"
        f"Thing{n}\n\n   A {{language}} for proofs written from 1967 on\n   in Eindhoven, Netherlands.\n\n"
        for n in range(20)
    )
    _gz(tmp_path / "root" / b.FOLDOC, foldoc)
    return tmp_path / "root"


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    docs = {s: [d["text"] for d in ds] for s, ds in first.items()}
    assert len(docs["history"]) == b.N_HISTORY and all("Contents" not in t for t in docs["history"])
    assert all(not line[:1].isspace() for t in docs["history"] for line in t.splitlines())  # indents dropped
    assert len(docs["devil"]) == b.N_DEVIL and all(t.split(",")[0].isupper() for t in docs["devil"])
    assert len(docs["state"]) == b.N_CONSTITUTION + 3 and sum(":\nJohn Doe" in t for t in docs["state"]) == 3
    assert TAKEN not in docs["fortunes3"] and len(docs["fortunes3"]) == len(set(docs["fortunes3"]))
    assert len(docs["foldoc"]) == b.N_FOLDOC_ADDRESS + b.N_FOLDOC_PLACE
    assert sum("Address:" in t for t in docs["foldoc"]) == b.N_FOLDOC_ADDRESS and not any("{" in t for t in docs["foldoc"])


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_builder("unseen4", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen4", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen4", SOURCES, root)


def test_a_missing_package_is_named(root, tmp_path):
    (root / b.DEVIL).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "devil.dict.dz missing", "dict-devil")
    assert not (tmp_path / "x.jsonl").exists()


def test_another_version_of_a_source_is_named(root, tmp_path):
    _gz(root / b.FOLDOC, "a dictionary without the entries this draw starts from\n")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "foldoc.dict.dz", "Acknowledgements")
    (root / b.HISTORY).write_bytes(b"not gzip")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
