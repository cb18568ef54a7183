"""Time of each PERSON/LOCATION rule pass on the texts the scan hands them, without the profiler.

    /work/main/.venv/bin/python bench/name_rules.py [--records 2000] [--kinds documents,posts,forms] [--runs 3]
        [--json OUT]

Records come from bench/scan_corpus.py (documents: a tenth of --records). The texts that reach
`Detector.name_hits` are recorded once, cut into its name windows, and each pass then runs over all of them
`--runs` times (the median is printed): names_places.NamesAndPlaces.scan, not_people.filter on its hits,
spoken.lowercase_names, structure.Structure.scan and postal_lines.PostalLines.scan on the filtered hits (the
scan itself first merges the tagger's spans: the later passes see a few hits more there). To compare two
commits, run it with each tree first on PYTHONPATH, one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

KINDS = ("documents", "posts", "forms")
Hit = tuple[str, int, int, float]


def windows_of(kind: str, n: int) -> list[tuple[str, int]]:
    """(text, digits) of every name window the scan of `n` records of `kind` looks at."""
    import scan_corpus

    from aircluster.privacy.detect.detector import NAME_WINDOW, Detector, count_digits, name_windows

    records = {"posts": scan_corpus.posts, "documents": scan_corpus.documents, "forms": scan_corpus.forms}[kind](n)
    det = Detector()
    seen: list[tuple[str, int]] = []
    real = det.name_hits

    def record(text: str, digits: int) -> list[Hit]:
        seen.append((text, digits))
        return real(text, digits)

    det.name_hits = record  # the instance's attribute: the scan calls it through self
    for r in records:
        det.scan_record(r)
    out: list[tuple[str, int]] = []
    for text, digits in seen:
        if len(text) <= NAME_WINDOW:
            out.append((text, digits))
        else:
            out += [(text[a:b], count_digits(text[a:b])) for a, b in name_windows(text, NAME_WINDOW)]
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--records", type=int, default=2000, help="records of each kind (documents: a tenth of it)")
    p.add_argument("--kinds", default=",".join(KINDS), help="comma-separated: documents, posts, forms")
    p.add_argument("--runs", type=int, default=3, help="runs of each pass (the median is printed)")
    p.add_argument("--json", metavar="OUT", help="also write the times to this JSON file")
    args = p.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    if any(k not in KINDS for k in kinds) or not kinds or args.records < 1 or args.runs < 1:
        print(f"name_rules.py: --kinds must name some of {', '.join(KINDS)}; --records and --runs positive", file=sys.stderr)
        return 2

    from aircluster.privacy.detect.detector import Detector
    from aircluster.privacy.detect.spoken import lowercase_names

    det = Detector()
    names, not_people, structure, postal = det.names, det.not_people, det.structure, det.postal_lines
    if names is None or not_people is None or structure is None or postal is None:
        print("name_rules.py: the detector runs no name rules with the default entities", file=sys.stderr)
        return 2
    result: dict = {}
    for kind in kinds:
        texts = windows_of(kind, max(1, args.records // 10) if kind == "documents" else args.records)
        size = sum(len(t.encode()) for t, _ in texts)
        filtered = [not_people.filter(t, names.scan(t, d)) for t, d in texts]
        passes: dict[str, Callable[[], object]] = {
            "names_places": lambda: [names.scan(t, d) for t, d in texts],
            "not_people": lambda: [not_people.filter(t, names.scan(t, d)) for t, d in texts],
            "lowercase_names": lambda: [lowercase_names(t, det.lexicon, not_people.frequent) for t, _ in texts],
            "structure": lambda: [structure.scan(t, h) for (t, _), h in zip(texts, filtered, strict=True)],
            "postal_lines": lambda: [postal.scan(t, h) for (t, d), h in zip(texts, filtered, strict=True) if d],
        }
        times: dict[str, float] = {}
        for name, run in passes.items():
            seconds = []
            for _ in range(args.runs):
                start = time.process_time()
                run()
                seconds.append(time.process_time() - start)
            times[name] = statistics.median(seconds)
        # not_people is timed with the names pass it filters: report its own share.
        times["not_people"] = max(0.0, times["not_people"] - times["names_places"])
        result[kind] = {"windows": len(texts), "bytes": size, "seconds": times}
        print(f"\n== {kind}: {len(texts)} name windows, {size / 1e6:.3f} MB, median of {args.runs} runs (cpu)")
        print(f"{'pass':<17}{'seconds':>9}{'MB/s':>9}")
        for name, s in times.items():
            print(f"{name:<17}{s:>9.3f}{(size / 1e6 / s if s else float('inf')):>9.2f}")
        total = sum(times.values())
        print(f"{'all':<17}{total:>9.3f}{size / 1e6 / total:>9.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
