"""Build the lists of words that name a people, a faith or a rank (`aircluster/privacy/detect/data/`
`people_words.txt.gz` and `rank_words.txt.gz`).

A capitalized word for a people, a nationality, a religion or its adherents ("Swede", "Christian", "Roman
Catholic", "Buddhist") or a title of rank ("Emperor", "Pope", "Archbishop") reads like a name to the rules and
the tagger, yet names nobody. `not_people.py` drops a PERSON made only of such words and ordinary words.

Source: WordNet 3.0 as Debian's `dict-wn` package ships it (1:3.0-37, `/usr/share/dictd/wn.dict.dz`, the dictd
text of every synset: a headword, then its senses by part of speech with their glosses). Licence: the WordNet
3.0 licence (debian/copyright of `dict-wn`: use, copy, modify and distribute for any purpose, with the notice
"WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved."), which these lists carry on.
A build-time input only (`apt-get install dict-wn`); the lists are shipped.

What is taken, from one-word headwords (letters, a hyphen or an apostrophe) only:
  - peoples and faiths: a capitalized headword with a noun sense glossed as a native, inhabitant, resident or
    citizen of somewhere, a person of a nationality or descent, a member of something, an adherent, follower
    or believer ("Swede: a native or inhabitant of Sweden", "Catholic: a member of a Catholic church",
    "Muslim: a believer in or follower of Islam"), or an adjective sense glossed as relating to something
    ("Christian: relating to or characteristic of Christianity", "Roman: of or relating to ... Rome"); with
    the plural of each noun ("Swedes", "Frenchmen");
  - ranks: a lower-case headword whose first noun sense is glossed as a ruler, sovereign, monarch, peer,
    noble, prelate or bishop, the head of a church, or something of a (high) rank ("emperor: the male ruler
    of an empire", "archbishop: a bishop of highest rank", "pope: the head of the Roman Catholic Church").
No word is added or removed by hand. A word that is also a first name or surname in any of Faker's locales
("Christian", "Roman", "Caroline", "King"; the fifth held out of the shipped name lists too, see
`lexicon.is_held_out`) is written "word<TAB>name": `not_people.py` reads such a word alone as a person unless
the sentence uses it as an adjective or a common noun, so the list vetoes no name the evaluation calls unseen.
Faker is a build-time tool here as in build_common_words.py.

Run from the repository root (rewrites both files; output is deterministic):
    python -m tools.pii_lists.build_people_words [--source PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from aircluster.privacy.detect.lexicon import DATA_DIR
from tools.pii_lists.build_common_words import faker_names

SOURCE = Path("/usr/share/dictd/wn.dict.dz")
PEOPLE_FILE = "people_words.txt.gz"
RANK_FILE = "rank_words.txt.gz"

_HEADWORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
# "    n 1: gloss", "    adj 1: gloss", "    2: gloss": a sense opens; its part of speech stays until the next one.
_SENSE = re.compile(r"^\s+(?:(n|v|adj|adv)\s+)?(\d+):\s+(.*)$")
_PEOPLE_NOUN = re.compile(
    r"^(?:(?:a|an)\s+(?:[\w-]+\s+)?(?:native|inhabitant|resident|citizen)\b.*?\bof\b"
    r"|a\s+person\s+(?:of|from|belonging\s+to)\b"
    r"|a\s+member\s+of\b"
    r"|(?:an?\s+)?(?:adherent|follower|believer|disciple)\s+(?:of|in)\b"
    r"|one\s+who\s+(?:follows|believes|adheres)\b"
    r"|a\s+religious\s+person\b)"
)
_PEOPLE_ADJECTIVE = re.compile(r"^(?:of\s+or\s+)?relat(?:ing|ed)\s+to\b")
_RANK_NOUN = re.compile(
    r"^(?:a|an|the)\s+(?:(?!of\b)[\w-]+\s+){0,3}?(?:ruler|sovereign|monarch|peer|nobleman|noblewoman|prelate|bishop)\b(?!['’])"
    r"|^the\s+head\s+of\s+the\s+[A-Z]"
    r"|\bof\s+(?:the\s+)?(?:highest\s+|high\s+|a\s+)?rank\b"
)


def senses(lines: Iterator[str]) -> Iterator[tuple[str, str, int, str]]:
    """(headword, part of speech, sense number, gloss) for every sense of the dictd text."""
    head, pos, number, gloss = "", "", 0, ""
    for line in lines:
        line = line.rstrip("\n")
        if line and not line[0].isspace():
            if gloss:
                yield head, pos, number, gloss
            head, pos, number, gloss = line.strip(), "", 0, ""
            continue
        m = _SENSE.match(line)
        if m is not None:
            if gloss:
                yield head, pos, number, gloss
            pos, number, gloss = m.group(1) or pos, int(m.group(2)), m.group(3).strip()
        elif gloss:
            gloss += " " + line.strip()
    if gloss:
        yield head, pos, number, gloss


def _plural(noun: str, words: set[str]) -> str:
    """English plural: "Frenchmen" where the word is a word and "man" ("Northman"), not "Germen" or "Romen"."""
    for man in ("woman", "man"):
        prefix = noun[: -len(man)]
        if noun.endswith(man) and len(prefix) >= 4 and (prefix in words or prefix.rstrip("s") in words):
            return prefix + man[:-2] + "en"
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


def collect(source: Path) -> tuple[list[str], list[str]]:
    people: set[str] = set()
    nouns: set[str] = set()
    ranks: set[str] = set()
    headwords: set[str] = set()
    with gzip.open(source, "rt", encoding="utf-8") as f:
        for head, pos, number, gloss in senses(f):
            headwords.add(head.lower())
            if not _HEADWORD.fullmatch(head):
                continue
            if head[0].isupper() and not head.isupper():
                if pos == "n" and _PEOPLE_NOUN.match(gloss):
                    nouns.add(head.lower())
                elif pos == "adj" and _PEOPLE_ADJECTIVE.match(gloss):
                    people.add(head.lower())
            elif head.islower() and pos == "n" and number == 1 and _RANK_NOUN.search(gloss):
                ranks.add(head)
    people.update(nouns)
    people.update(_plural(noun, headwords) for noun in nouns)
    return sorted(people), sorted(ranks)


def _write(path: Path, words: list[str], names: set[str]) -> None:
    lines = [f"{w}\tname" if w in names else w for w in words]
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_people_words", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE, help="WordNet 3.0 in dictd form (dict-wn's wn.dict.dz)")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder for the two lists")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"build_people_words: {args.source} not found (apt-get install dict-wn)", file=sys.stderr)
        return 1
    if not args.out.is_dir():
        print(f"build_people_words: --out {args.out} is not a folder", file=sys.stderr)
        return 1
    try:
        people, ranks = collect(args.source)
    except (OSError, UnicodeDecodeError, EOFError) as e:
        print(f"build_people_words: {args.source} is no gzip'd dictd text ({e})", file=sys.stderr)
        return 1
    if not people or not ranks:
        print(f"build_people_words: {args.source} holds no WordNet glosses", file=sys.stderr)
        return 1
    try:
        names = faker_names()
    except ImportError:
        print("build_people_words: needs the faker package (the project's own dependency)", file=sys.stderr)
        return 1
    _write(args.out / PEOPLE_FILE, people, names)
    _write(args.out / RANK_FILE, ranks, names)
    print(f"{args.out / PEOPLE_FILE}: {len(people)} words; {args.out / RANK_FILE}: {len(ranks)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
