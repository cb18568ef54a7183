"""Draw the third unseen part's documents from text that ships in Debian and PyPI packages, and write it labeled.

    python -m evals.prose.build_unseen3 --usaddress DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen3 --usaddress DIR --write            # draws again, applies unseen3_labels.json,
                                                                            # writes *_unseen3.jsonl beside this file

DIR is the `training` folder of usaddress's source distribution (`pip download --no-deps --no-binary :all:
--no-build-isolation usaddress==0.5.16`, unpacked). Four sources (see README.md for versions and licences):

- `anarchism`: quotations and their attributions from Debian's `fortune-anarchism` (the BLAG fortune
  assortment, public domain): people named in sentences, roles before names, possessives.
- `epigrams`: Debian's `tfortunes` (`epigrams/en.tfortunes`, public domain), the same kind of text.
- `chat`: IRC and mailing-list quotations from the files of Debian's `fortunes` that no other part drew
  from (linux, linuxcookie, perl, knghtbrd, debian): names in lower case, nicknames, first names alone.
- `usaddress`: US postal addresses as people typed them into forms, often in lower case
  (`training/labeled.xml` of usaddress, MIT), a third with the person or firm they are for: streets,
  towns, state codes, ZIP codes. usaddress's tags only choose which; the spans are labeled by hand.

Labels (`unseen3_labels.json`, written by hand before any scoring, by reading each document): per
document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from evals.prose.labels import write_drawn, write_labeled

HERE = Path(__file__).resolve().parent
FORTUNES = Path("/usr/share/games/fortunes")
EPIGRAMS = Path("/usr/share/games/tfortunes/epigrams/en.tfortunes")
CHAT_FILES = ("linux", "linuxcookie", "perl", "knghtbrd", "debian")
SEED = 20261206
N_ANARCHISM, N_EPIGRAMS, N_CHAT, N_ADDRESS = 34, 14, 24, 32
MAX_CHARS = 420
_CAP_INSIDE = re.compile(r"[a-z,;] +[A-Z][a-z]")
# A line of chat: "<nick> ...", "nick: ...", "* nick does ..." (IRC logs quoted in the fortune files).
_CHAT_LINE = re.compile(r"^\s*(?:<[^>\s]+>|\* \S+ |[A-Za-z][\w|-]*: )", re.M)


def _pieces(text: str, sep: str) -> list[str]:
    return [p.strip("\n") for p in text.split(sep)]


def anarchism(rng: random.Random) -> list[dict]:
    text = (FORTUNES / "anarchism").read_text(encoding="utf-8", errors="replace")
    pool = [(f"anarchism-{k}", p) for k, p in enumerate(_pieces(text, "\n%\n")) if 20 <= len(p) <= MAX_CHARS]
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in [d for d in pool if _CAP_INSIDE.search(d[1])][:N_ANARCHISM]]


def epigrams(rng: random.Random) -> list[dict]:
    text = EPIGRAMS.read_text(encoding="utf-8", errors="replace")
    pool = []
    for k, block in enumerate(re.split(r"^---- .*$", text, flags=re.M)):
        block = block.strip("\n")
        if 20 <= len(block) <= MAX_CHARS and _CAP_INSIDE.search(block):
            pool.append((f"epigrams-{k}", block))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_EPIGRAMS]]


def chat(rng: random.Random) -> list[dict]:
    pool = []
    for name in CHAT_FILES:
        text = (FORTUNES / name).read_text(encoding="latin-1")
        for k, piece in enumerate(_pieces(text, "\n%\n")):
            if 20 <= len(piece) <= MAX_CHARS and len(_CHAT_LINE.findall(piece)) >= 2:
                pool.append((f"chat-{name}-{k}", piece))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_CHAT]]


def _address_text(node: ET.Element) -> str:
    """The address as its writer typed it: usaddress's XML wraps each token in a tag of its part."""
    return (node.text or "") + "".join((c.text or "") + (c.tail or "") for c in node)


def addresses(rng: random.Random, training: Path) -> list[dict]:
    """Addresses with a street number and a town, a third of them with the person or firm they are for.
    usaddress's own tags only choose them: the spans are labeled by hand like the rest."""
    root = ET.parse(training / "labeled.xml").getroot()
    pool = []
    for k, node in enumerate(root):
        tags = {c.tag for c in node}
        if {"AddressNumber", "PlaceName"} <= tags and "NotAddress" not in tags:
            pool.append((k, node, "Recipient" in tags))
    rng.shuffle(pool)
    chosen = [d for d in pool if d[2]][: N_ADDRESS // 3]
    chosen += [d for d in pool if not d[2]][: N_ADDRESS - len(chosen)]
    rng.shuffle(chosen)
    return [{"id": f"usaddress-{k}", "text": _address_text(node)} for k, node, _ in chosen]


def draw(training: Path) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    address_docs = addresses(rng, training)
    return {"anarchism": anarchism(rng), "epigrams": epigrams(rng), "chat": chat(rng), "usaddress": address_docs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evals.prose.build_unseen3", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--usaddress", type=Path, required=True, metavar="DIR", help="usaddress 0.5.16's training folder")
    ap.add_argument("--draw", type=Path, metavar="OUT", help="write the drawn documents, unlabeled")
    ap.add_argument("--write", action="store_true", help="write the labeled unseen3 files beside this script")
    args = ap.parse_args(argv)
    for need, package in (
        (FORTUNES / "anarchism", "fortune-anarchism"),
        (EPIGRAMS, "tfortunes"),
        (FORTUNES / "linux", "fortunes"),
    ):
        if not need.is_file():
            print(f"build_unseen3: {need} missing (apt-get install {package})", file=sys.stderr)
            return 2
    if not (args.usaddress / "labeled.xml").is_file():
        print(f"build_unseen3: {args.usaddress / 'labeled.xml'} missing (see --help)", file=sys.stderr)
        return 2
    parts = draw(args.usaddress)
    if args.draw:
        write_drawn(parts, args.draw)
    if args.write:
        write_labeled(parts, "unseen3_labels.json", "unseen3", "build_unseen3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
