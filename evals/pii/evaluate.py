"""Evaluate the PII detector against labeled synthetic posts, with Presidio as the baseline.

Prints, for aircluster's detector and for Presidio's AnalyzerEngine (default recognizers on a blank
spaCy pipeline, the only way it runs offline here), on the same generated posts:
  - precision, recall and F2 per entity and overall (micro), on eight sets:
      "harbor templates" (the headline, printed first): `synth.generate_posts(template_set="harbor")`, an
      eighth family (hotel cards, prescriptions, lab reports, bank statements, payslips, tax forms, loan
      applications, car rentals, fines, utility bills, vet records, HTTP dumps, CI logs, e-mail header
      chains, vCards, chatbot logs, subtitles, press releases, reference letters, passport scans,
      customs forms, notices, JSON and YAML payloads; some in German, French or Spanish) written by
      someone who never read the detector, its tests or its results; measured once (detector 3,
      commit 4afd131: P 0.921, R 0.969, PERSON R 0.936, LOCATION R 0.908), never tuned on;
      "quarry templates": a seventh family written blind the same way (HL7 and FHIR records, LDAP
      exports, auth logs, ride receipts, call records, dispatch logs, notices, match reports, ...),
      measured blind once (P 0.893, R 0.892; the detector of the session before: P 0.838, R 0.872),
      then developed on;
      "vault templates": `template_set="vault"` (call transcripts, clinic letters, incident summaries,
      dispute letters, listings, RSVP lists, rosters, show notes, order e-mails, expense reports,
      document comments, calendar invites, commits, SQL dumps, receipts, obituaries, genealogy notes,
      author blocks, membership forms), written blind and measured blind three times (before the name
      tagger P 0.860 R 0.839, with it P 0.892 R 0.883), then developed on and added to the tagger's
      training data;
      "sealed templates": `template_set="sealed"` (social comments, messenger threads, profiles, CVs,
      claims, school e-mails, minutes, itineraries, tenancy messages, classifieds, gaming chat, app
      logs), written blind too and measured blind once (P 0.902, R 0.812); since then developed on and
      trained on;
      "fresh templates": `template_set="fresh"` (reviews, listings, support chats, HR forms, config
      and log snippets, CSV exports, delivery notes, voicemails), written blind too; measured blind
      once (P 0.768, R 0.797), then the detector was improved while looking at its misses;
      "blind templates": `template_set="blind"` (forum posts, chat logs, tickets, e-mails), written
      blind too, but the detector was later improved while looking at its misses there;
      "held-out templates": `template_set="heldout"`, a family written apart from the one the
      detector's rules were tuned on, with other value shapes; also tuned on since;
      "in-distribution": the tuning templates, with seeds the tests do not use. The gap between the
      headline family and the others is how much the detector is fitted to text it was developed on;
  - recall on held-out-template posts whose names are all absent from the word lists ("unseen names");
  - records/s and MB/s with 1 and with N worker processes (detection only, on the held-out set and on
    the headline set, whose posts are longer): medians of `--speed-runs` side-by-side runs in
    alternating order, and the median of the per-run ratios (what to compare on a noisy machine);
    for aircluster also the whole review step (detect + policy + stats) through `ScanPipeline`.

Matching: a detection counts as correct when it overlaps a gold span of the same entity; each gold
span is found at most once (`evals.pii.score`).

From the repository root (`bench/pii_eval.py` runs the same):

    python -m evals.pii [--n 2000] [--workers 2] [--seed 20261] [--speed-runs 3] [--quick] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from evals.pii.family_types import FAMILY_ENTITIES  # noqa: E402
from evals.pii.score import (  # noqa: E402
    PRESIDIO_TO_OURS,  # noqa: E402
    Pred,
    prf,
    score,
    total,
)
from evals.pii.synth import generate_posts, generate_records  # noqa: E402
from evals.prose import score as prose_score  # noqa: E402

# ---- the two systems, built once per process ------------------------------------------------------

_scan: Callable[[str], list[Pred]] | None = None


def _init_ours() -> None:
    global _scan
    from aircluster.privacy.detect.detector import Detector

    det = Detector()
    _scan = lambda text: [(e, s, t) for e, s, t, _ in det.scan_text(text)]  # noqa: E731


def _init_presidio() -> None:
    global _scan
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank_en"}])
    nlp_engine.nlp = {"en": spacy.blank("en")}  # no statistical model can be installed offline
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])

    def scan(text: str) -> list[Pred]:
        return [
            (PRESIDIO_TO_OURS[r.entity_type], r.start, r.end)
            for r in engine.analyze(text, language="en")
            if r.entity_type in PRESIDIO_TO_OURS
        ]

    _scan = scan


def _scan_chunk(texts: list[str]) -> list[list[Pred]]:
    assert _scan is not None
    return [_scan(t) for t in texts]


def run(init: Callable[[], None], texts: list[str], workers: int) -> tuple[list[list[Pred]], float]:
    """Predictions for every text and the scan time in seconds (start-up excluded)."""
    chunks = [texts[i : i + 64] for i in range(0, len(texts), 64)]
    # Always in fresh worker processes, also for one: this process holds every set's posts, and the
    # garbage collector's full passes over them would be charged to whichever system allocates more.
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=init) as pool:
        pool.map(_scan_chunk, [texts[:20]] * workers)  # wait until every worker is up
        t0 = time.perf_counter()
        out = [p for c in pool.imap(_scan_chunk, chunks) for p in c]
        return out, time.perf_counter() - t0


# ---- report --------------------------------------------------------------------------------------


def print_quality(ours: dict[str, Counter], base: dict[str, Counter]) -> None:
    print(f"{'entity':<15}{'gold':>6} | {'aircluster P':>12}{'R':>7}{'F2':>7} | {'presidio P':>10}{'R':>7}{'F2':>7}")
    rows = [(e, ours[e], base[e]) for e in FAMILY_ENTITIES] + [("OVERALL", total(ours), total(base))]
    for name, a, b in rows:
        pa, ra, fa = prf(a)
        pb, rb, fb = prf(b)
        print(f"{name:<15}{a['tp'] + a['fn']:>6} | {pa:>12.3f}{ra:>7.3f}{fa:>7.3f} | {pb:>10.3f}{rb:>7.3f}{fb:>7.3f}")


def pipeline_rate(n: int, seed: int, workers: int) -> tuple[float, float]:
    from aircluster.privacy.review.pipeline import ScanPipeline
    from aircluster.privacy.review.policy import Policy

    records = list(generate_records(n, seed + 1))
    size = sum(len(r["text"]) + len(r["user"]) for r in records)
    batches = [records[i : i + 256] for i in range(0, n, 256)]
    pipe = ScanPipeline(Policy.load(None), b"k" * 32, workers=workers, batch_size=256, local_pieces=0)
    try:
        list(pipe.process(iter(batches[:workers])))  # start-up outside the timing
        t0 = time.perf_counter()
        out = sum(len(b) for b in pipe.process(iter(batches)))
        dt = time.perf_counter() - t0
    finally:
        pipe.close()
    assert out <= n
    return n / dt, size / dt / 1e6


def targets(q: dict[str, Counter], speed: dict[int, float]) -> list[tuple[str, float, float]]:
    """(goal, value, threshold) for the issue's acceptance targets on one template family (no
    throughput rows when `speed` is empty)."""
    p, r, _ = prf(total(q))
    rows = [
        ("overall recall", r, 0.95),
        ("overall precision", p, 0.90),
        ("PERSON recall", prf(q["PERSON"])[1], 0.85),
        ("LOCATION recall", prf(q["LOCATION"])[1], 0.85),
    ]
    rows += [(f"throughput vs presidio, {w} proc", x, 2.0) for w, x in sorted(speed.items())]
    return rows


SPEED_SETS = ("harbor templates", "held-out templates")  # throughput measured on these
SYSTEMS = (("aircluster", _init_ours), ("presidio", _init_presidio))


def timed_runs(set_name: str, texts: list[str], workers: int, runs: int) -> dict[tuple[str, str, int], float]:
    """Median records/s of each system over `runs` side-by-side runs, order alternating (AB, BA, ...),
    and under (set, "ratio", workers) the median of the per-run ratios: this machine is shared and a
    single run can be off by a third."""
    rates: dict[str, list[float]] = {"aircluster": [], "presidio": []}
    ratios = []
    for k in range(runs):
        for name, init in SYSTEMS if k % 2 == 0 else SYSTEMS[::-1]:
            rates[name].append(len(texts) / run(init, texts, workers)[1])
        ratios.append(rates["aircluster"][-1] / rates["presidio"][-1])
    out = {(set_name, name, workers): statistics.median(r) for name, r in rates.items()}
    out[(set_name, "ratio", workers)] = statistics.median(ratios)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m evals.pii", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="posts per set")
    ap.add_argument("--unseen", type=int, default=600, help="posts with names absent from the word lists")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=20261)
    ap.add_argument("--quick", action="store_true", help="400 posts per set, 200 unseen, no pipeline timing")
    ap.add_argument("--json", metavar="OUT", help="also write the counts and rates to this JSON file")
    ap.add_argument("--speed-runs", type=int, default=3, help="side-by-side throughput runs (medians)")
    args = ap.parse_args(argv)
    for flag in ("n", "unseen", "workers", "speed_runs"):
        if getattr(args, flag) < 1:
            raise SystemExit(f"pii_eval: --{flag.replace('_', '-')} must be at least 1, not {getattr(args, flag)}")
    if args.json and not Path(args.json).resolve().parent.is_dir():
        raise SystemExit(f"pii_eval: --json {args.json}: no such folder {Path(args.json).resolve().parent}")
    if args.quick:
        args.n, args.unseen = min(args.n, 400), min(args.unseen, 200)
    return args


def write_json(path: str, report: dict) -> None:
    """Write `report` whole or not at all: to a temporary file beside `path`, then renamed over it."""
    tmp = Path(f"{path}.tmp")
    tmp.write_text(json.dumps(report, indent=1))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    sets = {
        f"{family} templates": list(generate_posts(args.n, args.seed, template_set=family))
        for family in ("harbor", "quarry", "vault", "sealed", "fresh", "blind")
    }
    sets["held-out templates"] = list(generate_posts(args.n, args.seed, template_set="heldout"))
    sets["in-distribution"] = list(generate_posts(args.n, args.seed, template_set="tuning"))
    report: dict = {"n": args.n, "seed": args.seed, "quality": {}, "rates": {}}
    quality: dict[str, dict[str, Counter]] = {}
    rates: dict[tuple[str, str, int], float] = {}
    mb: dict[str, float] = {}
    for set_name, posts in sets.items():
        texts = [t for t, _ in posts]
        golds = [g for _, g in posts]
        size = sum(len(t.encode()) for t in texts) / 1e6
        print(f"== {set_name}: {len(texts)} posts, {size:.2f} MB, {sum(map(len, golds))} gold spans, seed {args.seed}")
        results = {name: run(init, texts, 1)[0] for name, init in SYSTEMS}
        if set_name in SPEED_SETS:
            mb[set_name] = size / len(texts)
            for w in sorted({1, args.workers}):
                rates.update(timed_runs(set_name, texts, w, args.speed_runs))
        ours, base = score(golds, results["aircluster"]), score(golds, results["presidio"])
        print_quality(ours, base)
        print()
        report["quality"][set_name] = {
            "aircluster": {e: dict(c) for e, c in ours.items()},
            "presidio": {e: dict(c) for e, c in base.items()},
        }
        quality[set_name] = ours

    unseen = list(generate_posts(args.unseen, args.seed + 99, name_pool="unseen", template_set="heldout"))
    u_ours = score([g for _, g in unseen], run(_init_ours, [t for t, _ in unseen], 1)[0])
    u_base = score([g for _, g in unseen], run(_init_presidio, [t for t, _ in unseen], 1)[0])
    print(
        f"unseen names, held-out templates ({args.unseen} posts): PERSON recall aircluster "
        f"{prf(u_ours['PERSON'])[1]:.3f}, presidio {prf(u_base['PERSON'])[1]:.3f}; overall recall "
        f"aircluster {prf(total(u_ours))[1]:.3f}, presidio {prf(total(u_base))[1]:.3f}"
    )

    # Beside the families, text nobody on the project wrote (evals/prose, its dev part): issue 13 asks for
    # gains there at no loss here, so both print together.
    prose_docs = [d for f in prose_score.part_files("dev") for d in prose_score.load(f)]
    prose = {s: prose_score.table(prose_score.run(s, prose_docs)) for s in ("aircluster", "presidio")}
    print(f"\n== prose written by others, dev part (evals/prose): {len(prose_docs)} documents")
    prose_score.print_tables(prose)
    report["prose_dev"] = prose

    speed: dict[str, dict[int, float]] = {}
    for set_name in SPEED_SETS:
        print(f"\n{'throughput, ' + set_name:<30}{'procs':>6}{'records/s':>11}{'MB/s':>8}{'vs presidio':>13}")
        for w in sorted({1, args.workers}):
            for name in ("aircluster", "presidio"):
                r = rates[(set_name, name, w)]
                report["rates"][f"{set_name}/{name}/{w}"] = r
                ratio = rates[(set_name, "ratio", w)] if name == "aircluster" else 1.0
                print(f"{name:<30}{w:>6}{r:>11.0f}{r * mb[set_name]:>8.3f}{ratio:>12.2f}x")
        speed[set_name] = {w: rates[(set_name, "ratio", w)] for w in sorted({1, args.workers})}
    if not args.quick:
        base = "held-out templates"
        for w in sorted({1, args.workers}):
            r, mbs = pipeline_rate(args.n, args.seed, w)
            report["rates"][f"pipeline/{w}"] = r
            print(
                f"{'aircluster review pipeline':<30}{w:>6}{r:>11.0f}{mbs:>8.3f}"
                f"{r / rates[(base, 'presidio', w)]:>12.2f}x  (held-out posts)"
            )

    print()
    for set_name, note in (
        ("harbor templates", "blind, never tuned on"),
        ("quarry templates", "developed on"),
        ("vault templates", "developed on"),
        ("sealed templates", "developed on"),
        ("fresh templates", ""),
        ("blind templates", ""),
        ("held-out templates", ""),
    ):
        print(f"targets ({set_name}{': ' + note if note else ''})")
        for goal, value, threshold in targets(quality[set_name], speed.get(set_name, {})):
            print(f"  {goal:<34}{value:>7.3f}  >= {threshold:<5} {'ok' if value >= threshold else 'MISSED'}")
    if args.json:
        write_json(args.json, report)


if __name__ == "__main__":
    main()
