"""Draw the twelfth unseen part's documents from R's release notes and its list of CRAN mirrors, NetHack's credits and
the IEEE's register of small MAC address blocks as netaddr ships it, and write it labeled.

    python -m evals.prose.build_unseen12 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen12 --root DIR --write            # draws again, applies unseen12_labels.json,
                                                                      # writes *_unseen12.jsonl beside this file

DIR holds two Debian packages unpacked, not installed (`apt-get download r-base-core nethack-common`, then `dpkg-deb
-x` each into DIR), and netaddr's source distribution unpacked (`pip download --no-deps --no-binary :all:
netaddr==1.3.0`, then `tar xzf` into DIR); see README.md for versions and licences. Four sources, none of which
another part drew from (unseen9 and unseen11 drew from ieee-data's `oui.txt` and `mam.txt`, never from the IAB
register):

- `rnews`: the items of R's NEWS files (R 0.x to 4.2), their lines joined: changes credited to who made or reported
  them ("thanks to Rob Hyndman", "a report and patch by Benjamin Tyner"), and plain ones.
- `mirrors`: two consecutive rows of CRAN's list of mirrors (`CRAN_mirrors.csv`) as the file writes them: a mirror's
  country and town, its web address, who hosts it and who keeps it, with their e-mail addresses written with "#".
- `nethack`: the paragraphs of the credits of NetHack's Guidebook: who wrote, ported and kept the game, by name.
- `iab`: entries of the IEEE's register of IAB blocks (`iab.txt`): a vendor's name, then its postal address (street,
  town, state and postcode, country code) as the vendor wrote it.

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): for the notes,
a change credited (a thanks or a "by" before a capitalized word) and plain; for the mirrors, a keeper named ("Name
<address>") and the rest; for the register, a vendor in the United States and one elsewhere (its last line's country
code); the credits are one pool. No document is the text of a document of another part. Labels
(`unseen12_labels.json`, written by hand before any scoring, by reading each document): per document id, a list of
[type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Where the packages put their text, below the folder they are unpacked into (`--root`)
R_DOC = "usr/share/R/doc"
R_NEWS = ("NEWS.0", "NEWS.1", "NEWS.2", "NEWS.3", "NEWS")
MIRRORS = f"{R_DOC}/CRAN_mirrors.csv"
GUIDEBOOK = "usr/share/doc/nethack-common/Guidebook.txt.gz"
IAB = "netaddr-1.3.0/netaddr/eui/iab.txt"
NEEDED_DEBIAN = (
    *((f"{R_DOC}/{name}", "r-base-core") for name in R_NEWS),
    (MIRRORS, "r-base-core"),
    (GUIDEBOOK, "nethack-common"),
)
NEEDED_PYPI = ((IAB, "netaddr==1.3.0"),)
# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 12)))  # unseen2 .. unseen11
SEED = 20261213
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "rnews": {"credited": 58, "plain": 10},
    "mirrors": {"named": 12, "rest": 8},
    "nethack": {"credits": None},
    "iab": {"us": 22, "world": 38},
}
MIN_CHARS, MAX_CHARS = 80, 800
# A thanks or a "by" before a capitalized word: "thanks to Rob Hyndman", "a report and patch by Benjamin Tyner"
CREDITED = re.compile(r"(?i:thanks to|contributions? (?:of|from)|by|from) (?:a |the )?(?:report |patch |code )?[A-Z][a-z]+\b")
# An item of the NEWS files opens with a bullet: "•" in the newer files, "o" in the older ones
BULLET = re.compile(r"^\s+(?:•|o)\s+")
# A maintainer named in a mirror's row: "Claire Yu <clairex.yu # utoronto.ca>"
KEEPER = re.compile(r"[A-Z][a-z]+ [^,\"]*<")


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
        return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
    except gzip.BadGzipFile as e:
        raise ValueError(f"{path} is not gzip ({e})") from None


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def news_items(text: str) -> list[tuple[int, str]]:
    """The (first line's number, from 1; text) of each bulleted item, its lines joined with one space; an item ends at
    a blank line, a heading or the next bullet."""
    items: list[tuple[int, str]] = []
    run: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], 1):
        bullet = BULLET.match(line)
        if run and (bullet or not line.strip() or not line[:1].isspace()):
            items.append((start, " ".join(" ".join(run).split())))
            run = []
        if bullet:
            start, run = number, [line[bullet.end() :]]
        elif run:
            run.append(line)
    return items


def _news_pool(text: str) -> str:
    return "credited" if CREDITED.search(text) else "plain"


def rnews(root: Path, taken: set[str]) -> list[dict]:
    docs = [
        (f"rnews-{name}-{number}", item)
        for name in R_NEWS
        for number, item in news_items(_read(root / R_DOC / name))
        if _prose(item)
    ]
    return _drawn("rnews", pooled(docs, taken, _news_pool, ("credited", "plain")))


def mirror_documents(text: str) -> list[tuple[str, str]]:
    """Two consecutive rows a document (the header left out), as the file writes them, named by the first row's line."""
    rows = [line for line in text.splitlines()[1:] if line.strip()]
    return [(f"mirrors-{k + 2}", "\n".join(rows[k : k + 2])) for k in range(0, len(rows) - 1, 2)]


def _mirror_pool(text: str) -> str:
    return "named" if KEEPER.search(text) else "rest"


def mirrors(root: Path, taken: set[str]) -> list[dict]:
    docs = mirror_documents(_read(root / MIRRORS))
    return _drawn("mirrors", pooled(docs, taken, _mirror_pool, ("named", "rest")))


# A page's running foot and head in the Guidebook ("NetHack 3.6   March 8, 2020", "NetHack Guidebook   88")
_PAGE_LINE = re.compile(r"^\s*NetHack (?:3\.\d+\s{3,}\w+ \d+, \d{4}|Guidebook\s+\d+)\s*$")
# A section's heading, in capitals ("12.1.  SPECIAL THANKS")
_HEADING = re.compile(r"^\s*\d+(?:\.\d+)*\.\s+[A-Z][A-Z ]+$")


def credit_paragraphs(text: str) -> list[tuple[int, str]]:
    """The (number, from 0; text) of each paragraph of the Guidebook's credits, from their heading to the list of
    Dungeoneers' heading: a paragraph opens with a deeper indent; a word hyphenated at a line's end joined again."""
    lines = text.splitlines()
    first = next((k for k, line in enumerate(lines) if line.strip().endswith("Credits") and line.strip()[:1].isdigit()), None)
    if first is None:
        raise ValueError("NetHack's Guidebook has no credits section")
    paragraphs: list[list[str]] = []
    for line in lines[first + 1 :]:
        if _PAGE_LINE.match(line) or _HEADING.match(line) or not line.strip() or set(line.split()) == {"-"}:
            continue
        if line.startswith(" " * 15):
            paragraphs.append([])
        if paragraphs:
            paragraphs[-1].append(line.strip())
        if line.rstrip().endswith("Dungeoneers:"):
            break
    return [(k, _joined(p)) for k, p in enumerate(paragraphs)]


def _joined(lines: list[str]) -> str:
    text = ""
    for line in lines:
        # "Threep-" then "oint": one word; "Jean-" then "Christophe": one name, its hyphen kept
        if text.endswith("-") and text[-2:-1].isalpha():
            text = text[:-1] + line if line[:1].islower() else text + line
        else:
            text = f"{text} {line}" if text else line
    return " ".join(text.split())


def nethack(root: Path, taken: set[str]) -> list[dict]:
    docs = [(f"nethack-{k}", t) for k, t in credit_paragraphs(_read(root / GUIDEBOOK)) if _prose(t)]
    return _drawn("nethack", pooled(docs, taken, lambda _: "credits", ("credits",)))


_IAB_HEAD = re.compile(r"^([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\s+\(hex\)\s+(.*)$")


def iab_entries(text: str) -> list[tuple[str, str]]:
    """The (id, text) of each entry of the register with an address: the vendor's name, then its address lines, each
    line trimmed (the spaces inside a line as the vendor wrote them). The id is the block's 36 bits in hex."""
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        head = _IAB_HEAD.match(lines[0]) if lines else None
        if head is None or len(lines) < 3 or "(base 16)" not in lines[1]:
            continue
        block_id = "".join(head.group(1, 2, 3)) + lines[1][:3]
        out.append((f"iab-{block_id}", "\n".join([head.group(4).strip(), *lines[2:]])))
    return out


def _iab_pool(text: str) -> str:
    return "us" if text.rsplit("\n", 1)[-1] == "US" else "world"


def iab(root: Path, taken: set[str]) -> list[dict]:
    docs = iab_entries(_read(root / IAB))
    return _drawn("iab", pooled(docs, taken, _iab_pool, ("us", "world")))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED_DEBIAN, how="apt-get download {}, then dpkg-deb -x into the root") or first_missing(
        root, NEEDED_PYPI, how="pip download --no-deps --no-binary :all: {}, then tar xzf into the root"
    )


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {
        "rnews": rnews(root, taken),
        "mirrors": mirrors(root, taken),
        "nethack": nethack(root, taken),
        "iab": iab(root, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen12", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
