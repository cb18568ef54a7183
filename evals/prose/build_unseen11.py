"""Draw the eleventh unseen part's documents from PostgreSQL's release notes, the Public Suffix List's credits, the
IEEE's register of medium MAC address blocks and Freeciv's nation histories, and write it labeled.

    python -m evals.prose.build_unseen11 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen11 --root DIR --write            # draws again, applies unseen11_labels.json,
                                                                      # writes *_unseen11.jsonl beside this file

DIR holds the four Debian packages unpacked, not installed (`apt-get download postgresql-doc-15 publicsuffix
ieee-data freeciv-data`, then `dpkg-deb -x` each into DIR: installing them would add `/usr/share/doc` files that
another part's builder draws from); see README.md for versions and licences. Four sources, none of which another part
drew from (unseen9 drew from ieee-data's `oui.txt`, never from `mam.txt`):

- `pgrelease`: paragraphs of PostgreSQL 15's release notes (`release-15*.html`) and of its history pages
  (`history.html`, `datetime-units-history.html`), the markup dropped: changes credited to their authors from many
  countries ("(Tom Lane, Michael Paquier)"), Berkeley's POSTGRES project, the calendar's reform town by town.
- `publicsuffix`: runs of two comment blocks of the Public Suffix List: a registry or firm, its web page, and who
  submitted it with their e-mail address ("// Submitted by Luca Casonato <hostmaster@deno.com>").
- `mam`: entries of the IEEE's register of medium MAC address blocks (MA-M, `mam.txt`): a vendor's name, then its
  postal address (street, town, state and postcode, country code) as the vendor wrote it, in every country's order.
- `freeciv`: the legend of each of Freeciv's nations (`nation/*.ruleset`), a few sentences of its history: countries,
  kingdoms and empires, regions and seas, a few towns and rulers.

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): for the release
notes, a change credited (names in parentheses closing the paragraph), a town (a place's preposition before a
capitalized word) and plain; for the list, someone who submitted a block and the registries' notes; for the register,
a vendor in the United States and one elsewhere (its last line's country code); for the nations, someone named (a
ruler's title, or two capitalized words after a lower-case one) and the rest. No document is the text of a document
of another part. Labels (`unseen11_labels.json`, written by hand before any scoring, by reading each document): per
document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import html
import random
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Where the packages put their text, below the folder they are unpacked into (`--root`)
PG_HTML = "usr/share/doc/postgresql-doc-15/html"
PG_FIRST = f"{PG_HTML}/release-15.html"
PG_HISTORY = ("history.html", "datetime-units-history.html")
SUFFIXES = "usr/share/publicsuffix/public_suffix_list.dat"
NATIONS = "usr/share/games/freeciv/nation"
MAM = "usr/share/ieee-data/mam.txt"
NEEDED = (
    (PG_FIRST, "postgresql-doc-15"),
    *((f"{PG_HTML}/{name}", "postgresql-doc-15") for name in PG_HISTORY),
    (SUFFIXES, "publicsuffix"),
    (MAM, "ieee-data"),
    (f"{NATIONS}/english.ruleset", "freeciv-data"),
)
# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 11)))  # unseen2 .. unseen10
SEED = 20261212
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "pgrelease": {"credited": 72, "place": 8, "plain": 10},
    "publicsuffix": {"submitted": 40, "notes": 10},
    "mam": {"us": 28, "world": 38},
    "freeciv": {"named": 22, "place": 14},
}
MIN_CHARS, MAX_CHARS = 80, 600
# Names in parentheses closing a paragraph: "(Tom Lane, Michael Paquier)"
CREDITED = re.compile(r"\((?:[A-Z][\w'.-]*\s)+[A-Z][^()]*\)$")
# A place's preposition before a capitalized word ("in Berkeley", "from Britain")
PLACE = re.compile(r"\b(?:in|at|to|from|near|of) [A-Z][a-z]+")
# Someone named in a nation's history: a ruler's title before a capitalized word, or two capitalized words after a
# lower-case one ("president Abraham Lincoln")
NAMED = re.compile(
    r"\b(?:King|Queen|Emperor|Empress|Sultan|Tsar|Pharaoh|Shah|Khan|President|General)\b [A-Z][a-z]+|\b[a-z]+ [A-Z][a-z]+ [A-Z][a-z]+"
)
# A nation's legend in its ruleset: `legend=_("...")`, a line break escaped with a backslash
LEGEND = re.compile(r'^legend\s*=\s*_\("((?:[^"\\]|\\.)*)"\)', re.M | re.S)


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


class _Paragraphs(HTMLParser):
    """The text of each <p> of a page, its tags dropped, its spaces and line breaks each one space."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._close()
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li", "div"):
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def _close(self) -> None:
        if self._open is not None:
            # the release notes link each change to its commit with a "§" after the credit
            text = " ".join(html.unescape("".join(self._open)).replace("§", " ").split())
            if text:
                self.paragraphs.append(text)
        self._open = None


def page_paragraphs(page: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(page)
    parser.close()
    return parser.paragraphs


def pg_pages(root: Path) -> list[Path]:
    """The release notes of PostgreSQL 15 and its minor releases, then the history pages, in a fixed order."""
    folder = root / PG_HTML
    return sorted(folder.glob("release-15*.html")) + [folder / name for name in PG_HISTORY]


def _pg_pool(text: str) -> str:
    if CREDITED.search(text):
        return "credited"
    return "place" if PLACE.search(text) else "plain"


def pgrelease(root: Path, taken: set[str]) -> list[dict]:
    docs = [
        (f"pg-{page.stem}-{k}", para)
        for page in pg_pages(root)
        for k, para in enumerate(page_paragraphs(_read(page)))
        if _prose(para)
    ]
    return _drawn("pgrelease", pooled(docs, taken, _pg_pool, ("credited", "place", "plain")))


def comment_blocks(text: str) -> list[tuple[int, str]]:
    """The (first line's number, from 1; text) of each run of comment lines of the list, its section markers left out."""
    blocks: list[tuple[int, str]] = []
    run: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.startswith("//") and "===" not in line:
            if not run:
                start = number
            run.append(line.rstrip())
        elif run:
            blocks.append((start, "\n".join(run)))
            run = []
    return blocks


def suffix_documents(text: str) -> list[tuple[str, str]]:
    """Two consecutive comment blocks a document, the first two, then the next two, ..., named by the first line."""
    blocks = comment_blocks(text)
    return [(f"psl-{blocks[k][0]}", blocks[k][1] + "\n" + blocks[k + 1][1]) for k in range(0, len(blocks) - 1, 2)]


def _suffix_pool(text: str) -> str:
    return "submitted" if "Submitted by" in text else "notes"


def publicsuffix(root: Path, taken: set[str]) -> list[dict]:
    docs = [(i, t) for i, t in suffix_documents(_read(root / SUFFIXES)) if MIN_CHARS <= len(t) <= MAX_CHARS]
    return _drawn("publicsuffix", pooled(docs, taken, _suffix_pool, ("submitted", "notes")))


_MAM_HEAD = re.compile(r"^([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\s+\(hex\)\t+(.*)$")


def mam_entries(text: str) -> list[tuple[str, str]]:
    """The (id, text) of each entry of the register with an address: the vendor's name, then its address lines, each
    line trimmed (the spaces inside a line as the vendor wrote them). The id is the block's 28 bits in hex."""
    out = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        head = _MAM_HEAD.match(lines[0]) if lines else None
        if head is None or len(lines) < 3 or "(base 16)" not in lines[1]:
            continue
        if address := lines[2:]:
            block_id = "".join(head.group(1, 2, 3)) + lines[1][0]
            out.append((f"mam-{block_id}", "\n".join([head.group(4).strip(), *address])))
    return out


def _mam_pool(text: str) -> str:
    return "us" if text.rsplit("\n", 1)[-1] == "US" else "world"


def mam(root: Path, taken: set[str]) -> list[dict]:
    docs = mam_entries(_read(root / MAM))
    return _drawn("mam", pooled(docs, taken, _mam_pool, ("us", "world")))


def nation_legends(root: Path) -> list[tuple[str, str]]:
    """The (id, legend) of each nation of Freeciv that has one, its escapes undone and its lines joined."""
    out = []
    for path in sorted((root / NATIONS).glob("*.ruleset")):
        found = LEGEND.search(_read(path))
        if found:
            legend = re.sub(r"\\\n", "", found.group(1)).replace('\\"', '"')
            out.append((f"freeciv-{path.stem}", " ".join(legend.split())))
    return out


def _freeciv_pool(text: str) -> str:
    return "named" if NAMED.search(text) else "place"


def freeciv(root: Path, taken: set[str]) -> list[dict]:
    docs = [(i, t) for i, t in nation_legends(root) if _prose(t)]
    return _drawn("freeciv", pooled(docs, taken, _freeciv_pool, ("named", "place")))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {
        "pgrelease": pgrelease(root, taken),
        "publicsuffix": publicsuffix(root, taken),
        "mam": mam(root, taken),
        "freeciv": freeciv(root, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen11", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
