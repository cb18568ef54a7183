"""Draw the seventh unseen part's documents from the running prose of Python's documentation, Vim's help, the GNU
manuals installed in info form and the Linux kernel's documentation and credits, and write it labeled.

    python -m evals.prose.build_unseen7 --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen7 --write            # draws again, applies unseen7_labels.json,
                                                          # writes *_unseen7.jsonl beside this file

Needs `apt-get install python3.11-doc vim-runtime linux-doc-6.1` and the info manuals of the packages installed on
the project's machine (see README.md for versions and licences). Five sources, none of which another part drew from:

- `python`: paragraphs of the reStructuredText sources of Python 3.11's documentation (Debian's `python3.11-doc`,
  PSF licence): "What's New" pages crediting people ("Contributed by ..."), the history and licence page with the
  postal addresses of CNRI and BeOpen, the FAQs and HOWTOs.
- `vim`: paragraphs of Vim's help files (Debian's `vim-runtime`, Vim licence): credits, the history of Vim, the
  Kibaale Children's Centre in Uganda and the ways to send it money.
- `info`: paragraphs of the GNU manuals installed in info form (`/usr/share/info`; the Python manual there is the
  first source's text and is left out): acknowledgements, histories, the Free Software Foundation's addresses.
- `kerneldocs`: paragraphs of the reStructuredText sources of the Linux kernel's documentation (Debian's
  `linux-doc-6.1`, GPL-2; the translations left out): thanks to reviewers, drivers' histories, vendors' addresses.
- `kernelcredits`: entries of the kernel's CREDITS file (the same package): a developer's name, e-mail address, web
  page, what they did, and often their postal address, in their own country's order.

Each of the first four gives four pools, by loose cues read on the text alone: paragraphs with a street number (a number
before a street word, or a post office box) and paragraphs with a town's shape ("in X, Y"), all drawn; paragraphs
crediting someone (a name's shape after "by", "thanks to", "from", "and" or "with"); and plain sentences with no
name's shape at all (most of them name nobody: the part's precision share). The credits give three: entries with a
digit in an address line (a street number or a postcode), entries with an address of towns and countries alone,
and entries with no address. No document is the text of a
document of another part.
Labels (`unseen7_labels.json`, written by hand before any scoring, by reading each document): per document id,
a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, first_missing_folder, texts_of

# Where the packages install their text, below the file system's root (`--root` reads a copy elsewhere)
PYTHON_DOCS = "usr/share/doc/python3.11/html/_sources"
VIM_DOCS = "usr/share/vim/vim90/doc"
INFO = "usr/share/info"
KERNEL_DOCS = "usr/share/doc/linux-doc-6.1/html/_sources"
KERNEL_CREDITS = "usr/share/doc/linux-doc-6.1/CREDITS.gz"
FOLDERS = (
    (PYTHON_DOCS, "apt-get install python3.11-doc"),
    (VIM_DOCS, "apt-get install vim-runtime"),
    (INFO, "no info manuals installed"),
    (KERNEL_DOCS, "apt-get install linux-doc-6.1"),
)
# The info manual python3.11-doc installs is the python source's text again
INFO_LEFT_OUT = re.compile(r"^python\d")
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6")
SEED = 20261207
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "python": {"street": None, "place": None, "named": 24, "plain": 4},
    "vim": {"street": None, "place": None, "named": 15, "plain": 3},
    "info": {"street": None, "place": None, "named": 16, "plain": 4},
    "kerneldocs": {"street": None, "place": None, "named": 8, "plain": 3},
    "kernelcredits": {"street": 34, "town": 10, "none": 2},
}
MIN_CHARS, MAX_CHARS = 80, 700
STREET_WORDS = r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Place|Lane|Boulevard|Blvd\.?|Way|Square|Highway)"
# A number then at most three capitalized words and a street word ("51 Franklin Street", "1895 Preston White Drive"),
# or a post office box ("p.o. box 1658")
STREET_CUE = re.compile(rf"\b\d{{1,5}}[A-Za-z]?,? (?:[A-Z][\w.'-]* ){{0,3}}{STREET_WORDS}\b|\b(?:[Pp]\.? ?[Oo]\.? )?[Bb]ox \d")
# A town then its region or country after a place's preposition ("in Reykjavik, Iceland", "in Surrey, Canada")
PLACE_CUE = re.compile(r"\b(?:in|at|from|near|to) (?:[A-Z][a-z]+ )?[A-Z][a-z]+, (?:[A-Z][a-z]+|[A-Z]{2})\b")
# Someone credited: a name's shape after "by", "thanks to", "from", "and" or "with" ("Contributed by Raymond
# Hettinger", "with Guido van Rossum")
CREDIT_CUE = re.compile(
    r"\b(?:[Bb]y|[Tt]hanks to|[Ff]rom|and|with) [A-Z][a-z]+(?:-[a-z]+)? (?:[A-Z]\. )?(?:van |de |von |der )?[A-Z][a-z]+"
)
# Two capitalized words, a name's shape: a paragraph without one is plain
NAME_SHAPE = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)? (?:[A-Z]\. )?[A-Z][a-z]+")
# A heading's underline (reStructuredText, info), a directive or comment, an info node's header or a menu's heading, a
# line of an interactive session
_NOT_PROSE = re.compile(r"^(?:[=\-~^*#+\"'`.:_]{3,}|\.\. |File: |\* Menu:|\x1f|[*]{2,}|>>> )")


def _read(path: Path) -> str:
    """A file's text, gzip or not; UTF-8, or Latin-1 in the older manuals that are not UTF-8."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each line's indent and right edge trimmed; headings, directives,
    info node headers and menu headings, and interactive sessions left out (a menu's items are kept: they seldom make a
    sentence)."""
    out = []
    for para in re.split(r"\n[ \t]*\n", text.replace("\x1f", "\n\n\x1f")):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if lines and not any(_NOT_PROSE.match(line) for line in lines):
            out.append("\n".join(lines))
    return out


def _pools(files: list[tuple[str, Path]], taken: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The paragraphs of 80-700 characters with a sentence in them of these (id prefix, file) pairs, in the pool of their
    first cue: "street", "place", "named", or "plain" when they have no name's shape at all (a paragraph with a name's
    shape and no cue is in none); a paragraph met twice, in two files, once."""
    pools: dict[str, list[tuple[str, str]]] = {"street": [], "place": [], "named": [], "plain": []}
    seen: set[str] = set()
    for prefix, path in files:
        for k, para in enumerate(paragraphs(_read(path))):
            if not (MIN_CHARS <= len(para) <= MAX_CHARS and SENTENCE.search(para)) or para in seen or para in taken:
                continue
            seen.add(para)
            for cue, found in (("street", STREET_CUE), ("place", PLACE_CUE), ("named", CREDIT_CUE)):
                if found.search(para):
                    pools[cue].append((f"{prefix}-{k}", para))
                    break
            else:
                if not NAME_SHAPE.search(para):
                    pools["plain"].append((f"{prefix}-{k}", para))
    return pools


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]], rng: random.Random) -> list[dict]:
    return drawn_from_pools(pools, COUNTS[source], rng)


def python(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    folder = root / PYTHON_DOCS
    files = [(f"py-{p.relative_to(folder).as_posix().removesuffix('.rst.txt')}", p) for p in sorted(folder.rglob("*.rst.txt"))]
    return _drawn("python", _pools(files, taken), rng)


def vim(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    files = [(f"vim-{p.stem}", p) for p in sorted((root / VIM_DOCS).glob("*.txt"))]
    return _drawn("vim", _pools(files, taken), rng)


def info(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    paths = sorted(p for p in (root / INFO).glob("*.info*.gz") if not INFO_LEFT_OUT.match(p.name))
    files = [(f"info-{p.name.removesuffix('.gz')}", p) for p in paths]
    return _drawn("info", _pools(files, taken), rng)


def kerneldocs(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    folder = root / KERNEL_DOCS
    paths = sorted(p for p in folder.rglob("*.rst.txt") if p.relative_to(folder).parts[0] != "translations")
    files = [(f"kernel-{p.relative_to(folder).as_posix().removesuffix('.rst.txt')}", p) for p in paths]
    return _drawn("kerneldocs", _pools(files, taken), rng)


def credit_entries(text: str) -> list[str]:
    """The entries of the kernel's CREDITS file: blocks of "X: value" lines opening with a name ("N:"); the file's
    preamble and the lines of no field left out."""
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.rstrip() for line in block.splitlines() if re.match(r"^[A-Z]: ", line)]
        if lines and lines[0].startswith("N: "):
            out.append("\n".join(lines))
    return out


def kernelcredits(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Entries of 80-700 characters, by their address: with a digit in it, of towns alone, or none."""
    pools: dict[str, list[tuple[str, str]]] = {"street": [], "town": [], "none": []}
    for k, entry in enumerate(credit_entries(_read(root / KERNEL_CREDITS))):
        if not MIN_CHARS <= len(entry) <= MAX_CHARS or entry in taken:
            continue
        address = [line for line in entry.splitlines() if line.startswith("S: ")]
        pool = "street" if any(re.search(r"\d", line) for line in address) else "town" if address else "none"
        pools[pool].append((f"credits-{k}", entry))
    return _drawn("kernelcredits", pools, rng)


def missing(root: Path) -> str | None:
    """The first source folder or file that is not there, as a message naming the package that installs it."""
    return first_missing_folder(root, FOLDERS) or first_missing(root, ((KERNEL_CREDITS, "linux-doc-6.1"),))


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    taken = texts_of(OTHER_PARTS)
    return {
        "python": python(root, rng, taken),
        "vim": vim(root, rng, taken),
        "info": info(root, rng, taken),
        "kerneldocs": kerneldocs(root, rng, taken),
        "kernelcredits": kernelcredits(root, rng, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen7", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
