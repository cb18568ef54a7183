"""Applying hand-written labels to drawn documents, and writing a part's files: shared by the builders of the
unseen parts. A label is [type, kind, piece, n]: the n-th occurrence (from 0) of `piece` in the text."""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Three lower-case words in a row: a sentence (not a heading, a list or a line of a table of contents); the builders
# keep only passages that have one.
SENTENCE = re.compile(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b")


def texts_of(parts: Iterable[str]) -> set[str]:
    """The texts of these parts' documents (a builder draws none of them again)."""
    texts = set()
    for part in parts:
        for path in sorted(HERE.glob(f"*_{part}.jsonl")):
            texts.update(json.loads(line)["text"].strip("\n") for line in path.read_text("utf-8").splitlines() if line)
    return texts


def first_missing(root: Path, needed: Iterable[tuple[str, str]], how: str = "apt-get install {}") -> str | None:
    """The first of the (path under `root`, Debian package) source files that is not there, as a message saying
    `how` to get the package."""
    for need, package in needed:
        if not (root / need).is_file():
            return f"{root / need} missing ({how.format(package)})"
    return None


def first_missing_folder(root: Path, folders: Iterable[tuple[str, str]]) -> str | None:
    """The first of the (folder under `root`, how to get it) source folders that is not there, as a message."""
    for folder, remedy in folders:
        if not (root / folder).is_dir():
            return f"{root / folder} missing ({remedy})"
    return None


def one_space(text: str) -> str:
    """The text with each run of white space made one space: how a builder compares texts across parts."""
    return " ".join(text.split())


def first_pool(text: str, pools: Iterable[str], cues: Mapping[str, re.Pattern[str]]) -> str:
    """The first of `pools` whose cue the text has; "rest" (no cue) takes what no other does."""
    return next((name for name in pools if name == "rest" or cues[name].search(text)), "rest")


class Taken:
    """The texts of other parts, white space made one: `holds(flat)` when one of them is the text (`flat`, white space
    made one), holds it, or (one of at most `max_chars`) is a piece of it."""

    def __init__(self, texts: Iterable[str], max_chars: int):
        flat = {one_space(t) for t in texts}
        self._joined = "\x00".join(flat)
        self._short = [t for t in flat if len(t) <= max_chars]

    def holds(self, flat: str) -> bool:
        return flat in self._joined or any(t in flat for t in self._short)


def pooled(
    docs: Iterable[tuple[str, str]], taken: set[str], pool_of: Callable[[str], str | None], names: Iterable[str]
) -> dict[str, list[tuple[str, str]]]:
    """These (id, text) documents in the pool `pool_of` gives them (None: in none); a text met twice once, a text of
    another part (`taken`) never."""
    pools: dict[str, list[tuple[str, str]]] = {name: [] for name in names}
    seen: set[str] = set()
    for i, text in docs:
        if text in seen or text in taken:
            continue
        seen.add(text)
        pool = pool_of(text)
        if pool:
            pools[pool].append((i, text))
    return pools


def drawn_from_pools(pools: dict[str, list[tuple[str, str]]], counts: dict[str, int | None], rng: random.Random) -> list[dict]:
    """The first documents of each shuffled pool, as many as `counts` says (None: all), shuffled, as documents."""
    chosen = []
    for name, pool in pools.items():
        rng.shuffle(pool)
        chosen += pool[: counts[name]]
    rng.shuffle(chosen)
    return [{"id": i, "text": t} for i, t in chosen]


def drawn_capped(
    pools: dict[str, list[tuple[str, str, str]]],
    counts: dict[str, int | None],
    cap: int,
    rng: random.Random,
    per_group: dict[str, int] | None = None,
) -> list[tuple[str, str]]:
    """(id, group, text) documents of each shuffled pool in turn, as many as `counts` says (None: all), no group (an
    article, a culture) giving more than `cap` in all (`per_group`: what each has given already): (id, text), in the
    order taken."""
    given = {} if per_group is None else per_group
    chosen: list[tuple[str, str]] = []
    for name, pool in pools.items():
        rng.shuffle(pool)
        count = 0
        for i, group, text in pool:
            if counts[name] is not None and count >= (counts[name] or 0):
                break
            if given.get(group, 0) >= cap:
                continue
            given[group] = given.get(group, 0) + 1
            count += 1
            chosen.append((i, text))
    return chosen


def apply_labels(doc: dict, labels: list[list], builder: str) -> dict:
    text = doc["text"]
    spans = []
    for entity, kind, piece, n in labels:
        at = -1
        for _ in range(n + 1):
            at = text.find(piece, at + 1)
            if at < 0:
                raise SystemExit(f"{builder}: {doc['id']}: {piece!r} occurrence {n} not in the text")
        spans.append({"type": entity, "kind": kind, "start": at, "end": at + len(piece)})
    return {"id": doc["id"], "text": text, "spans": sorted(spans, key=lambda s: (s["start"], s["end"]))}


def write_drawn(parts: dict[str, list[dict]], out: Path) -> None:
    """The drawn documents, unlabeled, one a line (to read and label them)."""
    with open(out, "w", encoding="utf-8") as f:
        for docs in parts.values():
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")


def labeled_files(parts: dict[str, list[dict]], labels_file: str, part: str, builder: str) -> dict[str, str]:
    """The text of `<source>_<part>.jsonl` for each source, with the labels of `labels_file` applied (every label
    is applied before anything is returned: a label that no longer fits raises SystemExit naming it)."""
    labels = json.loads((HERE / labels_file).read_text(encoding="utf-8"))
    rows = {source: [apply_labels(d, labels.get(d["id"], []), builder) for d in docs] for source, docs in parts.items()}
    return {
        f"{source}_{part}.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labeled)
        for source, labeled in rows.items()
    }


def write_labeled(parts: dict[str, list[dict]], labels_file: str, part: str, builder: str) -> None:
    """`<source>_<part>.jsonl` beside this module for each source, with the labels of `labels_file` applied."""
    # every label is applied before any file is written: a label that no longer fits changes nothing
    for name, text in labeled_files(parts, labels_file, part, builder).items():
        (HERE / name).write_text(text, "utf-8")


def builder_main(
    argv: list[str] | None,
    part: str,
    doc: str | None,
    draw: Callable[[Path], dict[str, list[dict]]],
    missing: Callable[[Path], str | None],
    builder: str | None = None,
    labels_file: str | None = None,
) -> int:
    """The command line of an unseen part's builder (`python -m evals.prose.build_<part>`): `--draw OUT` writes the
    drawn documents unlabeled, `--write` the labeled files; one-line errors, nothing written on any of them. A part's
    second builder names itself and its labels file (`build_unseen19_history`, `unseen19_history_labels.json`)."""
    builder = builder or f"build_{part}"
    ap = argparse.ArgumentParser(prog=f"python -m evals.prose.{builder}", description=(doc or "").splitlines()[0])
    ap.add_argument("--draw", type=Path, metavar="OUT", help="write the drawn documents, unlabeled")
    ap.add_argument("--write", action="store_true", help=f"write the labeled {part} files beside this script")
    ap.add_argument("--root", type=Path, default=Path("/"), help="read the packages' files below DIR (default: /)")
    args = ap.parse_args(argv)
    if not (args.draw or args.write):
        print(f"{builder}: nothing to do (give --draw OUT or --write)", file=sys.stderr)
        return 2
    problem = missing(args.root)
    if problem:
        print(f"{builder}: {problem}", file=sys.stderr)
        return 2
    try:
        parts = draw(args.root)
    except (OSError, UnicodeDecodeError, EOFError, ValueError) as e:  # a source file cut short or not the text expected
        print(f"{builder}: cannot read the sources below {args.root}: {e}", file=sys.stderr)
        return 2
    if args.draw:
        write_drawn(parts, args.draw)
    if args.write:
        labels_file = labels_file or f"{part}_labels.json"
        labeled = set(json.loads((HERE / labels_file).read_text(encoding="utf-8")))
        stray = sorted(labeled - {d["id"] for docs in parts.values() for d in docs})
        if stray:  # another version of a package, or another root: the labels are for documents not drawn
            print(f"{builder}: {len(stray)} labeled documents not drawn (first: {stray[0]}); nothing written", file=sys.stderr)
            return 2
        write_labeled(parts, labels_file, part, builder)
    return 0
