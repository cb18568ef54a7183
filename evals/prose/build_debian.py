"""Draw the second unseen part's documents from text that ships in Debian packages, and write it labeled.

    python -m evals.prose.build_debian --draw OUT.jsonl       # documents, no spans (to be labeled)
    python -m evals.prose.build_debian --write                # draws again, applies debian_labels.json,
                                                              # writes fortunes2_unseen2.jsonl and
                                                              # debian_unseen2.jsonl beside this file

Three sources (see README.md for versions and licences): fortunes from the files of Debian's `fortunes`
package that the first fortunes part did not draw from; one entry of `changelog.Debian.gz` from each of
a seeded sample of the installed packages (who changed what, "Thanks to ...", the signature line with a
name, an e-mail address and a date); one paragraph of `copyright` from another sample (copyright
holders, their e-mail addresses, and the FSF's postal address in the GPL's notice). What is installed
differs between machines, so the drawing is reproducible only on a machine with the same packages; the
labeled files are committed and are the evaluation, this script records how they were drawn.

Labels (`debian_labels.json`, written by hand before any scoring): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` in the document is a span of `type`.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import write_drawn, write_labeled

HERE = Path(__file__).resolve().parent
FORTUNES = Path("/usr/share/games/fortunes")
DOCS = Path("/usr/share/doc")
# Files the first fortunes part drew from (people, literature, ...) are left out.
FORTUNE_FILES = ("art", "computers", "food", "kids", "love", "medicine", "pets", "science", "songs-poems", "wisdom", "work")
SEED = 20261205
N_FORTUNES, N_CHANGELOG, N_COPYRIGHT, N_ADDRESS = 50, 30, 30, 12
MAX_CHARS = 700
_CAP_INSIDE = re.compile(r"[a-z,;] +[A-Z][a-z]")
_CHANGELOG_HEAD = re.compile(r"^\S+ \([^)]*\) [^;]*; urgency=", re.M)


def fortunes(rng: random.Random) -> list[dict]:
    pool = []
    for name in FORTUNE_FILES:
        text = (FORTUNES / name).read_text(encoding="latin-1")
        for k, piece in enumerate(text.split("\n%\n")):
            piece = piece.strip("\n")
            if 20 <= len(piece) <= 420:
                pool.append((f"fortunes-{name}-{k}", piece))
    rng.shuffle(pool)
    with_caps = [d for d in pool if _CAP_INSIDE.search(d[1])][: N_FORTUNES - 8]
    without = [d for d in pool if not _CAP_INSIDE.search(d[1])][:8]
    docs = with_caps + without
    rng.shuffle(docs)
    return [{"id": i, "text": t} for i, t in docs]


def _packages(name: str) -> list[Path]:
    return sorted(p for p in DOCS.glob(f"*/{name}") if p.is_file())


def changelogs(rng: random.Random) -> list[dict]:
    files = _packages("changelog.Debian.gz")
    rng.shuffle(files)
    out = []
    for path in files:
        text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        starts = [m.start() for m in _CHANGELOG_HEAD.finditer(text)][:20]
        entries = [text[a:b].strip("\n") for a, b in zip(starts, [*starts[1:], len(text)])]
        entries = [e for e in entries if len(e) <= MAX_CHARS and "\n -- " in e]
        if entries:
            out.append({"id": f"changelog-{path.parent.name}", "text": rng.choice(entries)})
        if len(out) == N_CHANGELOG:
            break
    return out


def copyrights(rng: random.Random) -> list[dict]:
    files = _packages("copyright")
    rng.shuffle(files)
    out = []
    with_address = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        paras = [p.strip("\n") for p in re.split(r"\n\s*\n", text)]
        paras = [p for p in paras if 40 <= len(p) <= MAX_CHARS and ("@" in p or "Copyright" in p or "(C)" in p)]
        if not paras:
            continue
        para = rng.choice(paras)
        if "Franklin St" in para or "Temple Place" in para:
            if with_address >= 4:  # the FSF's address is in hundreds of files: a few are enough
                continue
            with_address += 1
        out.append({"id": f"copyright-{path.parent.name}", "text": para})
        if len(out) == N_COPYRIGHT:
            break
    return out


_ADDRESS = re.compile(r"\d+ [A-Z][a-z]+ (?:Street|Avenue|Ave\.?|Place|Road)|P\.O\. Box \d|Suite \d+")


def addresses(rng: random.Random) -> list[dict]:
    """Paragraphs of copyright files with a postal address, each distinct paragraph once (the FSF's
    old and new addresses at most three times in all: they are in hundreds of files)."""
    seen: dict[str, str] = {}
    for path in _packages("copyright"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", text):
            para = para.strip("\n")
            if len(para) <= MAX_CHARS and _ADDRESS.search(para) and para not in seen:
                seen[para] = path.parent.name
    paras = sorted(seen)
    rng.shuffle(paras)
    fsf = [p for p in paras if "Franklin St" in p or "Temple Place" in p or "Mass Ave" in p][:3]
    other = [p for p in paras if p not in fsf and not ("Franklin St" in p or "Temple Place" in p or "Mass Ave" in p)]
    return [{"id": f"address-{seen[p]}", "text": p} for p in fsf + other[: N_ADDRESS - len(fsf)]]


def draw() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    return {"fortunes2": fortunes(rng), "debian": changelogs(rng) + copyrights(rng) + addresses(rng)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.prose.build_debian", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--draw", type=Path, metavar="OUT", help="write the drawn documents, unlabeled")
    ap.add_argument("--write", action="store_true", help="write the labeled unseen2 files beside this script")
    args = ap.parse_args(argv)
    if not FORTUNES.is_dir():
        print(f"build_debian: {FORTUNES} missing (apt-get install fortunes)", file=sys.stderr)
        return 2
    parts = draw()
    if args.draw:
        write_drawn(parts, args.draw)
    if args.write:
        write_labeled(parts, "debian_labels.json", "unseen2", "build_debian")
    return 0


if __name__ == "__main__":
    sys.exit(main())
