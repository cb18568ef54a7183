"""Draw one source of the twenty-second unseen part from a public figure's tweets as a data-science course ships them,
and write it labeled.

    python -m evals.prose.build_unseen22_tweets --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen22_tweets --root DIR --write            # draws again, applies
                                                                             # unseen22_tweets_labels.json, writes
                                                                             # tweets_unseen22.jsonl beside this file

DIR holds Debian's `r-cran-dslabs` 0.7.4-1 unpacked, not installed (`apt-get download r-cran-dslabs`, then `dpkg-deb -x
r-cran-dslabs_0.7.4-1_all.deb DIR`); see README.md for its sha256. Its `usr/share/doc/r-cran-dslabs/copyright` puts
`Files: *` under Artistic-2.0 (Rafael A. Irizarry and Amy Gill); the tweets are their author's posts (Donald Trump's
account, 2009-2017), collected by the Trump Twitter Archive, as the package's script `script/make-trump_tweets.R`
downloads them (it drops retweets and tweets opening with a quotation mark). Only the data frame `trump_tweets` of the
package's R lazy-load database (`usr/lib/R/site-library/dslabs/data/Rdata.rdx` and `Rdata.rdb`) is read, without R
(`rlazyload.unserialize`): its columns `text`, `created_at` (seconds since 1970) and `id_str`; 20,761 tweets.

Documents: the tweets are put in order of `created_at` (then `id_str`); each tweet's text is taken as stored, the three
HTML entities the archive left in it undone ("&amp;", "&lt;", "&gt;"; "&" is written both ways in the data), its outer
white space trimmed. From the first tweet on, a tweet of 80 characters or more is a document of its own; a shorter one
is joined with the next tweet (a newline between), and with the one after that when the two are still under 80
characters; a run of three still under 80 characters is no document, and the walk goes on after it. Documents of 80-600
characters are kept (no three-lower-case-words test: a tweet in capitals for emphasis is kept), a text met twice once.
Document id `tweet-<id_str>` of its first tweet; its year is its first tweet's, in US Eastern Standard Time (UTC-5, as the
package's script parses the dates).

Pools by loose cues read on the text alone, a document in the first pool whose cue it has: a person with a title
("Mr.", "Mrs.", "Ms.", "Dr.", "President", "Governor", "Gov.", "Senator", "Sen.", "Mayor", "Secretary", "Speaker",
"General", "Gen." before a capitalized word), a place ("in", "at", "from", "to", "near" before a capitalized word), two
capitalized words in a row (neither "I"), a mention ("@" before a letter), a link (a URL with its scheme, or an e-mail
address) and the rest. COUNTS says how many each pool gives; the builder draws with a fixed seed, each pool's shuffled
documents taken in turn, a document skipped when its year already has YEAR_CAP documents (so no year is more than about a
fifth of the source). No document is the text of a document of another part, holds one or is a piece of one
(OTHER_PARTS, and any other source of unseen22, `*_unseen22.jsonl` but this one's file). Labels
(`unseen22_tweets_labels.json`, written before any scoring, by reading each document): per document id, a list of [type,
kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import struct
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS
from evals.prose.labels import HERE, Taken, builder_main, first_missing, first_pool, one_space, texts_of
from evals.prose.rlazyload import unserialize

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 22)))  # unseen2 .. unseen21
SEED = 20262223
PART = "unseen22"
SOURCE = "tweets"
LABELS = "unseen22_tweets_labels.json"
BUILDER = "build_unseen22_tweets"
DATA = "usr/lib/R/site-library/dslabs/data"
INDEX = f"{DATA}/Rdata.rdx"
DATABASE = f"{DATA}/Rdata.rdb"
NEEDED = ((INDEX, "r-cran-dslabs"), (DATABASE, "r-cran-dslabs"))
OBJECT = "trump_tweets"
EST = 5 * 3600  # the package's script reads the dates in tz "EST"
MAX_TWEETS = 3  # a document joins at most this many short tweets
ENTITIES = (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"))
TITLES = r"Mr\.|Mrs\.|Ms\.|Dr\.|President|Governor|Gov\.|Senator|Sen\.|Mayor|Secretary|Speaker|General|Gen\."
CUES = {
    "title": re.compile(rf"(?<![\w@#])(?:{TITLES}) [A-Z][a-z]"),
    "place": re.compile(r"\b(?:in|at|from|to|near) [A-Z][a-z]"),
    "pair": re.compile(r"(?<![\w@#])(?!I )[A-Z][a-z]+ (?!I\b)[A-Z][a-z]+"),
    "mention": re.compile(r"@[A-Za-z]"),
    "link": re.compile(r"\b(?:https?|ftp)://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
}
POOLS = ("title", "place", "pair", "mention", "link", "rest")
# Documents each pool gives
COUNTS = {"title": 40, "place": 40, "pair": 40, "mention": 30, "link": 16, "rest": 14}
YEAR_CAP = 36  # documents of one year at most (2013 alone holds over a quarter of the tweets)


def tweets(root: Path) -> list[tuple[float, str, str]]:
    """(created_at, id_str, text) of every tweet of `trump_tweets`, as stored: dslabs's database holds many data
    frames; the index names where each is, a length then a zlib stream."""
    try:
        index = unserialize(gzip.decompress((root / INDEX).read_bytes()))
        offset, length = index["variables"][OBJECT]
        data = (root / DATABASE).read_bytes()
        frame = unserialize(zlib.decompress(data[offset + 4 : offset + length]))
        rows = list(zip(frame["created_at"], frame["id_str"], frame["text"], strict=True))
    except (zlib.error, struct.error, KeyError, TypeError, IndexError, gzip.BadGzipFile) as e:
        raise ValueError(f"{root / DATABASE} is not dslabs's database ({e})") from None
    return [(float(c), str(i), t) for c, i, t in rows if isinstance(t, str)]


def clean(text: str) -> str:
    for entity, char in ENTITIES:
        text = text.replace(entity, char)
    return text.strip()


def year(created_at: float) -> int:
    return datetime.fromtimestamp(created_at - EST, tz=UTC).year


def documents(rows: list[tuple[float, str, str]]) -> list[tuple[str, int, str]]:
    """(id, year, text) of the documents, in order of time: a tweet, or two or three short ones joined."""
    ordered = sorted(rows, key=lambda r: (r[0], r[1]))
    out: list[tuple[str, int, str]] = []
    k = 0
    while k < len(ordered):
        created, tweet_id, _ = ordered[k]
        text = clean(ordered[k][2])
        n = 1
        while len(text) < MIN_CHARS and n < MAX_TWEETS and k + n < len(ordered):
            text += "\n" + clean(ordered[k + n][2])
            n += 1
        if MIN_CHARS <= len(text) <= MAX_CHARS:
            out.append((f"tweet-{tweet_id}", year(created), text))
        k += n
    return out


def taken_texts() -> Taken:
    """The texts of the other parts, and of unseen22's other sources (whichever are written)."""
    texts = texts_of(OTHER_PARTS)
    ours = f"{SOURCE}_{PART}.jsonl"
    for path in sorted(HERE.glob(f"*_{PART}.jsonl")):
        if path.name != ours:
            texts |= {json.loads(line)["text"].strip("\n") for line in path.read_text("utf-8").splitlines() if line}
    return Taken(texts, MAX_CHARS)


def pools_of(root: Path) -> dict[str, list[tuple[str, int, str]]]:
    """The kept documents in their pools."""
    taken = taken_texts()
    pools: dict[str, list[tuple[str, int, str]]] = {name: [] for name in POOLS}
    seen: set[str] = set()
    for i, y, text in documents(tweets(root)):
        flat = one_space(text)
        if flat in seen or taken.holds(flat):
            continue
        seen.add(flat)
        pools[first_pool(text, POOLS, CUES)].append((i, y, text))
    return pools


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `tweets`: each pool shuffled and taken in turn, no year over YEAR_CAP."""
    rng = random.Random(SEED)
    per_year: dict[int, int] = {}
    chosen: list[tuple[str, str]] = []
    for name, pool in pools_of(root).items():
        rng.shuffle(pool)
        taken = 0
        for i, y, text in pool:
            if taken == COUNTS[name]:
                break
            if per_year.get(y, 0) >= YEAR_CAP:
                continue
            per_year[y] = per_year.get(y, 0) + 1
            chosen.append((i, text))
            taken += 1
    rng.shuffle(chosen)
    return {SOURCE: [{"id": i, "text": t} for i, t in chosen]}


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing, builder=BUILDER, labels_file=LABELS)


if __name__ == "__main__":
    sys.exit(main())
