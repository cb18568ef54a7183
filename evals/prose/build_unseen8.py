"""Draw the eighth unseen part's documents from the King James Bible, Perl's documentation, the files of Emacs's etc
folder and the Debian Administrator's Handbook, and write it labeled.

    python -m evals.prose.build_unseen8 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen8 --root DIR --write            # draws again, applies unseen8_labels.json,
                                                                     # writes *_unseen8.jsonl beside this file

DIR holds the four Debian packages unpacked, not installed (`apt-get download bibledit-data perl-doc emacs-common
debian-handbook`, then `dpkg-deb -x` each into DIR: installing them would add manual pages, info manuals and
/usr/share/doc files that other parts' builders draw from); see README.md for versions and licences. Four sources,
none of which another part drew from:

- `kjv`: runs of three verses of the King James Version (1769), as bibledit-data ships it (`sources/kjv.xml`, OSIS with
  Strong's numbers: the markup, the translators' notes and the psalms' titles dropped): people and towns in running
  sentences ("And Abram went down into Egypt"), journeys from town to town, genealogies.
- `perl`: paragraphs of Perl 5.36's documentation (`perl-doc`'s pod files, the pod markup dropped): its history, the
  acknowledgements of its release notes, the FAQ.
- `emacs`: paragraphs of the text files of Emacs 28's etc folder (`emacs-common`: NEWS of every release, PROBLEMS,
  HISTORY, ...; its AUTHORS list and the licence left out): changes credited to people, machines and sites.
- `handbook`: paragraphs of the Debian Administrator's Handbook for Debian 11 (`debian-handbook`, its English HTML):
  Debian's history and people, the case study of the Falcot Corp company, administration prose.

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): a street (a
number before a street word, or a post office box; all drawn), a town's shape (a place's preposition before a
capitalized word for the Bible, "in|at|from|near|to X, Y" for the others), someone named (a name's shape after "by",
"thanks to", "from", "and" or "with"; for the Bible, a capitalized word inside a sentence), and plain (no name's shape
at all: most of them name nobody, the part's precision share). No document is the text of a document of another part.
Labels (`unseen8_labels.json`, written by hand before any scoring, by reading each document): per document id, a list
of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import html
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, drawn_from_pools, first_missing, first_missing_folder, pooled, texts_of

# Where the packages put their text, below the folder they are unpacked into (`--root`)
KJV = "usr/share/bibledit/sources/kjv.xml"
PERL_PODS = "usr/share/perl/5.36.0/pod"
EMACS_ETC = "usr/share/emacs/28.2/etc"
HANDBOOK = "usr/share/doc/debian-handbook/html/en-US"
FOLDERS = (
    (PERL_PODS, "apt-get download perl-doc, then dpkg-deb -x into the root"),
    (EMACS_ETC, "apt-get download emacs-common, then dpkg-deb -x into the root"),
    (HANDBOOK, "apt-get download debian-handbook, then dpkg-deb -x into the root"),
)
# Emacs's etc files that are no prose of their own: the list of authors (a credits list, as the AUTHORS files of
# another part), the licence, and the greeting in fifty scripts
EMACS_LEFT_OUT = {"AUTHORS", "COPYING", "HELLO"}
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4", "unseen5", "unseen6", "unseen7")
SEED = 20261209
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "kjv": {"street": None, "place": 84, "named": 4, "plain": 4},
    "perl": {"street": None, "place": None, "named": 20, "plain": 2},
    "emacs": {"street": None, "place": None, "named": 16, "plain": 2},
    "handbook": {"street": None, "place": None, "named": 8, "plain": 2},
}
MIN_CHARS, MAX_CHARS = 80, 700
VERSES_A_RUN = 3
STREET_WORDS = r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Drive|Dr\.?|Place|Lane|Boulevard|Blvd\.?|Way|Square|Highway)"
# A number then at most three capitalized words and a street word ("51 Franklin Street"), or a post office box
STREET_CUE = re.compile(rf"\b\d{{1,5}}[A-Za-z]?,? (?:[A-Z][\w.'-]* ){{0,3}}{STREET_WORDS}\b|\b(?:[Pp]\.? ?[Oo]\.? )?[Bb]ox \d")
# A town then its region or country after a place's preposition ("in Cambridge, Massachusetts")
PLACE_CUE = re.compile(r"\b(?:in|at|from|near|to) (?:[A-Z][a-z]+ )?[A-Z][a-z]+, (?:[A-Z][a-z]+|[A-Z]{2})\b")
# The Bible names its towns without a region: a place's preposition before a capitalized word that is not one of its
# words for God ("went down into Egypt", "dwelt in Hebron")
BIBLE_PLACE_CUE = re.compile(
    r"\b(?:in|at|from|to|unto|into|toward|near|of) (?!God\b|LORD\b|Lord\b|Jesus\b|Christ\b)[A-Z][a-z]{2,}"
)
# Someone credited: a name's shape after "by", "thanks to", "from", "and" or "with" ("Contributed by Larry Wall")
CREDIT_CUE = re.compile(
    r"\b(?:[Bb]y|[Tt]hanks to|[Ff]rom|and|with) [A-Z][a-z]+(?:-[a-z]+)? (?:[A-Z]\. )?(?:van |de |von |der )?[A-Z][a-z]+"
)
# Two capitalized words, a name's shape: a paragraph without one is plain
NAME_SHAPE = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)? (?:[A-Z]\. )?[A-Z][a-z]+")
# A capitalized word after a lower-case one (a name inside a sentence), God's names and "I" aside: the Bible's named cue
BIBLE_NAMED = re.compile(r"\b[a-z]+,? (?!God\b|LORD\b|Lord\b|I\b|O\b)[A-Z][a-z]+")
# A heading's underline or an outline heading (Emacs's NEWS: "** New command"), a change marker ("+++", "---")
_NOT_PROSE = re.compile(r"^(?:[=\-~^*#+\"'`.:_]{3,}|\*+ |\x0c)")


def _read(path: Path) -> str:
    """A file's text: UTF-8, or Latin-1 in the older files that are not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each line's indent and right edge trimmed; headings, outline
    headings and change markers left out."""
    out = []
    for para in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in para.splitlines() if line.strip()]
        if lines and not any(_NOT_PROSE.match(line) for line in lines):
            out.append("\n".join(lines))
    return out


def _pool_of(text: str, bible: bool) -> str | None:
    """The pool of a document by its first cue: "street", "place", "named", "plain" (no name's shape), or None."""
    if STREET_CUE.search(text):
        return "street"
    if (BIBLE_PLACE_CUE if bible else PLACE_CUE).search(text):
        return "place"
    if (BIBLE_NAMED if bible else CREDIT_CUE).search(text):
        return "named"
    return None if NAME_SHAPE.search(text) or (bible and BIBLE_NAMED.search(text)) else "plain"


def _pools(docs: list[tuple[str, str]], taken: set[str], bible: bool = False) -> dict[str, list[tuple[str, str]]]:
    """These (id, text) documents of 80-700 characters with a sentence in them, in the pool of their first cue; a text
    met twice once, a text of another part never."""
    sized = ((i, text) for i, text in docs if MIN_CHARS <= len(text) <= MAX_CHARS and SENTENCE.search(text))
    return pooled(sized, taken, lambda text: _pool_of(text, bible), ("street", "place", "named", "plain"))


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


_VERSE = re.compile(r'<verse osisID="([^"]+)" sID="[^"]+"/>(.*?)<verse eID="[^"]+"/>', re.S)
# What is no verse's text: the translators' notes and the psalms' titles
_NOT_TEXT = re.compile(r"<note\b.*?</note>|<title\b.*?</title>", re.S)


def verses(xml: str) -> list[tuple[str, str]]:
    """The (osisID, text) of every verse of an OSIS file, its markup dropped and its spaces made single."""
    out = []
    for m in _VERSE.finditer(xml):
        text = re.sub(r"<[^>]+>", "", _NOT_TEXT.sub("", m.group(2)))
        out.append((m.group(1), re.sub(r"\s+", " ", html.unescape(text)).strip()))
    return out


def verse_runs(xml: str) -> list[tuple[str, str]]:
    """Runs of three verses of one chapter (verses 1-3, 4-6, ...; a chapter's last run may be shorter), as
    ("kjv-Gen.12.4-6", text)."""
    chapters: dict[str, list[tuple[str, str]]] = {}
    for osis, text in verses(xml):
        chapters.setdefault(osis.rsplit(".", 1)[0], []).append((osis, text))
    runs = []
    for chapter, vs in chapters.items():
        for k in range(0, len(vs), VERSES_A_RUN):
            run = vs[k : k + VERSES_A_RUN]
            first, last = run[0][0].rsplit(".", 1)[1], run[-1][0].rsplit(".", 1)[1]
            runs.append((f"kjv-{chapter}.{first}-{last}", " ".join(t for _, t in run if t)))
    return runs


def kjv(root: Path, taken: set[str]) -> list[dict]:
    return _drawn("kjv", _pools(verse_runs(_read(root / KJV)), taken, bible=True))


def _pod_text(para: str) -> str:
    """A pod paragraph with its formatting codes written as their text (L<text|link> is the text, L<url> the URL,
    E<gt> is ">", X<> and Z<> are nothing)."""
    para = re.sub(r"\b[A-Z]<<+\s+(.*?)\s+>>+", r"\1", para, flags=re.S)
    # the escapes first, kept out of the way as private-use characters, so that E<gt> never closes a code around it
    escapes = {"lt": "\ue000", "gt": "\ue001", "verbar": "|", "sol": "/", "quot": '"', "amp": "&"}

    def escape(m: re.Match[str]) -> str:
        body = m.group(1)
        return escapes.get(body) or (chr(int(body)) if body.isdigit() else html.unescape(f"&{body};"))

    para = re.sub(r"E<(\w+)>", escape, para)
    inner = re.compile(r"([A-Z])<([^<>]*)>")
    while m := inner.search(para):
        code, body = m.group(1), m.group(2)
        if code in "XZ":
            body = ""
        elif code == "L":
            body = body.split("|", 1)[0] if "|" in body else body if "://" in body else body.split("/", 1)[-1].strip('"')
        para = para[: m.start()] + body + para[m.end() :]
    return para.replace("\ue000", "<").replace("\ue001", ">")


def pod_paragraphs(text: str) -> list[str]:
    """The ordinary paragraphs of a pod file (not commands, verbatim blocks or what =begin/=for hold), as text."""
    out, skipping = [], False
    for para in re.split(r"\n[ \t]*\n", text):
        if not para.strip():
            continue
        if para.startswith("=begin"):
            skipping = True
        if skipping or para.startswith("=") or para[0] in " \t":
            skipping = skipping and not para.startswith("=end")
            continue
        out += paragraphs(_pod_text(para))
    return out


def perl(root: Path, taken: set[str]) -> list[dict]:
    docs = [
        (f"perl-{path.stem}-{k}", para)
        for path in sorted((root / PERL_PODS).glob("*.pod"))
        for k, para in enumerate(pod_paragraphs(_read(path)))
    ]
    return _drawn("perl", _pools(docs, taken))


def emacs(root: Path, taken: set[str]) -> list[dict]:
    paths = sorted(
        p
        for p in (root / EMACS_ETC).iterdir()
        if p.is_file() and re.fullmatch(r"[A-Z][A-Z0-9.-]+", p.name) and p.name not in EMACS_LEFT_OUT
    )
    docs = [(f"emacs-{p.name}-{k}", para) for p in paths for k, para in enumerate(paragraphs(_read(p)))]
    return _drawn("emacs", _pools(docs, taken))


_HANDBOOK_PARA = re.compile(r'<div class="para">(.*?)</div>', re.S)


def handbook(root: Path, taken: set[str]) -> list[dict]:
    """The handbook's paragraphs (`<div class="para">`), tags dropped, entities decoded, spaces made single."""
    docs = []
    for path in sorted((root / HANDBOOK).glob("*.html")):
        for k, m in enumerate(_HANDBOOK_PARA.finditer(_read(path))):
            text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))).strip()
            docs.append((f"handbook-{path.stem}-{k}", text))
    return _drawn("handbook", _pools(docs, taken))


def missing(root: Path) -> str | None:
    """The first source folder or file that is not there, as a message naming the package that has it."""
    unpacked = "apt-get download {}, then dpkg-deb -x into the root"
    return first_missing(root, ((KJV, "bibledit-data"),), how=unpacked) or first_missing_folder(root, FOLDERS)


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    return {"kjv": kjv(root, taken), "perl": perl(root, taken), "emacs": emacs(root, taken), "handbook": handbook(root, taken)}


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen8", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
