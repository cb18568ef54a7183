"""How the PERSON/LOCATION tagger and the rules do alone and combined, on the development families.

The development families are the six the tagger trains on (tuning, heldout, blind, fresh, sealed,
vault); the blind evaluation family "harbor" is never generated here (the evaluation, `python -m
evals.pii` or bench/pii_eval.py, alone measures it). For each set, every post is scanned once for the
rules' hits, the other recognizers' hits and the tagger's output; then each way of combining them is
scored as the evaluation scores (`evals.pii.score`: overlap with a gold span of the same entity, each
gold span found once): rules alone, tagger alone, and `ensemble.combine` over a grid of thresholds.
Every family is in the shipped model's training data (other seeds): to measure how the tagger does
on a style it never saw, train a model without that family (leave one out):

    python -m tools.name_tagger.train --families tuning,heldout,blind,fresh,sealed --out /tmp/no_vault.crf.gz
    python bench/name_tagger_eval.py --model /tmp/no_vault.crf.gz --sets vault --n 2000

    python bench/name_tagger_eval.py [--n 1000] [--seed 20261] [--sets vault,sealed,fresh,blind,heldout,tuning]
                                     [--model PATH] [--grid]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

os.environ["AIRCLUSTER_NAME_TAGGER"] = "off"  # the detector's own scan: rules only
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: evals/ is not installed

from aircluster.privacy.detect.detector import Detector, resolve_overlaps
from aircluster.privacy.detect.ensemble import ADD, TYPE_WINS, VETO, combine
from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.tagger import MODEL_PATH, NameTagger
from evals.pii.score import prf, score, total
from evals.pii.synth import generate_posts

DEV_SETS = ("vault", "sealed", "fresh", "blind", "heldout", "tuning")


def exact(golds, preds) -> float:
    """Of the PERSON/LOCATION detections that overlap a gold span of their entity, the share with
    exactly its boundaries (what redaction leaves or takes beyond the name)."""
    hit = same = 0
    for gold, pred in zip(golds, preds):
        for e, s, t in pred:
            if e not in ("PERSON", "LOCATION"):
                continue
            g = next((g for g in gold if g.entity == e and s < g.end and g.start < t), None)
            if g is not None:
                hit += 1
                same += (g.start, g.end) == (s, t)
    return same / hit if hit else 1.0


def row(name: str, result: tuple[dict, float]) -> str:
    counts, same = result
    cells = []
    for e in ("PERSON", "LOCATION"):
        p, r, _ = prf(counts[e])
        cells.append(f"{e[:3]} P {p:.3f} R {r:.3f}")
    p, r, _ = prf(total(counts))
    return f"  {name:<40}" + "  ".join(cells) + f"  ALL P {p:.3f} R {r:.3f}  exact {same:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261)
    ap.add_argument("--sets", default=",".join(DEV_SETS))
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--grid", action="store_true", help="also score a grid of combine() thresholds")
    args = ap.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if any(s not in DEV_SETS for s in sets):
        raise SystemExit(f"name_tagger_eval: sets must be among {', '.join(DEV_SETS)}")
    det = Detector()
    tagger = NameTagger.load(load_lexicon(), args.model)
    print(f"model {args.model} ({tagger.version})")
    for set_name in sets:
        posts = list(generate_posts(args.n, args.seed, template_set=set_name))
        golds = [g for _, g in posts]
        cached = []
        t_rules = t_tag = 0.0
        for text, _ in posts:
            digits = sum(c.isdigit() for c in text)
            other = det.pattern_hits(text, "", digits)
            t0 = time.perf_counter()
            rules = det.name_hits(text, digits)
            t1 = time.perf_counter()
            tagged = tagger.tag(text)
            t2 = time.perf_counter()
            t_rules += t1 - t0
            t_tag += t2 - t1
            cached.append((other, rules, tagged, text))

        def run(make, cached=cached, golds=golds) -> tuple[dict, float]:
            preds = [
                [(e, s, t) for e, s, t, _ in resolve_overlaps(other + make(rules, tagged, text), text)]
                for other, rules, tagged, text in cached
            ]
            return score(golds, preds), exact(golds, preds)

        print(
            f"== {set_name}: {len(posts)} posts; rules {1e3 * t_rules / len(posts):.2f} ms/post, "
            f"tagger {1e3 * t_tag / len(posts):.2f} ms/post"
        )
        print(row("rules", run(lambda r, t, x: r)))
        print(row("tagger", run(lambda r, t, x: [s for s in t.spans if s[3] >= ADD])))
        print(row(f"combine (default {ADD}/{VETO}/{TYPE_WINS})", run(lambda r, t, x: combine(r, t, x))))
        print(row("combine, rules' boundaries", run(lambda r, t, x: combine(r, t, x, longer=False))))
        if args.grid:
            for add, veto, kd in itertools.product((0.7, 0.85, 0.95), (0.8, 0.9, 0.97, 1.01), (True, False)):
                print(
                    row(
                        f"combine add {add} veto {veto} digits {'kept' if kd else 'vetoed'}",
                        run(lambda r, t, x, a=add, v=veto, k=kd: combine(r, t, x, add=a, veto=v, keep_digits=k)),
                    )
                )


if __name__ == "__main__":
    main()
