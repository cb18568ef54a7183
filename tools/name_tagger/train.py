"""Train the PERSON/LOCATION tagger (`aircluster/privacy/detect/tagger.py`) on the project's own posts and others' labeled text.

From the repository root (see tools/name_tagger/README.md):

    python -m tools.name_tagger.train [--n 2500] [--seed 900001] [--prose 0] [--silver JSONL] [--out PATH]
                                      [--families tuning,heldout,blind,fresh,sealed,vault]
                                      [--usaddress DIR [--address-copies 2] [--address-holdout K]]
                                      [--probablepeople DIR [--name-lists 0]]

Deterministic: the same arguments give the same model bytes, and the defaults rebuild the shipped
model byte for byte (check: `python -m tools.name_tagger.train --out /tmp/m.crf.gz && cmp
/tmp/m.crf.gz aircluster/privacy/detect/data/name_tagger.crf.gz`; without --out it rewrites the shipped
file). `--silver JSONL` adds whole books labeled by `silver.py` (a candidate, not shipped: see the README). The corpus is posts from the six development families in `evals/pii/synth.py`, `synth_fresh.py`,
`synth_sealed.py` and `synth_vault.py` (seeds far from the evaluation's), the general sentences in
`corpus.py` (with `--prose N`, also N posts of English prose per family post from `prose.py`, never the
text of `evals/prose`: see evals/prose/README.md for why the shipped model is trained without them),
with `--usaddress DIR` / `--probablepeople DIR` labeled text written by others (`sources.py`: US postal addresses
and names from two MIT-licensed PyPI sdists, read from the unpacked folders; never the addresses of evals/prose's
unseen3), and augmented copies that take away what a template gives for free, so the model
learns cues that carry over to text it has never seen:
  - names and places swapped for others from many locales, keeping their written form (a title,
    capitals, lower case, a first name alone), half of them absent from the shipped word lists;
  - whole posts lower-cased or upper-cased (the model must lean on context, not capitals);
  - lines shuffled (no fixed order of greeting, body, signature);
  - lines without any PII turned into Title Case headlines (capitals alone make no name);
  - "The hostel was fine" written "Hostel was fine" (a sentence may open on a capitalized noun).
Only the stretches the tagger labels at run time are trained on (`tagger.segments`). All six families
are development data; the blind evaluation family ("harbor") is never used here. To see how the
tagger does on a style it never saw, train without one family (`--families`) and score that family
with `bench/name_tagger_eval.py` (leave one out). The synthetic families write some dates relative to
today: the corpus is generated as on CORPUS_DAY (`evals.pii.clock.faker_today`) so that the model does not change
with the date it is rebuilt on.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aircluster.privacy.detect.lexicon import Lexicon, load_lexicon
from aircluster.privacy.detect.tagger import (
    FEATURES_VERSION,
    MODEL_PATH,
    Prepared,
    Token,
    WordCache,
    features,
    load_cities,
    segments,
    tokenize,
    write_model,
)
from evals.pii.clock import faker_today
from tools.name_tagger.corpus import general_posts, place_case
from tools.name_tagger.prose import prose_posts
from tools.name_tagger.sources import SourceError, address_label_posts, probablepeople_names, usaddress_posts

FAMILIES = ("tuning", "heldout", "blind", "fresh", "sealed", "vault")
DEFAULT_SEED = 900001  # bench/pii_eval.py uses 20261 (and +99, +1): far from these
DEFAULT_N = 2500  # posts per family
CORPUS_DAY = date(2026, 1, 1)  # "today" for the relative dates in the synthetic posts
# Swap pools: the locales of the synthetic posts and others whose names people write in Latin script.
SWAP_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "fr_CH",
    "es_ES",
    "es_MX",
    "it_IT",
    "nl_NL",
    "pt_PT",
    "pt_BR",
    "pl_PL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "cs_CZ",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "en_IN",
    "hr_HR",
    "sk_SK",
)
_UNSTABLE_CITIES = {"it_IT"}  # Faker's it_IT city() differs between runs with one seed
TRAIN_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True, "feature.minfreq": 2}

Span = tuple[str, int, int]  # (PERSON | LOCATION, start, end)
Post = tuple[str, list[Span]]


# ---- posts ---------------------------------------------------------------------------------------


class SwapPools:
    """Names and towns from many locales, by written form, to put in place of the posts' own."""

    def __init__(self, seed: int, lexicon: Lexicon, size: int = 4000):
        from faker import Faker

        rng = random.Random(seed)
        self.first: list[str] = []
        self.last: list[str] = []
        self.cities: list[str] = []
        self.titles = ["Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Prof.", "Herr", "Frau", "Mme", "M.", "Sr.", "Sra."]
        for i, loc in enumerate(SWAP_LOCALES):
            f = Faker(loc)
            f.seed_instance(seed + i)
            k = size // len(SWAP_LOCALES)
            self.first += [f.first_name() for _ in range(k)]
            self.last += [f.last_name() for _ in range(k)]
            if loc not in _UNSTABLE_CITIES:
                self.cities += [f.city() for _ in range(k // 2)]
        # Real towns too (Faker's are often made up): from the shipped list, written as towns are.
        real = sorted(p for p in lexicon.places | load_cities() if p.replace(" ", "").replace("-", "").isalpha())
        self.cities += [place_case(p) for p in rng.sample(real, min(len(real), len(self.cities)))]
        for pool in (self.first, self.last, self.cities):
            pool[:] = sorted({w.strip() for w in pool if w.strip() and "\n" not in w})
            rng.shuffle(pool)
        self.rng = rng

    def person_like(self, old: str) -> str:
        """A new name written the way `old` is: title + surname, first name alone, "Last, First"..."""
        r = self.rng
        words = old.split()
        first, last = r.choice(self.first), r.choice(self.last)
        if words and words[0].rstrip(".").lower() in (
            "dr",
            "mr",
            "mrs",
            "ms",
            "prof",
            "herr",
            "frau",
            "mme",
            "m",
            "sr",
            "sra",
            "miss",
            "sir",
        ):
            new = f"{words[0]} {last}"
        elif "/" in words[0] and not words[0].startswith("/"):  # airline form "OKAFOR/JOHN MR"
            new = " ".join([f"{last}/{first}"] + words[1:])
        elif len(words) == 1:
            new = first if r.random() < 0.8 else last
        elif "," in old:
            new = f"{last}, {first}"
        elif len(words) == 3 and len(words[1].rstrip(".")) == 1:
            new = f"{first} {words[1]} {last}"
        else:
            new = f"{first} {last}"
        if old.isupper():
            new = new.upper()
        elif old.islower():
            new = new.lower()
        return new

    def city(self) -> str:
        return self.rng.choice(self.cities)


def swap_entities(post: Post, pools: SwapPools, rate: float) -> Post:
    """Replace about `rate` of the names, and of the bare towns (no digits), with others from the pools."""
    text, spans = post
    r = pools.rng
    pieces: list[str] = []
    new_spans: list[Span] = []
    pos = 0
    shift = 0
    for entity, start, end in sorted(spans, key=lambda s: s[1]):
        old = text[start:end]
        new = old
        if r.random() < rate:
            if entity == "PERSON":
                new = pools.person_like(old)
            elif not any(c.isdigit() for c in old) and "," not in old and len(old.split()) <= 3:
                new = pools.city()
                new = new.lower() if old.islower() else new.upper() if old.isupper() else new
        pieces.append(text[pos:start])
        pieces.append(new)
        new_spans.append((entity, start + shift, start + shift + len(new)))
        shift += len(new) - len(old)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), new_spans


def change_case(post: Post, upper: bool) -> Post:
    text, spans = post
    # str.lower/upper can change lengths ("ß" -> "SS"): keep offsets by mapping per character
    new = "".join((c.upper() if upper else c.lower()) if len(c.upper() if upper else c.lower()) == 1 else c for c in text)
    return new, spans


def shuffle_lines(post: Post, rng: random.Random) -> Post | None:
    """The post's lines in another order; None when a span crosses a line break."""
    text, spans = post
    lines = []
    pos = 0
    for part in text.split("\n"):
        lines.append((pos, pos + len(part)))
        pos += len(part) + 1
    if len(lines) < 3 or any("\n" in text[s:e] for _, s, e in spans):
        return None
    order = list(range(len(lines)))
    rng.shuffle(order)
    out_text: list[str] = []
    out_spans: list[Span] = []
    offset = 0
    for k, li in enumerate(order):
        a, b = lines[li]
        if k:
            out_text.append("\n")
            offset += 1
        out_text.append(text[a:b])
        out_spans += [(e, s - a + offset, t - a + offset) for e, s, t in spans if a <= s and t <= b]
        offset += b - a
    return "".join(out_text), out_spans


def headline_lines(post: Post, all_gold: list[tuple[int, int]], rng: random.Random) -> Post:
    """Title-case one line that holds no gold span of any entity (offsets stay: only case changes)."""
    text, spans = post
    cands = []
    pos = 0
    for part in text.split("\n"):
        a, b = pos, pos + len(part)
        if len(part.split()) >= 3 and not any(s < b and a < t for s, t in all_gold):
            cands.append((a, b))
        pos = b + 1
    if not cands:
        return post
    a, b = rng.choice(cands)
    words = text[a:b].split(" ")
    titled = " ".join(w[:1].upper() + w[1:] if w else w for w in words)
    return text[:a] + titled + text[b:], spans


_ARTICLE_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The|A|An|My|Our|This) ([a-z][a-z]+)")


def drop_articles(post: Post, all_gold: list[tuple[int, int]]) -> Post:
    """ "The hostel was fine" -> "Hostel was fine": sentences that open on a capitalized ordinary
    noun, as casual writing does (only where no gold span of any entity is touched)."""
    text, spans = post
    out: list[str] = []
    pos = shift = 0
    moved: list[tuple[int, int]] = []  # (offset in the old text, shift from there on)
    for m in _ARTICLE_START.finditer(text):
        if any(s < m.end() and m.start() < t for s, t in all_gold):
            continue
        noun = m.group(1)
        out += [text[pos : m.start()], noun[0].upper() + noun[1:]]
        shift -= m.start(1) - m.start()
        moved.append((m.end(), shift))
        pos = m.end()
    if not moved:
        return post
    out.append(text[pos:])

    def at(offset: int) -> int:
        d = 0
        for where, sh in moved:
            if offset >= where:
                d = sh
        return offset + d

    return "".join(out), [(e, at(s), at(t)) for e, s, t in spans]


# ---- corpus --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Borrowed:
    """Labeled text written by others (`sources.py`): the folders it is read from and how much of it."""

    usaddress: Path | None = None  # usaddress's `training` folder
    probablepeople: Path | None = None  # probablepeople's `name_data/labeled` folder
    address_copies: int = 2  # each address this many times (as typed, then in capitals or lower case)
    name_lists: int = 0  # lists of names, one a line
    address_holdout: int = 0  # leave every K-th address out (to check on: `python -m tools.name_tagger.holdout`)


def borrowed_posts(borrowed: Borrowed, seed: int) -> list[Post]:
    """The posts made of `borrowed`'s sources (none when no folder is given); raises SourceError."""
    addresses = usaddress_posts(borrowed.usaddress, holdout=borrowed.address_holdout) if borrowed.usaddress else []
    people, firms = probablepeople_names(borrowed.probablepeople) if borrowed.probablepeople else ([], [])
    return address_label_posts(addresses, people, firms, seed, borrowed.address_copies, borrowed.name_lists)


# evals/prose parts that may be trained on: the parts scored already (development parts now). A part not scored yet is
# held out, and never read here.
TRAINABLE_PROSE_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 11)))  # unseen2 .. unseen10
PROSE_DIR = Path(__file__).resolve().parents[2] / "evals" / "prose"


def evals_prose_posts(parts: Iterable[str], seed: int, folder: Path = PROSE_DIR) -> list[Post]:
    """The labeled documents of these evals/prose parts (text written by others, labeled by hand) with their PERSON and
    LOCATION spans, each once as written and once with its names and towns swapped for others (so the model learns
    the sentence around a name, not the name)."""
    import json

    pools = SwapPools(seed, load_lexicon())
    posts: list[Post] = []
    for part in parts:
        if part not in TRAINABLE_PROSE_PARTS:
            raise SourceError(f"evals/prose part {part!r} is held out or unknown; trainable: {', '.join(TRAINABLE_PROSE_PARTS)}")
        files = sorted(folder.glob(f"*_{part}.jsonl"))
        if not files:
            raise SourceError(f"{folder}: no *_{part}.jsonl files")
        for path in files:
            for line in path.read_text(encoding="utf-8").splitlines():
                doc = json.loads(line)
                spans = [(s["type"], s["start"], s["end"]) for s in doc["spans"] if s["type"] in ("PERSON", "LOCATION")]
                post = (doc["text"], spans)
                posts.append(post)
                posts.append(swap_entities(post, pools, 0.7))
    return posts


def silver_posts(path: Path) -> list[Post]:
    """The posts `tools.name_tagger.silver` wrote: a JSON object a line, its text and [type, start, end] spans."""
    import json

    posts: list[Post] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise SourceError(f"{path}: {e.strerror}") from None
    for n, line in enumerate(lines, 1):
        try:
            doc = json.loads(line)
            posts.append((doc["text"], [(str(e), int(a), int(b)) for e, a, b in doc["spans"]]))
        except (ValueError, KeyError, TypeError):
            raise SourceError(f"{path}:{n}: not a silver post (text and [type, start, end] spans)") from None
    return posts


def corpus(
    n: int, seed: int, families: Iterable[str] = FAMILIES, prose: int = 0, borrowed: Iterable[Post] = ()
) -> Iterator[Post]:
    """Posts with PERSON/LOCATION spans: each family's posts, general sentences, augmented copies, and
    the posts of labeled text by others in `borrowed` (see `borrowed_posts`)."""
    from evals.pii.synth import generate_posts

    rng = random.Random(seed)
    pools = SwapPools(seed, load_lexicon())
    for k, family in enumerate(families):
        fam_seed = seed + 1000 * (k + 1)
        raw = list(generate_posts(n, fam_seed, template_set=family))
        raw += list(generate_posts(max(1, n // 5), fam_seed + 500, name_pool="unseen", template_set=family))
        for text, gold in raw:
            post = (text, [(g.entity, g.start, g.end) for g in gold if g.entity in ("PERSON", "LOCATION")])
            all_gold = [(g.start, g.end) for g in gold]
            yield post
            aug = swap_entities(post, pools, 0.7)
            u = rng.random()
            if u < 0.08:
                aug = change_case(aug, upper=False)
            elif u < 0.12:
                aug = change_case(aug, upper=True)
            elif u < 0.35:
                aug = shuffle_lines(aug, rng) or aug
            elif u < 0.45:  # these two edit the post as generated: `all_gold` is its spans
                aug = headline_lines(post, all_gold, rng)
            elif u < 0.6:
                aug = drop_articles(post, all_gold)
            if aug != post:
                yield aug
    yield from general_posts(2 * n, seed + 77)
    if prose:
        yield from prose_posts(prose * n, seed + 88)
    yield from borrowed


def bio(text: str, spans: list[Span], tokens: list[Token]) -> list[str]:
    """BIO labels of `tokens`: a token takes the entity of a span it overlaps; B- at a span's first."""
    tag = {"PERSON": "PER", "LOCATION": "LOC"}
    labels = ["O"] * len(tokens)
    ordered = sorted(spans, key=lambda s: s[1])
    j = 0
    for i, tok in enumerate(tokens):
        if tok.text[0] == "<":
            continue
        while j < len(ordered) and ordered[j][2] <= tok.start:
            j += 1
        if j < len(ordered) and ordered[j][1] < tok.end:
            entity, start, _ = ordered[j]
            first = tok.start <= start or i == 0 or labels[i - 1] == "O"
            labels[i] = ("B-" if first else "I-") + tag[entity]
    return labels


def train(posts: Iterable[Post], out: Path, lexicon: Lexicon, params: dict | None = None) -> dict[str, float]:
    """Train on `posts` and write the model file to `out`; returns counts and timings."""
    import pycrfsuite

    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)  # pyright: ignore[reportAttributeAccessIssue]  (a compiled module)
    cache = WordCache(lexicon)
    n_posts = n_tokens = 0
    for text, spans in posts:
        tokens = tokenize(text)
        labels = bio(text, spans, tokens)
        # The same stretches the tagger will label (see `tagger.segments`), so training sees what
        # inference sees.
        words = cache.words(tokens)
        prepared = Prepared(tokens, text, cache, words)
        for a, b in segments(tokens, words):
            trainer.append(features(tokens, text, cache, a, b, prepared), labels[a:b])
            n_tokens += b - a
        n_posts += 1
    t1 = time.perf_counter()
    trainer.set_params({**TRAIN_PARAMS, **(params or {})})
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.crfsuite")
        trainer.train(path)
        model = Path(path).read_bytes()
    write_model(out, model)
    return {
        "posts": n_posts,
        "tokens": n_tokens,
        "features_s": t1 - t0,
        "train_s": time.perf_counter() - t1,
        "model_bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=DEFAULT_N, help="posts per synthetic family")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument(
        "--families", default=",".join(FAMILIES), help="comma-separated template families to train on (leave one out to measure)"
    )
    ap.add_argument("--prose", type=int, default=0, help="English prose posts (prose.py) per family post (default 0)")
    ap.add_argument("--usaddress", type=Path, metavar="DIR", help="usaddress 0.5.16's training folder (README.md)")
    ap.add_argument("--probablepeople", type=Path, metavar="DIR", help="probablepeople 0.5.6's name_data/labeled folder")
    ap.add_argument("--address-copies", type=int, default=2, help="times each usaddress address is trained on (default 2)")
    ap.add_argument("--name-lists", type=int, default=0, help="lists of probablepeople names, one a line (default 0)")
    ap.add_argument("--address-holdout", type=int, default=0, metavar="K", help="leave every K-th address out (0: none)")
    ap.add_argument(
        "--evals-prose",
        default="",
        metavar="PARTS",
        help="comma-separated evals/prose parts scored already to train on too (text by others, labeled by hand)",
    )
    ap.add_argument(
        "--silver", type=Path, metavar="JSONL", help="whole books labeled by tools.name_tagger.silver (one sense a word a book)"
    )
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    families = [f for f in args.families.split(",") if f]
    bad = [f for f in families if f not in FAMILIES]
    if bad:
        raise SystemExit(f"name_tagger.train: unknown families {bad}; known: {', '.join(FAMILIES)}")
    if args.address_copies < 1 or args.name_lists < 0 or args.address_holdout == 1 or args.address_holdout < 0:
        raise SystemExit(
            "name_tagger.train: --address-copies must be 1 or more, --name-lists 0 or more, --address-holdout 0 or 2 or more"
        )
    borrowed = Borrowed(args.usaddress, args.probablepeople, args.address_copies, args.name_lists, args.address_holdout)
    try:  # read before the minutes of training, so a wrong folder fails at once and writes nothing
        extra = borrowed_posts(borrowed, args.seed + 99)
        extra += evals_prose_posts([p for p in args.evals_prose.split(",") if p], args.seed + 111)
        extra += silver_posts(args.silver) if args.silver else []
    except SourceError as e:
        raise SystemExit(f"name_tagger.train: {e}") from None
    with faker_today(CORPUS_DAY):
        stats = train(corpus(args.n, args.seed, families, args.prose, extra), args.out, load_lexicon())
    if extra:
        print(f"borrowed: {len(extra)} posts from usaddress/probablepeople/evals prose")
    print(
        f"wrote {args.out} (features v{FEATURES_VERSION}): {stats['posts']} posts, {stats['tokens']} tokens, "
        f"{stats['model_bytes'] / 1e6:.2f} MB, features {stats['features_s']:.0f} s, "
        f"training {stats['train_s']:.0f} s"
    )


if __name__ == "__main__":
    main()
