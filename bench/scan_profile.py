"""Where the scan's time goes: cProfile of `Detector.scan_record` on generated records of each kind.

    /work/main/.venv/bin/python bench/scan_profile.py [--records 300] [--top 25] [--kinds posts,documents,forms]
        [--sort tottime|cumulative] [--freeze] [--json OUT]

Records come from bench/scan_corpus.py (short posts with PII, long documents with little PII, record-style
forms). For each kind it prints the scan's rate without the profiler (CPU seconds of this process, MB of
JSON per second) and what of it the garbage collector took (full collections walk the detector's word lists,
0.15-0.25 s each, and the profile charges that to whichever function was allocating then, often the tagger),
then the top functions of a profiled run. `--freeze` leaves the detector out of the collections, as the scan
workers run it (`pipeline.freeze_detector`). One process, one core. It also says which inference the name
tagger runs (bench/tagger_speed.py compares the two).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("AIRCLUSTER_DETECT_SOURCE", "1")  # cProfile sees into Python only, not the compiled build

KINDS = ("posts", "documents", "forms")


def records_of(kind: str, n: int) -> list[dict]:
    import scan_corpus

    gen = {"posts": scan_corpus.posts, "documents": scan_corpus.documents, "forms": scan_corpus.forms}[kind]
    return list(gen(n))


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--records", type=int, default=300, help="records of each kind (documents: a tenth of it)")
    p.add_argument("--top", type=int, default=25, help="functions shown per kind")
    p.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: posts, documents, forms")
    p.add_argument("--sort", choices=["tottime", "cumulative"], default="tottime")
    p.add_argument("--freeze", action="store_true", help="freeze each detector after building it, as the scan workers do")
    p.add_argument("--json", metavar="OUT", help="also write the rates to this JSON file")
    args = p.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds or args.records < 1 or args.top < 1:
        print(f"scan_profile.py: --kinds must name some of {', '.join(KINDS)}; --records and --top positive", file=sys.stderr)
        return 2

    import orjson

    from aircluster.privacy.detect.detector import Detector
    from aircluster.privacy.review.pipeline import freeze_detector

    det = Detector()
    det.scan_record({"text": "warm up Anna Berg, anna@example.org, +44 20 7946 0958"})
    # which inference the name tagger runs (AIRCLUSTER_NAME_TAGGER_COMPILED=0 forces python-crfsuite)
    path = "off" if det.tagger is None else "compiled (crf_native)" if det.tagger.compiled else "python-crfsuite"
    print(f"name tagger inference: {path}")
    rates: dict = {"name_tagger": path}
    for kind in kinds:
        recs = records_of(kind, max(1, args.records // 10) if kind == "documents" else args.records)
        size = sum(len(orjson.dumps(r)) + 1 for r in recs)
        fresh = Detector()  # empty caches: the first pass over these records, as an import sees them
        if args.freeze:
            freeze_detector()
        collector = _Collections()
        gc.callbacks.append(collector)
        start = time.process_time()
        found = sum(len(fresh.scan_record(r)) for r in recs)
        seconds = time.process_time() - start
        gc.callbacks.remove(collector)
        rates[kind] = {
            "records": len(recs),
            "bytes": size,
            "seconds": seconds,
            "found": found,
            "mb_s": size / 1e6 / seconds,
            "gc_full": collector.full,
            "gc_seconds": collector.seconds,
        }
        print(
            f"\n== {kind}: {len(recs)} records, {size / 1e6:.3f} MB, {found} findings, {seconds:.2f} s cpu, "
            f"{size / 1e6 / seconds:.3f} MB/s; garbage collector {collector.seconds:.2f} s "
            f"({collector.seconds / seconds:.0%}, {collector.full} full collections)"
        )
        fresh = Detector()
        if args.freeze:
            freeze_detector()
        prof = cProfile.Profile()
        prof.enable()
        for r in recs:
            fresh.scan_record(r)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        text = out.getvalue()
        print(text[text.find("   ncalls") :].rstrip())
    if args.json:
        Path(args.json).write_text(json.dumps(rates, indent=1))
    return 0


class _Collections:
    """A gc callback: seconds spent collecting (every generation) and the number of full collections."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.full = 0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
            return
        self.seconds += time.perf_counter() - self._start
        self.full += info["generation"] == 2


if __name__ == "__main__":
    sys.exit(main())
