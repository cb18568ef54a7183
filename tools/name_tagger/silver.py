"""Silver labels: people and places in whole books, read by the detector and made consistent across each book.

    python -m tools.name_tagger.silver [--austen ROOT] [--texts FILE ...] [--invented] --out /tmp/silver.jsonl

A careful reader who has met "Mr. Bingley" reads every later "Bingley" as the man, whatever the sentence around it
says ("cried Bingley", "talked with Bingley"). The detector finds a name where a cue points at it; this file spreads
what it found over the whole book, one sense a word, so that the tagger trained on the result sees names in all
the sentences English puts them in, not only after the cues the rules know:

- every capitalized word of a book is counted: how often it occurs, and how often a PERSON or LOCATION the detector
  found covers it;
- a word the book also writes in lower case (at least twice, and a tenth as often as with a capital) is an
  ordinary word there ("Function" in a manual, "Will" in a novel): it takes no type, and a paragraph where the
  detector found it is left out;
- a word found as one type in at least MIN_FOUND of its occurrences, and in at least MIN_SHARE of them, and at
  least twice as often as the other type, is that type everywhere in the book ("Bingley", "Longbourn");
- a paragraph's spans are its runs of such words ("Mary Crawford"), with the detector's own spans whose every word
  it found as that type at least half the times it occurs (one-off names: "Sir Humphry Davy");
- a paragraph where the detector found a word it mostly did not ("Heaven" once in forty), or as the type it
  mostly did not, is left out: the two readings disagree, so neither labels it;
- a paragraph that leaves a word the lists know as a name unlabeled inside a sentence is left out;
- the paragraphs of any evals/prose part are left out (their gold labels are the evaluation's);
- `--invented`: each labeled paragraph once more with its names made up (`InventedWords`).

The rules alone read the books (the tagger is off). ROOT holds Debian's r-cran-janeaustenr unpacked (`apt-get download
r-cran-janeaustenr`, `dpkg-deb -x` into ROOT): Jane Austen's six novels (public domain; the package is MIT), read with
evals/prose's reader of R's data files; `--texts` reads plain-text or gzip files, each a book (the GNU manuals in
info form). tools/name_tagger/README.md has the versions the shipped reader model was built from.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from aircluster.privacy.detect.lexicon import Lexicon, load_lexicon
from tools.name_tagger.sources import SourceError

if TYPE_CHECKING:
    from aircluster.privacy.detect.detector import Detector

MIN_FOUND = 3
MIN_SHARE = 0.4
LOWER_SHARE = 0.1  # a word written in lower case this often (of its capitalized count) is an ordinary word
KEEP_SHARE = 0.5  # a detector span stays when each of its words was found as its type this often

# Titles and ranks name no one alone ("the Colonel"): never a sense of their own, but a run of name words takes the
# title before it, as the detector's spans and the tagger's training posts do ("Mr. Knightley", "Colonel Brandon").
TITLES = frozenset(
    "mr mrs ms miss dr sir madam lady lord dame captain capt colonel col general admiral lieutenant major "
    "rev reverend st saint master mistress aunt uncle cousin father mother brother sister king queen prince princess".split()
)
_TITLE_BEFORE = re.compile(r"\b([A-Z][a-z]*)\.? $")
SENTENCE_OPENERS = frozenset('.!?:;"\u201c\u2018(-')
_LOWER_WORD = re.compile(r"(?<![\\w'-])[a-z][a-z'-]*[a-z](?![\\w'-])")
_WORD = re.compile(r"[A-Z][A-Za-z'\u2019-]*[A-Za-z]|[A-Z]")

Span = tuple[str, int, int]
Post = tuple[str, list[Span]]


def _words(text: str) -> list[tuple[int, int]]:
    """The capitalized words of `text` (a possessive is a word of its own here: "Catherine's")."""
    return [m.span() for m in _WORD.finditer(text)]


def _covered(spans: list[tuple[str, int, int]], a: int, b: int) -> str | None:
    for entity, s, e in spans:
        if s <= a and b <= e:
            return entity
    return None


def book_posts(paragraphs: list[str], found: list[list[Span]], listed: Callable[[str], bool] = lambda w: False) -> list[Post]:
    """One book's paragraphs with their silver spans, given the detector's PERSON/LOCATION spans of each. `listed`: a
    word the word lists know as a name or place; a paragraph that leaves one unlabeled inside a sentence is left out
    (a name neither reading caught: labeling it "no one" would teach the tagger to miss it)."""
    book = _Book(paragraphs, found)
    posts: list[Post] = []
    for text, spans in zip(paragraphs, found):
        kept = [span for span in spans if book.confirms(text, span)]
        if len(kept) < len(spans):
            continue  # the detector read a word the book mostly does not ("Heaven" once in forty)
        runs = [_with_title(text, r) for r in book.runs(text)]
        labeled = _merged(kept + runs)
        if any(_unlabeled_name(text, a, b, labeled, book, listed) for a, b in _words(text)):
            continue
        posts.append((text, labeled))
    return posts


class _Book:
    """What one book says of each capitalized word: how often it occurs, how often the detector found it as each type,
    how often the book writes it in lower case, and the type it has all through the book, if any."""

    def __init__(self, paragraphs: list[str], found: list[list[Span]]):
        self.occurs: Counter[str] = Counter()
        self.as_type: dict[str, Counter[str]] = defaultdict(Counter)
        for text, spans in zip(paragraphs, found):
            for a, b in _words(text):
                w = text[a:b]
                self.occurs[w] += 1
                entity = _covered(spans, a, b)
                if entity:
                    self.as_type[w][entity] += 1
        self.lower = Counter(m.group() for text in paragraphs for m in _LOWER_WORD.finditer(text))
        self.sense: dict[str, str] = {}
        for w, counts in self.as_type.items():
            if w.lower() in TITLES:
                continue
            (entity, n), *rest = counts.most_common()
            other = rest[0][1] if rest else 0
            if n >= MIN_FOUND and self.share(w, entity) >= MIN_SHARE and n >= 2 * other:
                self.sense[w] = entity

    def ordinary(self, w: str) -> bool:
        """A word the book also writes in lower case ("Function" in a manual, "Will" in a novel)."""
        return self.lower[w.lower()] >= max(2, LOWER_SHARE * self.occurs[w])

    def share(self, w: str, entity: str) -> float:
        if self.ordinary(w):
            return 0.0
        return self.as_type[w][entity] / self.occurs[w]

    def confirms(self, text: str, span: Span) -> bool:
        """The detector's span stands: each of its words (titles aside) found as its type at least KEEP_SHARE of the
        times it occurs, or of that type all through the book."""
        entity, s, e = span
        words = [w for a, b in _words(text[s:e]) if (w := text[s + a : s + b]).lower() not in TITLES] or [text[s:e]]
        shares = [self.share(w, entity) if w in self.occurs else 1.0 for w in words]
        return min(shares) >= KEEP_SHARE or all(self.sense.get(w) == entity for w in words if w in self.occurs)

    def runs(self, text: str) -> list[Span]:
        """Runs of words with one type all through the book ("Mary Crawford")."""
        runs: list[Span] = []
        for a, b in _words(text):
            entity = self.sense.get(text[a:b])
            if entity is None:
                continue
            if runs and runs[-1][0] == entity and text[runs[-1][2] : a] == " ":
                runs[-1] = (entity, runs[-1][1], b)
            else:
                runs.append((entity, a, b))
        return runs


def _unlabeled_name(text: str, a: int, b: int, labeled: list[Span], book: _Book, listed: Callable[[str], bool]) -> bool:
    """A word the lists know as a name or place, inside a sentence, that no span covers and the book does not write in
    lower case."""
    w = text[a:b]
    before = text[:a].rstrip()
    if not before or before[-1] in SENTENCE_OPENERS or len(w) < 2 or w.lower() in TITLES:
        return False
    return listed(w.lower()) and not book.ordinary(w) and _covered(labeled, a, b) is None


def _with_title(text: str, span: Span) -> Span:
    entity, s, e = span
    m = _TITLE_BEFORE.search(text, max(0, s - 14), s)
    if entity == "PERSON" and m and m.group(1).lower() in TITLES:
        return entity, m.start(1), e
    return span


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined (the longer one's type wins), sorted."""
    out: list[Span] = []
    for entity, s, e in sorted(spans, key=lambda x: (x[1], -x[2])):
        if out and s < out[-1][2]:
            last = out[-1]
            keep = last[0] if last[2] - last[1] >= e - s else entity
            out[-1] = (keep, last[1], max(last[2], e))
        else:
            out.append((entity, s, e))
    return out


class InventedWords:
    """Made-up words that look like names (a letter chain of order 3 over the shipped name and place lists) and are in
    none of the lists: in a copy of each silver post the names are swapped for them, so that the tagger, which reads
    the lists, also learns the sentence around a name it has never heard of ("muttered Ahab")."""

    def __init__(self, seed: int, lexicon: Lexicon):
        self.rng = random.Random(seed)
        self.known = lexicon.first_names | lexicon.last_names | lexicon.places | lexicon.common_words
        self.next: dict[str, list[str]] = defaultdict(list)
        for w in sorted(lexicon.first_names | lexicon.last_names | lexicon.places):
            if w.isalpha() and w.isascii() and 3 <= len(w) <= 10:
                chain = "^^" + w + "$"
                for k in range(len(chain) - 2):
                    self.next[chain[k : k + 2]].append(chain[k + 2])

    def word(self) -> str:
        while True:
            out, state = "", "^^"
            while len(out) < 12:
                c = self.rng.choice(self.next[state])
                if c == "$":
                    break
                out += c
                state = state[1] + c
            if 3 <= len(out) <= 11 and out not in self.known:
                return out


def invented_copy(post: Post, words: InventedWords, street_words: frozenset[str]) -> Post | None:
    """`post` with made-up words for every word of its spans but titles and street words ("Square"), the same word for
    the same word, written as the old one was; None when it has no span."""
    text, spans = post
    made: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    for _, s, e in spans:
        for m in _WORD.finditer(text, s, e):
            w = m.group()
            if w.lower() in TITLES or w.lower() in street_words or len(w) < 2:
                continue
            new = made.setdefault(w, words.word())
            edits.append((m.start(), m.end(), new.upper() if w.isupper() else new.capitalize()))
    if not spans:
        return None
    pieces: list[str] = []
    pos = 0
    for a, b, new in edits:
        pieces += [text[pos:a], new]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces), [(entity, _moved(s, edits), _moved(e, edits)) for entity, s, e in spans]


def _moved(offset: int, edits: list[tuple[int, int, str]]) -> int:
    """Where `offset` (a word's start or end) lands once the edits before it are made."""
    return offset + sum(len(new) - (b - a) for a, b, new in edits if b <= offset)


def evaluation_texts(folder: Path) -> set[str]:
    return {json.loads(line)["text"] for path in folder.glob("*.jsonl") for line in path.read_text(encoding="utf-8").splitlines()}


def rules_only_detector() -> Detector:
    """The detector with both taggers off: a tagger trained on what it labeled itself would only learn its own
    mistakes, and the silver labels (so the models) would change with every model shipped. The environment is put back
    as it was."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    from aircluster.privacy.detect.detector import Detector

    names = ("AIRCLUSTER_NAME_TAGGER", "AIRCLUSTER_NAME_READER")
    saved = {k: os.environ.get(k) for k in names}
    os.environ.update(dict.fromkeys(names, "off"))
    try:
        return Detector(entities=["PERSON", "LOCATION"])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def silver(books: dict[str, list[str]], exclude: Iterable[str] = ()) -> list[Post]:
    det = rules_only_detector()
    lexicon = load_lexicon()
    names = lexicon.first_names | lexicon.last_names | lexicon.places
    skip = set(exclude)
    posts: list[Post] = []
    for name in sorted(books):
        paragraphs = [p for p in books[name] if p not in skip]
        found = [[(e, a, b) for e, a, b, _ in det.scan_text(p) if e in ("PERSON", "LOCATION")] for p in paragraphs]
        posts += book_posts(paragraphs, found, names.__contains__)
    return posts


def text_paragraphs(path: Path) -> list[str]:
    """A plain-text file's paragraphs (blank-line separated, lines joined by a space; gzip read as such), those of 40
    characters or more that are mostly letters (prose, not tables or code)."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    out = []
    for block in re.split(r"\n[ \t]*\n", text):
        para = " ".join(block.split())
        letters = sum(c.isalpha() or c == " " for c in para)
        if len(para) >= 40 and letters >= 0.85 * len(para):
            out.append(para)
    return out


def read_books(austen: Path | None, texts: list[Path]) -> dict[str, list[str]]:
    """The books by name: each Austen novel (from the unpacked package under `austen`) and each text file; raises
    SourceError naming the first file that is missing or unreadable."""
    from evals.prose.build_unseen9 import AUSTEN_DATA, AUSTEN_INDEX, austen_novels
    from evals.prose.rlazyload import paragraphs_of_lines

    books: dict[str, list[str]] = {}
    reading = austen
    try:
        if austen:
            for needed in (AUSTEN_INDEX, AUSTEN_DATA):
                if not (austen / needed).is_file():
                    raise SourceError(
                        f"{austen / needed}: missing (apt-get download r-cran-janeaustenr, dpkg-deb -x into {austen})"
                    )
            novels = austen_novels(austen).items()
            books |= {k: [p for p in paragraphs_of_lines(v) if len(p) > 40] for k, v in novels}
        for reading in texts:
            books[str(reading)] = text_paragraphs(reading)
    except OSError as e:  # gzip.BadGzipFile too
        raise SourceError(f"{reading}: {e.strerror or e}") from None
    except (ValueError, EOFError) as e:
        raise SourceError(f"{reading}: unreadable ({e})") from None
    return books


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--austen", type=Path, metavar="ROOT", help="r-cran-janeaustenr unpacked into ROOT")
    ap.add_argument("--texts", type=Path, nargs="*", default=[], metavar="FILE", help="plain-text files, each a book")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--invented", action="store_true", help="also a copy of each post with its names made up")
    ap.add_argument("--seed", type=int, default=900303)
    args = ap.parse_args(argv)
    try:
        books = read_books(args.austen, args.texts)
    except SourceError as e:
        print(f"name_tagger.silver: {e}", file=sys.stderr)
        return 2
    posts = silver(books, evaluation_texts(Path(__file__).resolve().parents[2] / "evals" / "prose"))
    if args.invented:
        lexicon = load_lexicon()
        words = InventedWords(args.seed, lexicon)
        posts += [copy for p in posts if (copy := invented_copy(p, words, lexicon.street_words))]
    part = args.out.with_name(args.out.name + ".part")  # renamed when whole: never a half-written file
    with part.open("w", encoding="utf-8") as f:
        for text, spans in posts:
            f.write(json.dumps({"text": text, "spans": [[e, s, t] for e, s, t in spans]}) + "\n")
    part.replace(args.out)
    n = sum(len(s) for _, s in posts)
    print(f"wrote {args.out}: {len(posts)} paragraphs, {n} spans")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
