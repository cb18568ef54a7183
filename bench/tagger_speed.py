"""The name tagger's compiled inference (crf_native.c) against its python-crfsuite path, side by side.

    /work/main/.venv/bin/python bench/tagger_speed.py [--records 300] [--runs 5] [--kinds posts,documents,forms]
        [--json OUT]

Records come from bench/scan_corpus.py (short posts with PII, long documents with little PII: a tenth as many,
record-style forms). Two measurements per kind, each path timed in alternating runs in this one process (CPU
seconds of the process; medians of --runs):

- `NameTagger.tag` alone, on exactly the calls (text and probe) that a `Detector.scan_record` of the records
  makes, recorded once; shown as microseconds per token tagged and the total per pass.
- the same calls by a fresh tagger each run (empty word cache: every word is new once, as in a first scan's
  records), microseconds per token.
- `Detector.scan_record` of the records, MB of JSON per second, by a fresh detector each run (empty caches:
  the records' first pass, as an import sees them; bench/scan_profile.py measures the same way); the python
  path's detectors are built with AIRCLUSTER_NAME_TAGGER_COMPILED=0 (the switch a user has).

The tag() runs reuse one tagger per path, whose word cache is warm after the first, untimed pass: the steady
state of a long import. The two paths' results are also compared (labels, spans): a mismatch exits 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

from common import median, print_table  # noqa: E402

KINDS = ("posts", "documents", "forms")


def records_of(kind: str, n: int) -> list[dict]:
    import scan_corpus

    gen = {"posts": scan_corpus.posts, "documents": scan_corpus.documents, "forms": scan_corpus.forms}[kind]
    return list(gen(max(1, n // 10) if kind == "documents" else n))


def tag_calls(det: Any, records: list[dict]) -> list[tuple[str, Any]]:
    """The (text, probe) pairs `scan_record` hands the tagger for these records."""
    calls: list[tuple[str, Any]] = []
    real = det.tagger.tag

    def record(text: str, probe: Any = None) -> Any:
        calls.append((text, probe))
        return real(text, probe)

    det.tagger.tag = record
    try:
        for r in records:
            det.scan_record(r)
    finally:
        del det.tagger.tag  # the instance attribute goes, the method is back
    return calls


def detector(compiled: bool) -> Any:
    from aircluster.privacy.detect.detector import Detector

    if compiled:
        return Detector()
    os.environ["AIRCLUSTER_NAME_TAGGER_COMPILED"] = "0"
    try:
        return Detector()
    finally:
        del os.environ["AIRCLUSTER_NAME_TAGGER_COMPILED"]


def cpu(fn: Any) -> float:
    gc.collect()  # not inside the timing: a full collection of the other path's garbage would land here
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--records", type=int, default=300, help="records of each kind (documents: a tenth of it)")
    p.add_argument("--runs", type=int, default=5, help="timed runs of each path (medians)")
    p.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: posts, documents, forms")
    p.add_argument("--json", metavar="OUT", help="also write the results to this JSON file")
    args = p.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds or args.records < 1 or args.runs < 1:
        print(f"tagger_speed.py: --kinds must name some of {', '.join(KINDS)}; --records and --runs positive", file=sys.stderr)
        return 2

    import orjson

    from aircluster.privacy.detect.lexicon import load_lexicon
    from aircluster.privacy.detect.tagger import NameTagger

    lexicon = load_lexicon()

    compiled_det, python_det = detector(True), detector(False)
    if compiled_det.tagger is None or python_det.tagger is None:
        print("tagger_speed.py: the name tagger is off (AIRCLUSTER_NAME_TAGGER); nothing to compare", file=sys.stderr)
        return 2
    if not compiled_det.tagger.compiled:
        print("tagger_speed.py: the compiled tagger (crf_native) is not built here; reinstall with a C compiler", file=sys.stderr)
        return 2
    paths = {"python": python_det, "compiled": compiled_det}

    rows, result = [], {"runs": args.runs, "records": args.records, "kinds": {}}
    for kind in kinds:
        recs = records_of(kind, args.records)
        size = sum(len(orjson.dumps(r)) + 1 for r in recs)
        calls = tag_calls(compiled_det, recs)  # also the warm-up pass of the compiled detector
        for r in recs:
            python_det.scan_record(r)
        tokens = 0
        for text, probe in calls:  # the paths agree (and the python tagger's cache is warm)
            a, b = compiled_det.tagger.tag(text, probe), python_det.tagger.tag(text, probe)
            tokens += len(a.tokens)
            if a.labels != b.labels or [s[:3] for s in a.spans] != [s[:3] for s in b.spans]:
                print(f"tagger_speed.py: the paths disagree on a {kind} text: {text[:60]!r}", file=sys.stderr)
                return 1
        tag_s: dict[str, list[float]] = {"python": [], "compiled": []}
        cold_s: dict[str, list[float]] = {"python": [], "compiled": []}
        scan_s: dict[str, list[float]] = {"python": [], "compiled": []}
        for _ in range(args.runs):
            for name, det in paths.items():  # alternating: both paths see the same load
                tagger = det.tagger
                tag_s[name].append(cpu(lambda: [tagger.tag(t, pr) for t, pr in calls]))
                new = NameTagger.load(lexicon, compiled=name == "compiled")
                cold_s[name].append(cpu(lambda: [new.tag(t, pr) for t, pr in calls]))
                fresh = detector(name == "compiled")
                scan_s[name].append(cpu(lambda: [fresh.scan_record(r) for r in recs]))
        entry: dict[str, Any] = {"records": len(recs), "bytes": size, "tag_calls": len(calls), "tokens": tokens}
        for name in paths:
            t, c, s = median(tag_s[name]), median(cold_s[name]), median(scan_s[name])
            entry[name] = {"tag_s": t, "tag_us_per_token": 1e6 * t / max(tokens, 1), "scan_s": s, "scan_mb_s": size / 1e6 / s}
            entry[name] |= {"cold_tag_s": c, "cold_tag_us_per_token": 1e6 * c / max(tokens, 1)}
        entry["tag_speedup"] = entry["python"]["tag_s"] / entry["compiled"]["tag_s"]
        entry["cold_tag_speedup"] = entry["python"]["cold_tag_s"] / entry["compiled"]["cold_tag_s"]
        entry["scan_speedup"] = entry["python"]["scan_s"] / entry["compiled"]["scan_s"]
        result["kinds"][kind] = entry
        py, co = entry["python"], entry["compiled"]
        rows.append([kind, "tag(): us/token", py["tag_us_per_token"], co["tag_us_per_token"], entry["tag_speedup"]])
        rows.append([kind, "tag(): s/pass", py["tag_s"], co["tag_s"], entry["tag_speedup"]])
        cold = [py["cold_tag_us_per_token"], co["cold_tag_us_per_token"], entry["cold_tag_speedup"]]
        rows.append([kind, "cold tag(): us/token", *cold])
        rows.append([kind, "scan_record: MB/s", py["scan_mb_s"], co["scan_mb_s"], entry["scan_speedup"]])
    print_table(
        ["kind", "measure", "python-crfsuite", "compiled", "speed-up"],
        rows,
        title=f"name tagger paths, medians of {args.runs} alternating runs, CPU time of one process",
        digits=3,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
