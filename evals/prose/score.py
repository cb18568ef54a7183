"""Score the PII detector on prose written by others, with Presidio offline as the baseline.

    python -m evals.prose [--part dev|unseen|unseen2|unseen3|unseen4|unseen5|unseen6|unseen7|unseen8|unseen9|unseen10|unseen11|unseen12|unseen13|unseen14|unseen15|unseen16|unseen17|unseen18]
                          [--files F.jsonl ...] [--system aircluster,presidio] [--errors N] [--json]

Reads the labeled files of one part (`*_<part>.jsonl` beside this file, e.g. `*_unseen4.jsonl`; see README.md
for where each comes from) and prints precision, recall and F1 per entity type, recall per kind of
place (street address, city, country, state), and the overall figures over the types the detector
reports. ZIP codes are no type of the detector (ages became one in detector 5, driver's licences in
detector 7): their row counts them found when any detection covers them (a postcode inside an address),
and detections on them are never false positives.

Matching by overlap, as bench/pii_eval.py does: a gold span is found when a detection of its type
overlaps it (one detection may find a street and the town after it); a detection is right when it
overlaps a gold span of its type, wrong when it overlaps none (and no ZIP code). `--errors N` prints up to N misses and false positives of the
development part; the unseen part never shows its errors (it is scored once, at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aircluster.privacy.entities import ENTITIES
from evals.pii import score as pii_score

HERE = Path(__file__).resolve().parent
# Labeled, but no type of the detector (AGE became one in detector 5, DRIVER_LICENSE in detector 7)
EXTRA_TYPES = tuple(t for t in ("ZIP_CODE", "AGE", "DRIVER_LICENSE") if t not in ENTITIES)
PLACE_KINDS = ("street_address", "city", "country", "state", "region", "other")
# The parts; the unseen ones never show their errors
PARTS = (
    "dev",
    "unseen",
    "unseen2",
    "unseen3",
    "unseen4",
    "unseen5",
    "unseen6",
    "unseen7",
    "unseen8",
    "unseen9",
    "unseen10",
    "unseen11",
    "unseen12",
    "unseen13",
    "unseen14",
    "unseen15",
    "unseen16",
    "unseen17",
    "unseen18",
    "unseen19",
    "unseen20",
    "unseen21",
    "unseen22",
    "unseen23",
)
PRESIDIO_TO_OURS = pii_score.PRESIDIO_TO_OURS  # its US_DRIVER_LICENSE is scored here: the prose labels licences

Pred = tuple[str, int, int]


class DataError(Exception):
    """A labeled file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Gold:
    type: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    spans: tuple[Gold, ...]


def entity_types() -> tuple[str, ...]:
    return ENTITIES


def load(path: Path) -> list[Doc]:
    """Documents of one JSONL file; DataError names the file and line of anything malformed."""
    known = set(entity_types()) | set(EXTRA_TYPES)
    docs = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read ({e})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            row = json.loads(line)
            text = row["text"]
            spans = tuple(Gold(s["type"], s.get("kind", ""), int(s["start"]), int(s["end"])) for s in row["spans"])
            doc_id = str(row.get("id", where))
        except (ValueError, KeyError, TypeError) as e:
            raise DataError(f"{where}: not a labeled document ({type(e).__name__}: {e})") from None
        if not isinstance(text, str):
            raise DataError(f"{where}: text is not a string")
        for g in spans:
            if g.type not in known:
                raise DataError(f"{where}: unknown type {g.type!r}")
            if not 0 <= g.start < g.end <= len(text):
                raise DataError(f"{where}: span {g.start}-{g.end} outside the text ({len(text)} characters)")
        docs.append(Doc(doc_id, text, spans))
    return docs


def part_files(part: str) -> list[Path]:
    return sorted(HERE.glob(f"*_{part}.jsonl"))


# ---- scoring -------------------------------------------------------------------------------------


@dataclass
class Result:
    counts: dict[str, Counter]  # per type: tp, fp, fn
    kinds: dict[str, Counter]  # per place kind: tp, fn
    misses: list[tuple[str, Gold]]  # (doc id, gold span)
    false: list[tuple[str, Pred]]  # (doc id, detection)


def score(docs: Sequence[Doc], preds: Sequence[Iterable[Pred]]) -> Result:
    """Per type: "tp"/"fn" gold spans found or missed (recall), "ok"/"fp" detections right or wrong
    (precision)."""
    types = entity_types()
    counts: dict[str, Counter] = {t: Counter() for t in (*types, *EXTRA_TYPES)}
    kinds: dict[str, Counter] = {k: Counter() for k in PLACE_KINDS}
    misses: list[tuple[str, Gold]] = []
    false: list[tuple[str, Pred]] = []
    for doc, pred in zip(docs, preds):
        found: set[int] = set()
        for p in sorted(pred, key=lambda p: (p[1], p[2])):
            e, s, t = p
            over = [i for i, g in enumerate(doc.spans) if s < g.end and g.start < t]
            same = [i for i in over if doc.spans[i].type == e]
            # An extra type covered by any detection is handled (a postcode inside an address).
            extra = [i for i in over if doc.spans[i].type in EXTRA_TYPES]
            found.update(same + extra)
            if same:
                counts[e]["ok"] += 1
            elif not extra:
                counts.setdefault(e, Counter())["fp"] += 1
                false.append((doc.id, p))
        for i, g in enumerate(doc.spans):
            got = i in found
            counts[g.type]["tp" if got else "fn"] += 1
            if g.type == "LOCATION" and g.kind in kinds:
                kinds[g.kind]["tp" if got else "fn"] += 1
            if not got:
                misses.append((doc.id, g))
    return Result(counts, kinds, misses, false)


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["ok"] / (c["ok"] + c["fp"]) if c["ok"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def overall(res: Result) -> Counter:
    out: Counter = Counter()
    for t in entity_types():
        out.update(res.counts[t])
    return out


def table(res: Result) -> dict[str, dict[str, float]]:
    """Rows for the report: types with gold spans or detections, place kinds, extra types, overall."""
    rows: dict[str, dict[str, float]] = {}

    def row(name: str, c: Counter, with_p: bool = True) -> None:
        p, r, f = prf(c)
        rows[name] = {
            "gold": c["tp"] + c["fn"],
            "tp": c["tp"],
            "fn": c["fn"],
            "ok": c["ok"],
            "fp": c["fp"],
            "recall": r,
            **({"precision": p, "f1": f} if with_p else {}),
        }

    for t in entity_types():
        c = res.counts[t]
        if c["tp"] + c["fn"] + c["fp"] + c["ok"]:
            row(t, c)
    for k in PLACE_KINDS:
        if sum(res.kinds[k].values()):
            row(f"LOCATION/{k}", res.kinds[k], with_p=False)
    for t in EXTRA_TYPES:
        if res.counts[t]["tp"] + res.counts[t]["fn"]:
            row(f"{t} (covered)", res.counts[t], with_p=False)
    row("OVERALL", overall(res))
    return rows


# ---- systems -------------------------------------------------------------------------------------


def aircluster_scanner() -> Callable[[str], list[Pred]]:
    from aircluster.privacy.detect.detector import Detector

    det = Detector()
    return lambda text: [(e, s, t) for e, s, t, _ in det.scan_text(text)]


def presidio_scanner() -> Callable[[str], list[Pred]]:
    """Presidio's default recognizers on a blank spaCy pipeline: the only way it runs offline here."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank_en"}])
    nlp_engine.nlp = {"en": spacy.blank("en")}
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    return lambda text: [
        (PRESIDIO_TO_OURS[r.entity_type], r.start, r.end)
        for r in engine.analyze(text, language="en")
        if r.entity_type in PRESIDIO_TO_OURS
    ]


SYSTEMS: dict[str, Callable[[], Callable[[str], list[Pred]]]] = {
    "aircluster": aircluster_scanner,
    "presidio": presidio_scanner,
}


def run(system: str, docs: Sequence[Doc]) -> Result:
    scan = SYSTEMS[system]()
    return score(docs, [scan(d.text) for d in docs])


# ---- report --------------------------------------------------------------------------------------


def print_tables(tables: dict[str, dict[str, dict[str, float]]]) -> None:
    systems = list(tables)
    names = list(dict.fromkeys(n for t in tables.values() for n in t))
    head = f"{'type':<26}{'gold':>6}" + "".join(f" | {s[:12]:>12} {'P':>5} {'R':>5} {'F1':>5}" for s in systems)
    print(head)
    for name in names:
        gold = next(int(t[name]["gold"]) for t in tables.values() if name in t)
        line = f"{name:<26}{gold:>6}"
        for s in systems:
            r = tables[s].get(name)
            if r is None:
                line += f" | {'':>12} {'-':>5} {'-':>5} {'-':>5}"
                continue
            p = f"{r['precision']:.3f}" if "precision" in r else "-"
            f = f"{r['f1']:.3f}" if "f1" in r else "-"
            line += f" | {'':>12} {p:>5} {r['recall']:>5.3f} {f:>5}"
        print(line)


def print_errors(docs: Sequence[Doc], res: Result, limit: int) -> None:
    text_of = {d.id: d.text for d in docs}
    print(f"\nmisses (first {limit}):")
    for doc_id, g in res.misses[:limit]:
        t = text_of[doc_id]
        print(f"  {doc_id} {g.type}/{g.kind} {t[g.start : g.end]!r} in {t[max(0, g.start - 40) : g.end + 40]!r}")
    print(f"\nfalse positives (first {limit}):")
    for doc_id, (e, s, t_) in res.false[:limit]:
        t = text_of[doc_id]
        print(f"  {doc_id} {e} {t[s:t_]!r} in {t[max(0, s - 40) : t_ + 40]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.prose", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--part", choices=PARTS, default="dev")
    ap.add_argument("--files", type=Path, nargs="+", help="labeled JSONL files instead of a part")
    ap.add_argument("--system", default="aircluster,presidio", help="comma-separated: aircluster, presidio")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="show N misses and false positives (dev)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    systems = [s for s in args.system.split(",") if s]
    bad = [s for s in systems if s not in SYSTEMS]
    if bad or not systems:
        print(f"evals.prose: unknown system(s) {bad}; known: {', '.join(SYSTEMS)}", file=sys.stderr)
        return 2
    if args.errors and args.part != "dev" and not args.files:
        print("evals.prose: the unseen part shows no errors (score it once, without --errors)", file=sys.stderr)
        return 2
    files = args.files or part_files(args.part)
    if not files:
        print(f"evals.prose: no labeled files for part {args.part!r} in {HERE}", file=sys.stderr)
        return 2
    try:
        docs = [d for f in files for d in load(f)]
    except DataError as e:
        print(f"evals.prose: {e}", file=sys.stderr)
        return 2
    results = {s: run(s, docs) for s in systems}
    tables = {s: table(r) for s, r in results.items()}
    if args.json:
        print(
            json.dumps(
                {"part": args.part, "files": [f.name for f in files], "documents": len(docs), "systems": tables},
                indent=1,
            )
        )
    else:
        print(f"{len(docs)} documents, {sum(len(d.spans) for d in docs)} gold spans: {', '.join(f.name for f in files)}")
        print_tables(tables)
    if args.errors:
        print_errors(docs, results[systems[0]], args.errors)
    return 0
