"""Benchmark: the import with the privacy review against the store's own import, and the scan against
Presidio offline. Prints a table.

    /work/main/.venv/bin/python bench/import_review.py [--mb 4] [--runs 3] [--workers 2] [--presidio-kb 250] [--json OUT]
    /work/main/.venv/bin/python bench/import_review.py --quick            # 1 MB files, 1 run

On three generated JSON Lines files (bench/scan_corpus.py; cached under --work, never in the repository):
short posts with PII, long documents with little PII, and record-style forms (nested fields):
- "store": `import_dataset(ctx, name, [file], ImportOptions(), review=None)`, the store path alone;
- "review": the same call with `review=review_hook(ctx, workers=W)`, what `aircluster data import` runs
  (default policy, W scan worker processes started inside the call, so their start-up is counted);
  each in a fresh subprocess, timed around the call (interpreter start excluded for both), interleaved;
- "warm": the review import again, but as the long-lived server runs its imports: in a process that
  imported a small file first (untimed), so the workers fork from a warm fork server and the importing
  process builds no detector; only the second import is timed;
- "scan": the detector alone in one process on the first --presidio-kb of each file (`scan_record` on every
  record) and Presidio's AnalyzerEngine offline (default recognizers, blank spaCy pipeline, as in
  bench/pii_eval.py) on every string value of the same records, one process each: MB/s per core and the
  ratio of the two; and "source", the detector's scan again with its modules run from their Python source
  (AIRCLUSTER_DETECT_SOURCE=1), for "compiled vs source", what the compiled build (setup.py) gains;
- one text field of 1 MB (documents joined) scanned by `Detector.scan_text`: seconds.
"cores" is import+review MB/s over one process's scan MB/s: how many cores' worth of scanning the import
gets (2 workers on 2 cores: at most 2, less the workers' start-up and the importing process's own work);
"warm cores" the same for the "warm" import (no start-up: at most 2, less the importing process's own work);
"importer cpu" is the importing process's CPU seconds over the import's seconds (it should mostly wait).
"scan" is CPU time, the imports are wall time: on a machine busy with other work the imports get less than
2 cores. With Linux's autogroup (/proc/sys/kernel/sched_autogroup_enabled = 1) CPU is shared per session, so
while other sessions keep the cores busy the import and its workers together get one session's share, and
the workers cannot show their speed-up: read "cores" beside the load average printed first.
Medians over --runs side-by-side runs; MB = 10^6 bytes of JSONL input. Targets (issue 13): review/store
>= 0.1, scan vs Presidio >= 20x, 1 MB field < 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load_average, print_table, run_json

PY = sys.executable
KINDS = ("posts", "documents", "forms")
# Records per MB of each generator (measured once), to size a file without generating it twice.
RECORDS_PER_MB = {"posts": 4400, "documents": 110, "forms": 2700}


# ---- data ------------------------------------------------------------------------------------------


def make_file(work: Path, kind: str, mb: float) -> Path:
    import scan_corpus

    n = max(1, int(RECORDS_PER_MB[kind] * mb))
    gen = {"posts": scan_corpus.posts, "documents": scan_corpus.documents, "forms": scan_corpus.forms}[kind]
    return scan_corpus.write_jsonl(work / f"{kind}-{n}.jsonl", gen(n))


def warm_up_file(work: Path) -> Path:
    """A small file of other posts (a few pieces: large enough that the workers start) for the "warm" import."""
    import scan_corpus

    path = work / "warm-up-posts.jsonl"
    if not path.exists():
        scan_corpus.write_jsonl(path, scan_corpus.posts(1000, seed=99))
    return path


def head_records(path: Path, kb: int) -> tuple[list[dict], int]:
    """The first records of a file, up to `kb` kB of JSONL, and their size in bytes."""
    records, size = [], 0
    with open(path, "rb") as f:
        for line in f:
            if size >= kb * 1000 and records:
                break
            records.append(json.loads(line))
            size += len(line)
    return records, size


# ---- children (each in a fresh process) ----------------------------------------------------------------


def child_import(args: argparse.Namespace) -> None:
    os.environ["AIRCLUSTER_HOME"] = args.home
    os.environ.setdefault("AIRCLUSTER_USER", "bench-importer")
    from aircluster.context import init
    from aircluster.store.ingest import ImportOptions, import_dataset

    with init() as ctx:
        review = None
        if args.child in ("review", "warm"):
            from aircluster.privacy.review.gate import review_hook

            if args.child == "warm":  # an earlier import in this process: it starts the fork server
                import_dataset(ctx, "warm-up", [args.warm_up], ImportOptions(), review=review_hook(ctx, workers=args.workers))
            review = review_hook(ctx, workers=args.workers)
        start, cpu = time.perf_counter(), time.process_time()
        result = import_dataset(ctx, "bench", [args.file], ImportOptions(), review=review)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "bytes_in": os.path.getsize(args.file),
                "records": result.records,
                "state": result.review.get("state", "-"),
            }
        )
    )


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def child_scan(args: argparse.Namespace) -> None:
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    records, size = head_records(Path(args.file), args.presidio_kb)
    compiled = None
    if args.child in ("scan", "source"):
        from aircluster.privacy.detect import COMPILED
        from aircluster.privacy.detect.detector import Detector

        compiled = COMPILED

        det = Detector()
        det.scan_record(records[0])
        start = time.process_time()
        found = sum(len(det.scan_record(r)) for r in records)
    else:
        import spacy
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import SpacyNlpEngine

        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank_en"}])
        nlp_engine.nlp = {"en": spacy.blank("en")}  # no statistical model offline
        engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
        engine.analyze("warm up", language="en")
        start = time.process_time()
        found = sum(len(engine.analyze(s, language="en")) for r in records for s in _strings(r))
    seconds = time.process_time() - start
    print(json.dumps({"seconds": seconds, "bytes_in": size, "records": len(records), "found": found, "compiled": compiled}))


def child_field(args: argparse.Namespace) -> None:
    import scan_corpus

    from aircluster.privacy.detect.detector import Detector

    text = ""
    n = 100
    while len(text) < 1_000_000:
        text = "\n\n".join(d["body"] for d in scan_corpus.documents(n, seed=5))
        n *= 2
    text = text[:1_000_000]
    det = Detector()
    det.scan_text(text[:20_000])
    times = []
    for _ in range(3):
        start = time.perf_counter()
        hits = det.scan_text(text)
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(times), "chars": len(text), "found": len(hits)}))


# ---- driver --------------------------------------------------------------------------------------------


def child(kind: str, file: Path, args: argparse.Namespace, work: Path) -> dict:
    cmd = [
        PY,
        __file__,
        "--child",
        kind,
        "--file",
        str(file),
        "--workers",
        str(args.workers),
        "--presidio-kb",
        str(args.presidio_kb),
        "--warm-up",
        str(warm_up_file(work)),
    ]
    env = {
        **{k: v for k, v in os.environ.items() if k != "AIRCLUSTER_DETECT_SOURCE"},
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]),
    }
    if kind == "source":  # the same scan with the detector's modules run from their Python source
        env["AIRCLUSTER_DETECT_SOURCE"] = "1"
    if kind in ("store", "review", "warm"):
        home = work / f"home-{kind}"
        shutil.rmtree(home, ignore_errors=True)
        try:
            return run_json([*cmd, "--home", str(home)], env=env)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return run_json(cmd, env=env)


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--mb", type=float, default=4, help="size of each generated file in MB (default 4)")
    p.add_argument("--runs", type=int, default=3, help="side-by-side runs; the table shows medians")
    p.add_argument("--workers", type=int, default=2, help="scan worker processes of the review import")
    p.add_argument("--presidio-kb", type=int, default=250, help="kB of each file scanned by both detectors")
    p.add_argument("--quick", action="store_true", help="1 MB files, 1 run, 100 kB for the scan comparison")
    p.add_argument("--work", default="/tmp/aircluster-bench-review", help="generated files (under /tmp)")
    p.add_argument("--json", metavar="OUT", help="also write every measurement to this JSON file")
    p.add_argument("--no-field", action="store_true", help="skip the 1 MB field (a quadratic scan never ends)")
    p.add_argument("--child", choices=["store", "review", "warm", "scan", "source", "presidio", "field"], help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    p.add_argument("--warm-up", help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child in ("store", "review", "warm"):
        return child_import(args)
    if args.child in ("scan", "source", "presidio"):
        return child_scan(args)
    if args.child == "field":
        return child_field(args)
    if args.quick:
        args.mb, args.runs, args.presidio_kb = 1, 1, 100
    if args.mb <= 0 or args.runs < 1 or args.workers < 1 or args.presidio_kb < 1:
        sys.exit("import_review.py: --mb, --runs, --workers and --presidio-kb must be positive")

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    files = {kind: make_file(work, kind, args.mb) for kind in KINDS}
    print(f"{args.runs} run(s); {os.cpu_count()} cores; {args.workers} scan workers; load {load_average()}", flush=True)
    results: dict[tuple[str, str], list[dict]] = {}
    for run in range(args.runs):
        for kind, file in files.items():
            order = ("store", "review", "warm", "scan", "source", "presidio")
            for what in order if run % 2 == 0 else order[::-1]:
                r = child(what, file, args, work)
                results.setdefault((kind, what), []).append(r)
                print(
                    f"  run {run + 1}: {kind:<10}{what:<9}{r['bytes_in'] / 1e6 / r['seconds']:8.3f} MB/s  ({r['seconds']:.2f} s)",
                    flush=True,
                )
    field = [] if args.no_field else [child("field", files["documents"], args, work) for _ in range(args.runs)]

    def rate(kind: str, what: str) -> float:
        return statistics.median(r["bytes_in"] / 1e6 / r["seconds"] for r in results[(kind, what)])

    def ratio(kind: str, a: str, b: str) -> float:
        return statistics.median(y["seconds"] / x["seconds"] for x, y in zip(results[(kind, a)], results[(kind, b)]))

    rows = []
    for kind, file in files.items():
        rows.append(
            [
                kind,
                file.stat().st_size / 1e6,
                results[(kind, "store")][0]["records"],
                rate(kind, "store"),
                rate(kind, "review"),
                ratio(kind, "review", "store"),
                rate(kind, "scan"),
                rate(kind, "review") / rate(kind, "scan"),
                statistics.median(r["cpu_seconds"] / r["seconds"] for r in results[(kind, "review")]),
                rate(kind, "warm"),
                rate(kind, "warm") / rate(kind, "scan"),
                rate(kind, "presidio"),
                ratio(kind, "scan", "presidio"),
                ratio(kind, "scan", "source"),
            ]
        )
    print()
    print_table(
        [
            "file",
            "MB",
            "records",
            "store MB/s",
            "import+review MB/s",
            "review/store (>=0.1)",
            "scan MB/s/core",
            "cores",
            "importer cpu",
            "warm MB/s",
            "warm cores",
            "presidio MB/s/core",
            "scan vs presidio (>=20)",
            "compiled vs source",
        ],
        rows,
        digits=3,
        title=f"Import with the privacy review ({args.workers} scan workers) vs the store alone; "
        f"scan vs Presidio offline on the first {args.presidio_kb} kB (one process each); "
        f"medians of {args.runs} run(s)",
    )
    compiled = results[(KINDS[0], "scan")][0]["compiled"]
    print(
        "the detector's modules ran compiled (mypyc, setup.py)"
        if compiled
        else "the detector's modules ran from their Python source: not built, or older than the source (setup.py)"
    )
    if field:
        seconds = statistics.median(f["seconds"] for f in field)
        print(
            f"\none 1 MB text field (long documents joined): {seconds:.2f} s (target < 1 s), "
            f"{field[0]['chars'] / 1e6 / seconds:.3f} MB/s on one core"
        )
    if args.json:
        out = {
            "args": {k: v for k, v in vars(args).items() if k not in ("child", "file", "home")},
            "runs": {f"{k}/{w}": rs for (k, w), rs in results.items()},
            "field": field,
        }
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
