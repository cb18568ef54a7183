"""Checks every unseen part and its builder (`evals/prose/build_unseenN.py`) must pass, shared by their tests: the part
loads with every hand label applied, a draw writes the documents unlabeled, a draw that differs from the labeled part
is never written over it, and a refusal is one line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.prose.labels import labeled_files
from evals.prose.score import HERE, Doc, load, part_files


def labeled_part(part: str, sources: Sequence[str], other_parts: Iterable[str], labels_file: str | None = None) -> list[Doc]:
    """The part's documents, checked: one file a source, every label applied once to a document of its own id, each
    span a whole token run (no cut word, no space or comma at its edges), no two spans of a document overlapping, and
    no text another part holds. A part built by two builders (unseen19: `tz` and `history`) has a labels file each:
    `labels_file` names the other's (`<part>_labels.json` by default)."""
    names = {f"{s}_{part}.jsonl" for s in sources}
    files = [p for p in part_files(part) if p.name in names]
    assert {p.name for p in files} == names
    docs = [d for p in files for d in load(p)]
    labels = json.loads((HERE / (labels_file or f"{part}_labels.json")).read_text(encoding="utf-8"))
    assert set(labels) <= {d.id for d in docs} and len({d.id for d in docs}) == len(docs)
    assert sum(len(d.spans) for d in docs) == sum(len(v) for v in labels.values())  # none dropped or doubled
    for d in docs:
        for g in d.spans:
            piece = d.text[g.start : g.end]
            assert piece == piece.strip(" ,\n\t"), (d.id, piece)
            assert not (g.start > 0 and d.text[g.start - 1].isalnum()) and not (g.end < len(d.text) and d.text[g.end].isalnum())
        edges = sorted((g.start, g.end) for g in d.spans)
        assert all(a[1] <= b[0] for a, b in zip(edges, edges[1:])), d.id
    others = {d.text for other in other_parts for p in part_files(other) for d in load(p)}
    assert not {d.text for d in docs} & others
    return docs


def run_builder(part: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", f"evals.prose.build_{part}", *args], capture_output=True, text=True)


def one_line(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert all(w in run.stderr for w in words), run.stderr


def draw_writes_the_documents_unlabeled(
    part: str, draw: Callable[[Path], Mapping[str, Iterable[Mapping[str, Any]]]], root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "drawn.jsonl"
    run = run_builder(part, "--root", str(root), "--draw", str(out))
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == [d["id"] for ds in draw(root).values() for d in ds]
    assert all(set(r) == {"id", "text"} for r in rows)


def draw_is_refused(builder: str, root: Path, tmp_path: Path, *words: str) -> None:
    """`--draw` stops with a one-line error holding `words` and writes nothing."""
    out = tmp_path / "x.jsonl"
    one_line(run_builder(builder, "--root", str(root), "--draw", str(out)), *words)
    assert not out.exists()


def labeled_file_is_never_written_over(builder: str, file: Path, root: Path) -> None:
    """`--write` of a draw that is not the labeled one refuses, and the committed file keeps its bytes."""
    before = file.read_bytes()
    one_line(run_builder(builder, "--root", str(root), "--write"), "labeled documents not drawn", "nothing written")
    assert file.read_bytes() == before


def labeled_part_is_never_written_over(part: str, sources: Sequence[str], root: Path) -> None:
    before = {s: (HERE / f"{s}_{part}.jsonl").read_bytes() for s in sources}
    one_line(run_builder(part, "--root", str(root), "--write"), "labeled documents not drawn", "nothing written")
    assert before == {s: (HERE / f"{s}_{part}.jsonl").read_bytes() for s in sources}


def committed(part: str, sources: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The part's committed rows, by source."""
    return {s: [json.loads(line) for line in (HERE / f"{s}_{part}.jsonl").read_text("utf-8").splitlines()] for s in sources}


def committed_files_are_what_the_labels_give(part: str, sources: Sequence[str]) -> None:
    """Rebuilding from the same texts gives the same bytes (the texts' draw is checked on sources made in the test)."""
    parts = {s: [{"id": r["id"], "text": r["text"]} for r in rows] for s, rows in committed(part, sources).items()}
    rebuilt = labeled_files(parts, f"{part}_labels.json", part, f"build_{part}")
    for name, text in rebuilt.items():
        assert text == (HERE / name).read_text("utf-8"), name
