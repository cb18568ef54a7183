"""Draw the fifth unseen part's documents from three English dictionaries that ship in Debian, and write it labeled.

    python -m evals.prose.build_unseen5 --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen5 --write            # draws again, applies unseen5_labels.json,
                                                          # writes *_unseen5.jsonl beside this file

Needs `apt-get install dict-wn dict-jargon dict-gcide` (see README.md for versions and licences). Three sources,
none of which another part drew from:

- `wordnet`: noun senses of WordNet 3.0 (Debian's `dict-wn`, WordNet licence) whose gloss names a person or a
  place in a sentence, written as WordNet's own browser shows a synset: its words, then the gloss
  ("Einstein, Albert Einstein: physicist born in Germany who formulated ..."). Three kinds, each drawn on its
  own: people (a gloss with the years of a life), towns ("the capital and largest city of France") and streets
  and squares ("a street in central London where ...", or a gloss naming one: "... of Broadway and Seventh Avenue").
- `jargon`: entries of the Jargon File 4.4.7 (Debian's `dict-jargon`, public domain) with a capitalized word
  inside a sentence and a cue of a person or place: hackers and authors named in running sentences.
- `gcide`: paragraphs of GCIDE, Webster's 1913 and its supplements (Debian's `dict-gcide`, GPL-2+), naming a
  street ("to lodge in York Street. --Chaucer."), or a town and its region ("raised at Galloway, Scotland").

No document is the text of a document of another part.
Labels (`unseen5_labels.json`, written by hand before any scoring, by reading each document): per document id,
a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import builder_main, first_missing, texts_of

# Where the packages install their text, below the file system's root (`--root` reads a copy elsewhere)
WORDNET = "usr/share/dictd/wn.dict.dz"
JARGON = "usr/share/dictd/jargon.dict.dz"
GCIDE = "usr/share/dictd/gcide.dict.dz"
NEEDED = ((WORDNET, "dict-wn"), (JARGON, "dict-jargon"), (GCIDE, "dict-gcide"))
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4")
SEED = 20261208
N_PEOPLE, N_TOWNS, N_STREETS, N_JARGON, N_GCIDE_STREETS, N_GCIDE_PLACES = 30, 28, 16, 28, 16, 12
MAX_CHARS = 600
# WordNet's glosses are short: a street's is often one line ("Pall Mall: a fashionable street in London ...")
MIN_WORDNET, MIN_JARGON = 60, 80
MIN_GCIDE = 60
CAP_INSIDE = re.compile(r"[a-z,;] +[A-Z][a-z]")
# A WordNet sense in the dict rendering: "    n 1: gloss ..." opens the nouns, "    2: ..." the next sense
_SENSE = re.compile(r"^\s+(?:(n|v|adj|adv) )?\d+: ", re.M)
_SYNONYMS = re.compile(r"\s*\[syn: (.*?)\]", re.S)
_ANTONYMS = re.compile(r"\s*\[ant: .*?\]", re.S)
# The kind of synset a gloss is about: the years of a life "(1879-1955)", "(circa 384-322 BC)", "(born 1930)"
# (a battle's one year, "(1863)", is not a life)
_LIFE = re.compile(r"\((?:circa )?\d{2,4}(?: BC)?-\d{2,4}(?: BC)?\)|\(born \d{3,4}\)")
_TOWN = re.compile(r"^(?:an?|the) (?:[\w-]+ ){0,4}?(?:city|town|port|capital)\b")
_STREET = re.compile(r"^(?:an?|the) (?:[\w-]+ ){0,3}?(?:street|avenue|square)\b|\b[A-Z][a-z]+ (?:Street|Avenue|Square)\b")
# The Jargon File: a place or a person in a sentence ("at MIT in Cambridge", "coined by Guy Steele")
JARGON_CUE = re.compile(r"\b(?:in|at|from|near|by) [A-Z][a-z]+|[a-z,] [A-Z][a-z]+ (?:[A-Z]\. )?[A-Z][a-z]+\b")
# GCIDE (Webster 1913 and its supplements): a street named ("in Lombard Street"), or a town and its region in a
# sentence ("at Galloway, Scotland"); the editors' source tags on lines of their own ("[1913 Webster]", "[PJC]")
_GCIDE_STREET = re.compile(r"\b(?!See )[A-Z][a-z]+ (?:Street|Avenue|Square|Road|Lane|Row)\b")  # not "See Square."
_GCIDE_PLACE = re.compile(r"\b(?:in|at|from|near) [A-Z][a-z]+, [A-Z][a-z]+")
_GCIDE_TAG = re.compile(r"^\[[^\]\n]*\]$", re.M)


def _read_gz(path: Path, errors: str = "strict") -> str:
    # dictzip is gzip with an extra header field: the gzip module reads it
    with gzip.open(path, "rt", encoding="utf-8", errors=errors) as f:
        return f.read()


def _from(text: str, marker: str, path: Path) -> str:
    """The text from `marker` on; ValueError naming the file when it is not there (another version of the text)."""
    at = text.find(marker)
    if at < 0:
        raise ValueError(f"{path}: {marker.strip()!r} not found")
    return text[at:]


def _entries(text: str) -> list[list[str]]:
    """A dict file's entries: a headword at the line's start, the body indented below it."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if line and not line[0].isspace():
            entries.append([line])
        elif entries:
            entries[-1].append(line)
    return entries


def _synsets(root: Path) -> list[tuple[int, str, str]]:
    """(entry number, words, gloss) for each noun sense of a capitalized headword, as WordNet's browser shows it:
    the synset's words in WordNet's order, the gloss with its examples, cross-reference braces dropped."""
    path = root / WORDNET
    text = _read_gz(path)
    _from(text, "\n00-database-short\n", path)  # WordNet's header entry: another file is refused, not drawn from
    out = []
    for k, (head, *lines) in enumerate(_entries(text)):
        if not head[:1].isupper():
            continue
        senses = _SENSE.split("\n".join(lines))
        # The dict file files "march" under "March": a sense with no synonyms to name its words is left out there
        both_cases = any(head.lower() in re.findall(r"\{([^}]*)\}", sense) for sense in senses[2::2])
        pos = None
        for i in range(1, len(senses) - 1, 2):  # split() gives [before, pos, sense, pos, sense, ...]
            pos = senses[i] or pos
            if pos != "n":
                continue
            sense = " ".join(senses[i + 1].split())
            found = _SYNONYMS.search(sense)
            if not found and both_cases:
                continue
            words = [w.strip("{} ") for w in found.group(1).split("}, {")] if found else [head]
            gloss = _ANTONYMS.sub("", _SYNONYMS.sub("", sense)).replace("{", "").replace("}", "").strip()
            out.append((k, ", ".join(words), gloss))
    return out


def wordnet(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """People, towns, and streets and squares, each drawn on its own; a synset reached from two headwords once."""
    pools: dict[str, list[tuple[str, str]]] = {"people": [], "towns": [], "streets": []}
    seen: set[str] = set()
    for k, words, gloss in _synsets(root):
        text = f"{words}: {gloss}"
        if text in seen or text in taken or not (MIN_WORDNET <= len(text) <= MAX_CHARS) or not CAP_INSIDE.search(gloss):
            continue
        seen.add(text)
        kind = "people" if _LIFE.search(gloss) else "towns" if _TOWN.search(gloss) else "streets" if _STREET.search(gloss) else ""
        if kind:
            pools[kind].append((f"wordnet-{kind}-{k}", text))
    chosen = []
    for kind, n in (("people", N_PEOPLE), ("towns", N_TOWNS), ("streets", N_STREETS)):
        rng.shuffle(pools[kind])
        chosen += pools[kind][:n]
    return [{"id": i, "text": t} for i, t in chosen]


def jargon(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Entries naming a person or a place in a sentence; each line's indent dropped, cross-reference braces too."""
    path = root / JARGON
    pool = []
    for k, lines in enumerate(_entries(_from(_read_gz(path), "\n(TM)\n", path))):
        text = re.sub(r"[{}]", "", "\n".join(line.strip() for line in lines).strip("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
        if MIN_JARGON <= len(text) <= MAX_CHARS and JARGON_CUE.search(text) and CAP_INSIDE.search(text) and text not in taken:
            pool.append((f"jargon-{k}", text))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_JARGON]]


def gcide(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Paragraphs (a sense, a note, a quotation with its author) naming a street, and paragraphs naming a town and
    its region; each line's indent dropped, the source tags and cross-reference braces too."""
    path = root / GCIDE
    # three bytes of the file are not UTF-8 (Windows quotes); they are none of the text drawn here
    text = _from(_read_gz(path, errors="replace"), "\n00-database-short\n", path)
    streets, places = [], []
    for k, para in enumerate(re.split(r"\n[ \t]*\n", text)):
        lines = [line.strip() for line in para.splitlines()]
        piece = re.sub(r"[{}]", "", _GCIDE_TAG.sub("", "\n".join(lines))).strip("\n")
        if not MIN_GCIDE <= len(piece) <= MAX_CHARS or piece in taken:
            continue
        if _GCIDE_STREET.search(piece):
            streets.append((f"gcide-{k}", piece))
        elif _GCIDE_PLACE.search(piece):
            places.append((f"gcide-{k}", piece))
    rng.shuffle(streets)
    rng.shuffle(places)
    chosen = streets[:N_GCIDE_STREETS] + places[:N_GCIDE_PLACES]
    rng.shuffle(chosen)
    return [{"id": i, "text": t} for i, t in chosen]


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that installs it."""
    return first_missing(root, NEEDED)


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    taken = texts_of(OTHER_PARTS)
    return {"wordnet": wordnet(root, rng, taken), "jargon": jargon(root, rng, taken), "gcide": gcide(root, rng, taken)}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen5", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
