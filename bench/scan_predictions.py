"""The detector's predictions on every evaluation family, dumped to a file, and two dumps compared: a speed
change must leave them identical (or its differences must be read one by one).

    /work/main/.venv/bin/python bench/scan_predictions.py dump OUT.json [--n 300] [--seed 20261]
    /work/main/.venv/bin/python bench/scan_predictions.py compare BEFORE.json AFTER.json [--json]

`dump` scans `--n` posts of each family (`scan_text`), `--n` posts and forms and `--n`/10 documents of
bench/scan_corpus.py (`scan_record`), and writes every finding with a digest per set; `compare` prints, per
family, precision and recall of both dumps against the gold spans (the same matching as bench/pii_eval.py) and
whether the predictions are identical. To dump the code of another commit: `git archive <commit> aircluster
evals | tar -x -C DIR` and run with PYTHONPATH=DIR.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

FAMILIES = ("harbor", "quarry", "vault", "sealed", "fresh", "blind", "heldout", "tuning")
# Records scanned with `scan_record`: short posts, long documents (a tenth as many), nested forms.
RECORD_SETS = {
    "records": lambda corpus, n, seed: corpus.posts(n, seed),
    "documents": lambda corpus, n, seed: corpus.documents(max(1, n // 10), seed),
    "forms": lambda corpus, n, seed: corpus.forms(n, seed),
}


def dump(out: Path, n: int, seed: int) -> None:
    import scan_corpus

    from aircluster.privacy.detect.detector import Detector

    det = Detector()
    result: dict = {"n": n, "seed": seed, "sets": {}}
    for family in FAMILIES:
        posts = scan_corpus.family_posts(n, seed, family)
        start = time.process_time()
        preds = [[list(h) for h in det.scan_text(text)] for text, _ in posts]
        seconds = time.process_time() - start
        result["sets"][family] = preds
        print(f"{family:<9}{_digest(preds)}  {seconds:6.2f} s cpu", flush=True)
    for name, records in RECORD_SETS.items():
        start = time.process_time()
        preds = [
            [[f.entity, f.field, f.start, f.end, f.score, [str(p) for p in f.path]] for f in det.scan_record(r)]
            for r in records(scan_corpus, n, seed)
        ]
        seconds = time.process_time() - start
        result["sets"][name] = preds
        print(f"{name:<9}{_digest(preds)}  {seconds:6.2f} s cpu", flush=True)
    out.write_text(json.dumps(result))


def _digest(preds: list) -> str:
    return hashlib.sha256(json.dumps(preds).encode()).hexdigest()[:12]


def compare(before: Path, after: Path, as_json: bool) -> int:
    import scan_corpus

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: evals/ is not installed
    from evals.pii.score import prf, score, total

    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    if (a["n"], a["seed"]) != (b["n"], b["seed"]):
        print(f"scan_predictions.py: {before} and {after} were dumped with different --n/--seed", file=sys.stderr)
        return 2
    rows = []
    for family in FAMILIES:
        golds = [g for _, g in scan_corpus.family_posts(a["n"], a["seed"], family)]
        qa = score(golds, [[tuple(p[:3]) for p in ps] for ps in a["sets"][family]])
        qb = score(golds, [[tuple(p[:3]) for p in ps] for ps in b["sets"][family]])
        rows.append(
            {
                "set": family,
                "before": prf(total(qa))[:2],
                "after": prf(total(qb))[:2],
                "identical": a["sets"][family] == b["sets"][family],
            }
        )
    for name in RECORD_SETS:
        if name in a["sets"] and name in b["sets"]:
            rows.append({"set": name, "before": None, "after": None, "identical": a["sets"][name] == b["sets"][name]})
    if as_json:
        print(json.dumps(rows))
    else:
        print(f"{'set':<9}{'P before':>10}{'R before':>10}{'P after':>9}{'R after':>9}  identical")
        for r in rows:
            pr = "".join(f"{x:>10.3f}" for x in (*(r["before"] or (0, 0)), *(r["after"] or (0, 0))))
            print(f"{r['set']:<9}{pr if r['before'] else ' ' * 38}  {r['identical']}")
    return 0 if all(r["identical"] for r in rows) else 1


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--n", type=int, default=300)
    d.add_argument("--seed", type=int, default=20261)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--json", action="store_true")
    args = p.parse_args()
    if args.command == "dump":
        if args.n < 1:
            print("scan_predictions.py: --n must be positive", file=sys.stderr)
            return 2
        dump(args.out, args.n, args.seed)
        return 0
    for path in (args.before, args.after):
        if not path.is_file():
            print(f"scan_predictions.py: {path}: no such dump", file=sys.stderr)
            return 2
    return compare(args.before, args.after, args.json)


if __name__ == "__main__":
    sys.exit(main())
