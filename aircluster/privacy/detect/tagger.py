"""A small learned sequence tagger for PERSON and LOCATION (a linear-chain CRF, python-crfsuite).

    tokenize(text) -> list[Token]                       # words, numbers, punctuation, line breaks
    features(tokens, text, lexicon) -> list[list[str]]  # one feature list per token
    NameTagger.load(path=MODEL_PATH) -> NameTagger
        .tag(text) -> Tagged                            # BIO labels per token, spans with confidence
        .version                                        # digest of the model file
        .compiled                                       # True: inference in C (crf_native.c), else python-crfsuite

The model is trained by `python -m tools.name_tagger.train` (in a source checkout, see
tools/name_tagger/README.md) on the project's own synthetic posts and ships in
`aircluster/privacy/detect/data/`. Its features are general cues rather than phrases: the word, its
shape, affixes, membership in the shipped word lists, position in the line and sentence, and the same
for two words on either side. The rules in `names_places.py` stay; `detector.py` combines both.

Inference runs in C (`crf_native.c`, built at install when a compiler is present): `crf_native.Tagger` does
the whole of `tag`: the tokens, a cache of each distinct word (its flags from the word lists held
here, shape, features as packed attribute ids), the windows (`segments`), what the features need of the whole
text (`Prepared`), the features built per position (conjunctions looked up in a hash table of the model's
attribute strings) and the CRF (Viterbi, marginals); the CRF's weights are read exactly from the model file
once. Without the compiled module, or with AIRCLUSTER_NAME_TAGGER_COMPILED=0, feature strings go to
python-crfsuite as before; both give the same tokens, labels and confidences (the features themselves are
defined once, by `WordCache` and `features` below: the C code follows them and the tests compare).

Model file: gzip of one header line ("aircluster-name-tagger <FEATURES_VERSION> <sha256 of the model>")
and the CRFsuite model bytes. gzip's checksum and the digest catch a damaged file (CRFsuite itself
crashes on a truncated model), the features version a model trained on other features.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import struct
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, is_, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from aircluster.errors import AirclusterError
from aircluster.privacy.detect.lexicon import DATA_DIR, Lexicon

if TYPE_CHECKING:
    from aircluster.privacy.detect.crf_native import Tagger as NativeTagger
try:  # built by setup.py when a C compiler is present; optional
    from aircluster.privacy.detect import crf_native
except ImportError:
    crf_native = None

MODEL_PATH = DATA_DIR / "name_tagger.crf.gz"
CITIES_PATH = DATA_DIR / "world_cities.txt.gz"  # real towns and countries (tools/pii_lists/build_city_list.py)
# Bump when `features` changes: a model trained on other features must not load.
FEATURES_VERSION = "5"
_MAGIC = b"aircluster-name-tagger "
LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
ENTITY_OF = {"PER": "PERSON", "LOC": "LOCATION"}
MAX_SEQ = 400  # tokens per CRF sequence at most
WINDOW = 2  # tokens labelled on either side of a word that may be a name (see `segments`)
NL = "<NL>"  # a line break is a token of its own, so "Regards,\nAnna" keeps its context
NL2 = "<NL2>"  # two or more line breaks (a paragraph)

_TOKEN = re.compile(r"\n[ \t]*(?:\n[ \t\n]*)?|[^\W_]+(?:['’-][^\W_]+)*|[^\s\w]|_")
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "madam",
        "herr",
        "frau",
        "mme",
        "mlle",
        "m",
        "sr",
        "sra",
        "srta",
        "don",
        "doña",
        "dott",
        "sig",
        "ing",
    ]
)
_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset(['"', "(", "'"])  # between a sentence's end and its first word


class TaggerError(AirclusterError):
    """The shipped tagger model is missing, damaged or was trained on other features."""


class Token(NamedTuple):  # a tuple: built for every word of every scanned string
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words, numbers, punctuation and line breaks (NL, or NL2 for more than one) with their character
    offsets. crf_native.tokenize gives the same tokens without the regex (the compiled tagger uses it)."""
    out = []
    make = tuple.__new__  # a third faster than Token(...) for a NamedTuple
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t[0] == "\n":
            t = NL2 if t.count("\n") > 1 else NL
        out.append(make(Token, (m.start(), m.end(), t)))
    return out


def _shape(word: str) -> str:
    """Character classes with repeats collapsed: "Anna" Xx, "ANNA" X, "O'Connor" X'Xx, "LS6" Xd; numbers
    keep their length ("d5" for a postcode)."""
    if word.isdigit():
        return f"d{min(len(word), 6)}"
    out = []
    prev = ""
    for c in word:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c
        if k != prev:
            out.append(k)
            prev = k
    return "".join(out)


class _Word:
    """One word's features out of context, and the features it gives its neighbours ("w-1=anna" for
    the next word), built once per distinct word string: a post repeats few words, a corpus most. The
    feature tuples are filled only when the word is first near a word the CRF labels (`WordCache.fill`):
    most words never are."""

    __slots__ = (
        "bare",
        "filled",
        "flags",
        "low",
        "next1",
        "next2",
        "own",
        "prev1",
        "prev2",
        "shape",
        "wanted",
        "word",
    )

    def __init__(self, word: str, low: str, shape: str, flags: str, wanted: int = 0):
        self.word, self.low, self.shape, self.flags = word, low, shape, flags
        self.wanted = wanted  # may be part of a name: 0 no, 1 yes, 2 unless it opens a sentence
        self.bare = shape[0] == "d" and len(shape) == 2  # a bare number ("d1".."d6")
        self.filled = False
        self.own: tuple[str, ...] = ()
        self.prev1: tuple[str, ...] = ()
        self.prev2: tuple[str, ...] = ()
        self.next1: tuple[str, ...] = ()
        self.next2: tuple[str, ...] = ()

    @property
    def kind(self) -> int:
        """What the position features ask of a neighbour, as bits (crf_native.c's K_* names). The compiled
        tagger keeps them per word; this path reads the strings instead, so only the parity tests ask."""
        low = self.low
        return (
            (low[0] == "<")
            | (low in _SENTENCE_END) << 1
            | (low in _OPENERS) << 2
            | (low == ":") << 3
            | self.bare << 4
            | self.word.islower() << 5
        )

    def fill(self, own: list[str], known: frozenset[str] | None) -> None:
        """The feature tuples (the compiled tagger packs them in C instead: `WordCache.fill`)."""
        low, shape, flags = self.low, self.shape, self.flags
        self.filled = True
        parts = (
            own,
            ["w-1=" + low, "sh-1=" + shape, "lx-1=" + flags],
            ["w-2=" + low, "sh-2=" + shape],
            ["w+1=" + low, "sh+1=" + shape, "lx+1=" + flags],
            ["w+2=" + low, "sh+2=" + shape],
        )
        self.own, self.prev1, self.prev2, self.next1, self.next2 = (_keep(part, known) for part in parts)


def _keep(feats: list[str], known: frozenset[str] | None) -> tuple[str, ...]:
    """The features a model has weights for (all of them when training: `known` is None)."""
    return tuple(feats if known is None else [f for f in feats if f in known])


@lru_cache(maxsize=1)
def load_cities(path: Path = CITIES_PATH) -> frozenset[str]:
    """Real towns and countries, lower-cased."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return frozenset(line.strip().lower() for line in f if line.strip())
    except FileNotFoundError:
        raise TaggerError(
            f"{path}: town list not found; rebuild it with `python -m tools.pii_lists.build_city_list` in a source checkout"
        ) from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        raise TaggerError(
            f"{path}: town list is damaged ({e}); rebuild it with "
            f"`python -m tools.pii_lists.build_city_list` in a source checkout"
        ) from None


class WordCache:
    LIMIT = 50_000  # distinct words remembered (bounded: a long scan sees many)

    def __init__(self, lexicon: Lexicon, known: frozenset[str] | None = None):
        """`known`: the attributes a trained model weighs; features outside it are dropped early,
        since handing a feature string to CRFsuite costs more than computing it. (The compiled tagger keeps
        its own cache in C: crf_native.Tagger, built from `lists`, `place_lengths` and `places` here.)"""
        self.lx = lexicon
        self.cities = load_cities()
        self.places = lexicon.places | self.cities
        self.known = known
        self.edge = _Word("<S>", "<S>", "<S>", "")
        self.edge.fill([], known)
        self.cache: dict[str, _Word] = {}
        # First words of the known places of several words, to try joins only where one can start.
        self.place_heads = frozenset(p.split(" ", 1)[0] for p in self.places if " " in p)
        # For each such first word, the lengths (4, 3, 2 words) of the places it opens: joins of other
        # lengths cannot be a known place, so they are not built.
        lengths: dict[str, set[int]] = {}
        for p in self.places:
            if " " in p:
                lengths.setdefault(p.split(" ", 1)[0], set()).add(len(p.split(" ")))
        self.place_lengths = {h: tuple(k for k in (4, 3, 2) if k in ks) for h, ks in lengths.items()}

    def lists(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """The word lists by their flag letters, in the order of a word's flags (`get`)."""
        lx = self.lx
        return (
            ("f", lx.first_names),
            ("l", lx.last_names),
            ("p", lx.places),
            ("g", self.cities),
            ("s", lx.street_words),
            ("a", lx.city_affixes),
            ("c", lx.common_words),
            ("t", _TITLES),
            ("m", _MONTHS),
        )

    def get(self, word: str) -> _Word:
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        if len(self.cache) >= self.LIMIT:
            self.cache.clear()
        if word[0] == "<":  # a line break token
            hit = _Word(word, word, word, "")
            self.cache[word] = hit
            return hit
        low = word.lower()
        lx = self.lx
        flags = "".join(
            (
                "f" if low in lx.first_names else "",
                "l" if low in lx.last_names else "",
                "p" if low in lx.places else "",
                "g" if low in self.cities else "",
                "s" if low in lx.street_words else "",
                "a" if low in lx.city_affixes else "",
                "c" if low in lx.common_words else "",
                "t" if low in _TITLES else "",
                "m" if low in _MONTHS else "",
            )
        )
        if word[0].isupper():
            wanted = 2 if "c" in flags else 1
        else:
            wanted = int(word[0].isalpha() and ("f" in flags or "l" in flags or "p" in flags) and "c" not in flags)
        hit = _Word(word, low, _shape(word), flags, wanted)
        self.cache[word] = hit
        return hit

    def fill(self, w: _Word) -> None:
        """Compute the feature tuples of a word from `get`."""
        word, low, flags = w.word, w.low, w.flags
        if word[0] == "<":
            w.fill(["w=" + word], self.known)
            return
        own = ["w=" + low, "sh=" + w.shape, "lx=" + flags]
        own += ["f:" + c for c in flags]
        if word.isalpha() and len(word) > 3:
            own += ["s3=" + low[-3:], "s4=" + low[-4:], "p3=" + low[:3]]
        if "-" in word:
            own.append("hy")
            if all(p in self.lx.first_names for p in low.split("-")):
                own.append("hy:f")  # "Jean-Luc", "Mary-Jane"
        own.append(f"len={min(len(word), 12)}")
        w.fill(own, self.known)

    def words(self, tokens: list[Token]) -> list[_Word]:
        texts = list(map(_TEXT, tokens))
        out: list[_Word | None] = list(map(self.cache.get, texts))  # most words are known: no Python per word
        for k in compress(range(len(out)), map(is_, out, repeat(None))):
            out[k] = self.get(texts[k])
        return cast("list[_Word]", out)  # every None was filled


_TEXT = itemgetter(2)  # of a Token
_START = itemgetter(0)
_LOW = attrgetter("low")
_BARE = attrgetter("bare")
_WANTED = attrgetter("wanted")


def _multiword_places(lows: list[str], cache: WordCache) -> set[int]:
    """Indexes of tokens inside a known place of 2-4 words ("new york", "san sebastián")."""
    inside: set[int] = set()
    n = len(lows)
    places, heads, lengths = cache.places, cache.place_heads, cache.place_lengths
    for i in compress(range(n - 1), map(heads.__contains__, lows)):  # only where a place can start
        for k in lengths[lows[i]]:
            if i + k <= n and " ".join(lows[i : i + k]) in places:
                inside.update(range(i, i + k))
                break
    return inside


class Prepared:
    """What the features of any token need from the whole text, computed once per text."""

    __slots__ = ("cache", "digits", "known", "lower_doc", "lower_seen", "lows", "multi", "padded", "tokens", "words")

    def __init__(self, tokens: list[Token], text: str, cache: WordCache, words: list[_Word] | None = None):
        self.cache = cache
        self.tokens = tokens
        self.words = words = words if words is not None else cache.words(tokens)
        self.lows = list(map(_LOW, words))
        self.multi = _multiword_places(self.lows, cache)
        self.lower_doc = not any(map(str.isupper, text))
        # Words the text also writes in lower case are ordinary words, capitalized or not.
        self.lower_seen = set(filter(str.islower, map(_TEXT, tokens)))
        self.digits = list(map(_BARE, words))  # a bare number
        self.padded = [cache.edge, cache.edge, *words, cache.edge, cache.edge]
        self.known = cache.known


def features(
    tokens: list[Token], text: str, cache: WordCache, start: int = 0, end: int | None = None, prepared: Prepared | None = None
) -> list[list[str]]:
    """Feature strings of tokens[start:end] (all by default): the word itself, then its context (two
    tokens either side, from the whole list). `prepared`: `Prepared(tokens, text, cache)`, when the
    caller asks for several ranges of one text."""
    ctx = prepared or Prepared(tokens, text, cache)
    stop = len(tokens) if end is None else end
    padded, known = ctx.padded, ctx.known
    out: list[list[str]] = []
    for i, f in zip(range(start, stop), position_features(ctx, start, stop)):
        w = padded[i + 2]
        if f is None:  # a line break
            out.append(["b", *w.own])
            continue
        p2, p1, n1, n2 = padded[i], padded[i + 1], padded[i + 3], padded[i + 4]
        if known is not None:
            f = list(filter(known.__contains__, f))
        out.append(["b", *w.own, *p1.prev1, *p2.prev2, *n1.next1, *n2.next2, *f])
    return out


def position_features(ctx: Prepared, start: int, stop: int) -> Iterator[list[str] | None]:
    """The features of tokens[start:stop] that are built per position (the conjunctions with the
    neighbours and the position flags; all of them, known to the model or not), None for a line break.
    Fills the cached features of the words start-2 .. stop+1."""
    tokens, words, lows, multi, lower_doc, lower_seen, digits, padded = (
        ctx.tokens,
        ctx.words,
        ctx.lows,
        ctx.multi,
        ctx.lower_doc,
        ctx.lower_seen,
        ctx.digits,
        ctx.padded,
    )
    n = len(tokens)
    fill = ctx.cache.fill
    for w in padded[start : stop + 4]:  # the words of tokens start-2 .. stop+1
        if not w.filled:
            fill(w)
    for i in range(start, stop):
        tok = tokens[i]
        w = words[i]
        low, shape = w.low, w.shape
        if low[0] == "<":
            yield None
            continue
        p2, p1, n1 = padded[i], padded[i + 1], padded[i + 3]
        # Built per position: the conjunctions and the position flags.
        f = ["w-1|sh=" + p1.low + "|" + shape, "sh|w+1=" + shape + "|" + n1.low, "sh3=" + p1.shape + "|" + shape + "|" + n1.shape]
        line_start = i == 0 or p1.low[0] == "<"
        if line_start:
            f += ["ls", "ls|sh=" + shape]
        if line_start or p1.low in _SENTENCE_END or (p1.low in _OPENERS and p2.low in _SENTENCE_END):
            f += ["ss", "ss|sh=" + shape, "ss|lx=" + w.flags]
        if p1.low == ":":
            f.append("after-colon")
            if i == 2 or (i > 2 and lows[i - 3][0] == "<"):
                f.append("after-label")  # "Name: X" at a line's start
        elif n1.low == ":" and line_start:
            f.append("label-like")  # "X:" opening a line: a speaker or a field name
        if i + 1 < n and tokens[i + 1].start == tok.end:
            f.append("glued+=" + n1.low)  # no space before the next token: "Anna:" "Leeds,"
        if i in multi:
            f.append("mp")
        if not lower_doc and low in lower_seen and not tok.text.islower():
            f.append("seen-lower")
        if True in digits[max(0, i - 3) : i]:
            f.append("dig-")
        if True in digits[i + 1 : i + 4]:
            f.append("dig+")
        if lower_doc:
            f += ["lowerdoc", "lowerdoc|lx=" + w.flags]
        yield f


def segments(tokens: list[Token], words: list[_Word]) -> list[tuple[int, int]]:
    """Token ranges the CRF labels: each word that could be part of a name or place (capitalized,
    unless an ordinary word opening a sentence; in lower case, a word from the name and place lists)
    with WINDOW tokens either side, overlapping ranges merged, at most MAX_SEQ tokens each. Other
    tokens are "O" without asking the model: that skips about half of the work on ordinary text."""
    out: list[tuple[int, int]] = []
    n = len(tokens)
    for i in compress(range(n), map(_WANTED, words)):  # the few words that may be a name
        wanted = words[i].wanted
        prev = words[i - 1].low if i else "<NL>"
        if wanted == 1 or not (prev[0] == "<" or prev in _SENTENCE_END):
            a, b = max(0, i - WINDOW), min(n, i + WINDOW + 1)
            if out and a <= out[-1][1] and b - out[-1][0] <= MAX_SEQ:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
    return out


@dataclass
class Tagged:
    tokens: list[Token]
    labels: list[str]
    confidence: list[float]  # marginal of each token's label (see NameTagger.tag)
    spans: list[tuple[str, int, int, float]]  # (entity, start, end, confidence)


def spans_of(tokens: list[Token], labels: list[str], confidence: list[float]) -> list[tuple[str, int, int, float]]:
    """BIO labels to character spans, confidence the lowest marginal of their words; an I- without
    its B- starts a span; punctuation at a span's end is left out ("Leeds," -> "Leeds")."""
    out = []
    run: list[int] = []

    def flush() -> None:
        while run and not tokens[run[-1]].text[0].isalnum():
            run.pop()
        if run:
            out.append(
                (ENTITY_OF[labels[run[0]][2:]], tokens[run[0]].start, tokens[run[-1]].end, min(confidence[k] for k in run))
            )
        run.clear()

    # Only the labelled tokens are visited: a gap between two of them is an "O" and ends the run.
    for k in compress(range(len(labels)), map(_NOT_O, labels)):
        lab = labels[k]
        if run and (k != run[-1] + 1 or lab[0] == "B" or lab[2:] != labels[run[0]][2:]):
            flush()
        run.append(k)
    flush()
    return out


_NOT_O = "O".__ne__


def read_model(path: Path) -> bytes:
    """The CRFsuite bytes inside a model file; TaggerError (one line, naming the file) if it is
    missing, damaged or for other features."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        raise TaggerError(
            f"{path}: name tagger model not found; rebuild it with `python -m tools.name_tagger.train` in a source checkout"
        ) from None
    except (OSError, EOFError, zlib.error) as e:
        raise TaggerError(
            f"{path}: name tagger model is damaged ({e}); rebuild it with "
            f"`python -m tools.name_tagger.train` in a source checkout"
        ) from None
    head, _, model = raw.partition(b"\n")
    fields = head[len(_MAGIC) :].decode("ascii", "replace").split(" ")
    if not head.startswith(_MAGIC) or len(fields) != 2:
        raise TaggerError(f"{path}: not a name tagger model (bad header)")
    got, digest = fields
    if hashlib.sha256(model).hexdigest() != digest:
        raise TaggerError(
            f"{path}: name tagger model is damaged (digest mismatch); rebuild it with "
            f"`python -m tools.name_tagger.train` in a source checkout"
        )
    if got != FEATURES_VERSION:
        raise TaggerError(
            f"{path}: model was trained on features v{got}, this code computes "
            f"v{FEATURES_VERSION}; rebuild it with `python -m tools.name_tagger.train` in a source "
            f"checkout"
        )
    return model


def write_model(path: Path, model: bytes) -> None:
    # mtime=0: the same model gives the same file bytes
    head = _MAGIC + f"{FEATURES_VERSION} {hashlib.sha256(model).hexdigest()}\n".encode()
    data = gzip.compress(head + model, compresslevel=9, mtime=0)
    path.write_bytes(data)


# CRFsuite's model file (crf1d, little-endian): a 48-byte header whose 8th field is the offset of the
# features chunk, "FEAT" + size + count, then per feature type (0 state, 1 transition), source (attribute
# or label id), destination label id and the weight as a double.
_HEADER = struct.Struct("<4sI4s9I")
_CHUNK = struct.Struct("<4sII")
_FEATURE = struct.Struct("<IIId")


class Weights(NamedTuple):
    """A CRFsuite model's weights as crf_native takes them. Attribute ids are CRFsuite's plus one: id 0
    is a feature the model does not know, with a row of zeros."""

    index: dict[str, int]  # attribute -> id
    state: bytes  # (attributes + 1) x labels doubles
    transitions: bytes  # labels x labels doubles
    labels: tuple[str, ...]  # by CRFsuite's label id


def read_weights(model: bytes, info: Any) -> Weights:
    """The exact weights of a CRFsuite model (`Tagger.info()` prints them with six decimals only), read
    from the model bytes and checked against `info`: names from `info`, weights from the file."""
    labels = tuple(sorted(info.labels, key=lambda k: int(info.labels[k])))
    attrs = {name: int(i) for name, i in info.attributes.items()}
    n_labels, n_attrs = len(labels), len(attrs)
    try:
        magic, _, _, _, _, h_labels, h_attrs, off, *_ = _HEADER.unpack_from(model, 0)
        chunk, size, count = _CHUNK.unpack_from(model, off)
    except struct.error:
        raise TaggerError("name tagger model is damaged (truncated header)") from None
    if (
        magic != b"lCRF"
        or chunk != b"FEAT"
        or (h_labels, h_attrs) != (n_labels, n_attrs)
        or sorted(attrs.values()) != list(range(n_attrs))
        or _CHUNK.size + count * _FEATURE.size > size
        or off + size > len(model)
    ):
        raise TaggerError("name tagger model is damaged (features table)")
    state = [0.0] * ((n_attrs + 1) * n_labels)
    trans = [0.0] * (n_labels * n_labels)
    names = {i: name for name, i in attrs.items()}
    n_state = 0
    for kind, src, dst, w in _FEATURE.iter_unpack(model[off + _CHUNK.size : off + _CHUNK.size + count * _FEATURE.size]):
        if kind == 0 and src < n_attrs and dst < n_labels:
            shown = info.state_features.get((names[src], labels[dst]))
            state[(src + 1) * n_labels + dst] = w
            n_state += 1
        elif kind == 1 and src < n_labels and dst < n_labels:
            shown = info.transitions.get((labels[src], labels[dst]))
            trans[src * n_labels + dst] = w
        else:
            shown = None
        if shown is None or abs(shown - w) > 6e-7:  # the dump rounds to six decimals
            raise TaggerError("name tagger model is damaged (features table disagrees with CRFsuite)")
    if n_state != len(info.state_features) or count - n_state != len(info.transitions):
        raise TaggerError("name tagger model is damaged (features table disagrees with CRFsuite)")
    return Weights(
        {name: i + 1 for name, i in attrs.items()},
        struct.pack(f"<{len(state)}d", *state),
        struct.pack(f"<{len(trans)}d", *trans),
        labels,
    )


def compiled_available() -> bool:
    """crf_native was built, and AIRCLUSTER_NAME_TAGGER_COMPILED does not turn it off (0, off, no)."""
    return crf_native is not None and os.environ.get("AIRCLUSTER_NAME_TAGGER_COMPILED", "").lower() not in ("0", "off", "no")


class NameTagger:
    def __init__(self, model: bytes, lexicon: Lexicon, version: str, compiled: bool | None = None):
        """`compiled`: inference in C (crf_native) or through python-crfsuite; None: C when it was built
        and not turned off (`compiled_available`)."""
        import pycrfsuite

        # pycrfsuite is a compiled module that declares no attributes to type checkers
        self._tagger = pycrfsuite.Tagger()  # pyright: ignore[reportAttributeAccessIssue]
        self._model = model  # CRFsuite reads this buffer in place: it must outlive the tagger
        try:
            self._tagger.open_inmemory(model)
        except ValueError as e:  # crfsuite says no more than "Invalid model"
            raise TaggerError(f"name tagger model is not a CRFsuite model ({e})") from None
        info = self._tagger.info()
        known = frozenset(a for a, _ in info.state_features)
        if compiled is None:
            compiled = compiled_available()
        if compiled and crf_native is None:
            raise TaggerError("the compiled name tagger (crf_native) was not built; reinstall with a C compiler")
        self.compiled = compiled
        self._cache = WordCache(lexicon, known)
        self._native: NativeTagger | None = None
        if compiled and crf_native is not None:
            weights = read_weights(model, info)
            names = [b""] * (len(weights.index) + 1)  # by id; id 0 is no attribute
            for name, i in weights.index.items():
                names[i] = name.encode("utf-8", "surrogatepass")
            try:
                crf = crf_native.Model(weights.state, weights.transitions, weights.labels, names)
            except ValueError as e:  # more labels than it takes, or names that repeat: not this tagger's model
                raise TaggerError(f"name tagger model does not fit the compiled tagger ({e})") from None
            cache = self._cache
            self._native = crf_native.Tagger(
                crf,
                Token,
                NL,
                NL2,
                cache.lists(),
                lexicon.first_names,
                cache.place_lengths,
                cache.places,
                WordCache.LIMIT,
                MAX_SEQ,
                WINDOW,
                ENTITY_OF,
            )
        self._items = pycrfsuite.ItemSequence  # pyright: ignore[reportAttributeAccessIssue]
        self.version = version

    @classmethod
    def load(cls, lexicon: Lexicon, path: Path = MODEL_PATH, compiled: bool | None = None) -> NameTagger:
        model = read_model(path)
        try:
            return cls(model, lexicon, hashlib.sha256(model).hexdigest()[:12], compiled)
        except TaggerError as e:
            raise TaggerError(f"{path}: {e}") from None

    def tag(self, text: str, probe: list[tuple[int, int]] | None = None) -> Tagged:
        """Labels and spans of `text`. Words labelled "O" get the marginal of "O" only inside the
        character ranges in `probe` (all of them for None), 1.0 elsewhere: most words are "O" and
        the calls add up."""
        if self._native is not None:  # all of it in C (crf_native.Tagger)
            return Tagged(*self._native.tag(text, probe))
        tokens = tokenize(text)
        if not tokens:
            return Tagged([], [], [], [])
        labels = ["O"] * len(tokens)
        conf = [1.0] * len(tokens)
        words = self._cache.words(tokens)
        ranges = segments(tokens, words)
        if not ranges:
            return Tagged(tokens, labels, conf, [])
        prepared = Prepared(tokens, text, self._cache, words)
        starts = list(map(_START, tokens))
        probed = (
            None
            if probe is None
            else sorted({k for x, z in probe for k in range(bisect_left(starts, x), bisect_left(starts, z))})
        )
        for a, b in ranges:
            ys, marginal = self._window_crfsuite(tokens, text, prepared, a, b)
            labels[a:b] = ys
            if probed is None:
                asked: Iterable[int] = range(len(ys))
            else:  # the words labelled a name, and the probed ones in this range (marginals are read in any order)
                inside = probed[bisect_left(probed, a) : bisect_left(probed, b)]
                asked = {*compress(range(len(ys)), map(_NOT_O, ys)), *(k - a for k in inside)}
            for k in asked:
                if tokens[a + k].text[0].isalnum():
                    conf[a + k] = marginal(k)
        return Tagged(tokens, labels, conf, spans_of(tokens, labels, conf))

    def _window_crfsuite(
        self, tokens: list[Token], text: str, prepared: Prepared, a: int, b: int
    ) -> tuple[list[str], Callable[[int], float]]:
        """Labels of tokens[a:b] and the marginal of the label at each, by python-crfsuite."""
        # An explicit ItemSequence: half the cost of handing the lists to tag() directly.
        ys = self._tagger.tag(self._items(features(tokens, text, self._cache, a, b, prepared)))
        marginal = self._tagger.marginal
        return ys, lambda k: marginal(ys[k], k)
