"""Draw the sixth unseen part's documents from calendars, manual pages, credits files and locale sources that ship in
Debian, and write it labeled.

    python -m evals.prose.build_unseen6 --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen6 --write            # draws again, applies unseen6_labels.json,
                                                          # writes *_unseen6.jsonl beside this file

Needs `apt-get install calendar locales` and the manual pages and credits files of the packages installed on the
project's machine (see README.md for versions and licences). Four sources, none of which another part drew from:

- `calendar`: runs of three consecutive entries of the BSD calendar files (Debian's `calendar`, BSD licence):
  history, birthdays, music, computing and holidays ("Galileo Galilei born in Pisa, Italy, 1564"), and FreeBSD's
  developers' birthdays ("Ariff Abdullah <ariff@FreeBSD.org> born in Kuala Lumpur, Malaysia, 1978").
- `manpages`: paragraphs of the AUTHOR(S), CREDITS and HISTORY sections of the English manual pages installed,
  the troff markup dropped: people in running sentences, with their e-mail addresses and institutions.
- `credits`: paragraphs of the AUTHORS and THANKS files under /usr/share/doc (not the changelogs, copyright files or
  READMEs other parts and checks drew from): people and e-mail addresses, in sentences and in lists.
- `locales`: the identification blocks of glibc's locale sources (Debian's `locales`; the FSF claims no copyright
  in the locale data) that give a postal address: street addresses, postcodes and towns of two dozen countries,
  with the locales' maintainers and their e-mail addresses.

No document is the text of a document of another part.
Labels (`unseen6_labels.json`, written by hand before any scoring, by reading each document): per document id,
a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span of `type`.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import SENTENCE, builder_main, first_missing, first_missing_folder, texts_of

# Where the packages install their text, below the file system's root (`--root` reads a copy elsewhere)
CALENDARS = "usr/share/calendar"
# The calendar files drawn from: prose about people and places (the religious and national ones are mostly feast days)
CALENDAR_FILES = ("calendar.history", "calendar.birthday", "calendar.music", "calendar.computer", "calendar.holiday")
FREEBSD = "calendar.freebsd"
LOCALES = "usr/share/i18n/locales"
MANUALS = "usr/share/man"
DOCS = "usr/share/doc"
FOLDERS = (
    (LOCALES, "apt-get install locales"),
    (MANUALS, "no manual pages installed"),
    (DOCS, "no package documentation installed"),
)
NEEDED = ((f"{CALENDARS}/{FREEBSD}", "calendar"), *((f"{CALENDARS}/{name}", "calendar") for name in CALENDAR_FILES))
OTHER_PARTS = ("dev", "unseen", "unseen2", "unseen3", "unseen4", "unseen5")
SEED = 20261205
N_CALENDAR, N_FREEBSD, N_MANPAGES, N_CREDITS, N_LOCALES = 44, 12, 30, 24, 40
# A credits list ("Name   e-mail" a line) is cut into runs of this many lines: a document, not a directory
LIST_LINES = 4
RUN = 3  # calendar entries a document
MIN_CHARS, MAX_CHARS = 80, 600
CAP_INSIDE = re.compile(r"[a-z,;] +[A-Z][a-z]")
# Two capitalized words, a name's shape ("Julian Seward", "Jean-loup Gailly"): a manual or credits paragraph naming someone
NAME_CUE = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)? (?:[A-Z]\. )?[A-Z][a-z]+")
# A calendar entry opens with its date ("01/12", "Jan 12", "May Sun+3") and a tab; continuation lines open with a tab
_ENTRY = re.compile(r"^[A-Z0-9*][^\t\n]*\t", re.M)
_SECTION = re.compile(r"^\.SH\s+\"?([^\"\n]*)\"?\s*$", re.M)
_KEPT_SECTIONS = re.compile(r"^(?:AUTHORS?|CREDITS|THANKS|ACKNOWLEDG(?:E?MENTS?)|HISTORY)$", re.I)
_PARAGRAPH_MACRO = re.compile(r"^\.(?:PP|P|LP|sp|IP|TP|br)\b.*$", re.M)
# Font macros keep their words ("\n.B bzip2\n" is "bzip2"); alternating ones join theirs (".BR find 's" is "find's")
_FONT_MACRO = re.compile(r"^\.(B|I|SM|SB)\s+(.*)$", re.M)
_ALT_MACRO = re.compile(r"^\.(?:BR|RB|IR|RI|BI|IB)\s+(.*)$", re.M)
_ESCAPES = (
    (r"\\f(?:[BIRPC]|\(..|\[[^\]]*\])", ""),
    (r"\\\(em|\\\[em\]", "\u2014"),
    (r"\\\(en|\\\[en\]", "\u2013"),
    (r"\\\(aq|\\\[aq\]", "'"),
    (r"\\\(lq|\\\(rq|\\\[lq\]|\\\[rq\]", '"'),
    (r"\\[-]", "-"),
    (r"\\[&|^]", ""),
    (r"\\ ", " "),
    (r"\\s[-+]?\d", ""),
    (r"\\m\[[^\]]*\]", ""),  # colours (git's pages, from AsciiDoc)
    (r"\\u\[\d+\]\\d", ""),  # a raised footnote number
    (r"\\\.", "."),
    (r"\\c", ""),
    (r"\\e", "\\\\"),  # last: the backslash it gives is text
)


def _read(path: Path) -> str:
    """A file's text, gzip or not; UTF-8, or Latin-1 in the older credits files that are not UTF-8."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _calendar_entries(text: str) -> list[str]:
    """A calendar file's entries, each with its continuation lines; the C preprocessor's lines and comments left out."""
    entries: list[str] = []
    for line in re.sub(r"/\*.*?\*/", "", text, flags=re.S).splitlines():
        if _ENTRY.match(line):
            entries.append(line)
        elif line.startswith("\t") and line.strip() and entries:
            entries[-1] += "\n" + line
        elif line.strip() and not line.startswith(("#", "LANG=")):
            entries.append("")  # a line of another shape ends a run: no document spans it
    return entries


def _runs(entries: list[str]) -> list[tuple[int, str]]:
    """Runs of RUN consecutive entries (their first entry's number, the text), not overlapping."""
    out = []
    for k in range(0, len(entries) - RUN + 1, RUN):
        run = entries[k : k + RUN]
        if all(run):
            out.append((k, "\n".join(run)))
    return out


def calendar(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Runs of three entries: of the prose calendars with a capitalized word inside a sentence, and of FreeBSD's."""
    prose, freebsd = [], []
    for name in CALENDAR_FILES:
        for k, text in _runs(_calendar_entries(_read(root / CALENDARS / name))):
            if MIN_CHARS <= len(text) <= MAX_CHARS and CAP_INSIDE.search(text) and text not in taken:
                prose.append((f"{name}-{k}", text))
    for k, text in _runs(_calendar_entries(_read(root / CALENDARS / FREEBSD))):
        if MIN_CHARS <= len(text) <= MAX_CHARS and text not in taken:
            freebsd.append((f"{FREEBSD}-{k}", text))
    rng.shuffle(prose)
    rng.shuffle(freebsd)
    chosen = prose[:N_CALENDAR] + freebsd[:N_FREEBSD]
    rng.shuffle(chosen)
    return [{"id": i, "text": t} for i, t in chosen]


def _troff_text(source: str) -> str:
    """A manual page's troff as plain text: paragraphs split at paragraph macros, font macros' words kept, other
    requests and comments dropped, the common escapes written as their characters."""
    text = _PARAGRAPH_MACRO.sub("\n", source)
    text = _FONT_MACRO.sub(lambda m: m.group(2).replace('"', ""), text)
    text = _ALT_MACRO.sub(lambda m: "".join(m.group(1).replace('"', "").split()), text)
    text = "\n".join(line for line in text.splitlines() if not line.startswith((".", "'")))
    for pattern, repl in _ESCAPES:
        text = re.sub(pattern, repl, text)
    return text


def _manual_paragraphs(source: str) -> list[str]:
    """The paragraphs of the sections that credit people, as plain text (each line's indent dropped)."""
    out = []
    parts = _SECTION.split(source)
    for title, body in zip(parts[1::2], parts[2::2]):
        if not _KEPT_SECTIONS.match(title.strip()):
            continue
        for para in re.split(r"\n[ \t]*\n", _troff_text(body)):
            lines = [line.strip() for line in para.splitlines() if line.strip()]
            if lines:
                out.append("\n".join(lines))
    return out


def manpages(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Paragraphs naming someone in the credits of the English manual pages (sections 1-8; links `.so` left out)."""
    pool = []
    seen: set[str] = set()
    for path in sorted((root / MANUALS).glob("man[1-8]/*")):
        source = _read(path) if path.is_file() else ""
        if source.startswith(".so "):
            continue
        for k, para in enumerate(_manual_paragraphs(source)):
            if MIN_CHARS <= len(para) <= MAX_CHARS and NAME_CUE.search(para) and para not in seen and para not in taken:
                seen.add(para)
                pool.append((f"man-{path.parent.name}-{path.name.removesuffix('.gz')}-{k}", para))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_MANPAGES]]


def _credit_paragraphs(text: str) -> list[tuple[str, str]]:
    """(kind, text) for each paragraph of a credits file, each line's right edge trimmed: "prose" for a paragraph with
    a sentence in it, kept whole; "list" for runs of at most LIST_LINES lines of a list of names (a document, not a
    directory)."""
    out = []
    for para in re.split(r"\n[ \t]*\n", text):
        lines = [line.rstrip() for line in para.splitlines() if line.strip()]
        if SENTENCE.search(para):
            out.append(("prose", "\n".join(lines)))
            continue
        for k in range(0, len(lines), LIST_LINES):
            out.append(("list", "\n".join(lines[k : k + LIST_LINES])))
    return out


def credits(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """Paragraphs naming someone in the AUTHORS and THANKS files of the packages installed (a file two packages
    share, as dbus's, once): sentences and runs of lists, drawn on their own."""
    pools: dict[str, list[tuple[str, str]]] = {"prose": [], "list": []}
    seen: set[str] = set()
    paths = sorted(p for p in (root / DOCS).glob("*/*") if re.fullmatch(r"(?:AUTHORS|THANKS)(?:\.gz)?", p.name) and p.is_file())
    for path in paths:
        for k, (kind, para) in enumerate(_credit_paragraphs(_read(path))):
            if MIN_CHARS <= len(para) <= MAX_CHARS and NAME_CUE.search(para) and para not in seen and para not in taken:
                seen.add(para)
                pools[kind].append((f"{path.parent.name}-{path.name.removesuffix('.gz')}-{k}", para))
    chosen = []
    for kind in ("prose", "list"):
        rng.shuffle(pools[kind])
        chosen += pools[kind][: N_CREDITS // 2]
    rng.shuffle(chosen)
    return [{"id": i, "text": t} for i, t in chosen]


def _identification(source: str) -> str | None:
    """A locale's LC_IDENTIFICATION block as its lines (key and quoted value; the categories and empty values left
    out), with the file's escapes written as their characters ("<U00F8>" is "ø", "//" is "/"); None without one."""
    escape = re.search(r"^escape_char\s+(\S)", source, re.M)
    block = re.search(r"^LC_IDENTIFICATION\n(.*?)^END LC_IDENTIFICATION", source, re.M | re.S)
    if not block:
        return None
    lines = []
    for line in block.group(1).splitlines():
        field = re.match(r'^(\w+)\s+"(.*)"\s*$', line)
        if not field or field.group(1) == "category" or not field.group(2).strip():
            continue
        value = re.sub(r"<U([0-9A-Fa-f]{4,8})>", lambda m: chr(int(m.group(1), 16)), field.group(2))
        if escape:
            value = re.sub(re.escape(escape.group(1)) + r"(.)", r"\1", value)
        lines.append(f'{field.group(1)} "{value}"')
    return "\n".join(lines)


def locales(root: Path, rng: random.Random, taken: set[str]) -> list[dict]:
    """The identification blocks of glibc's locale sources that give a postal address: the locale's maintainer, the
    address, e-mail and phone; one block for each address written (the Danish standards body's serves 40 locales)."""
    pool = []
    seen: set[str] = set()
    for path in sorted((root / LOCALES).glob("*")):
        block = _identification(_read(path)) if path.is_file() else None
        address = re.search(r'^address "(.*)"$', block or "", re.M)
        if block and address and address.group(1) not in seen and MIN_CHARS <= len(block) <= MAX_CHARS and block not in taken:
            seen.add(address.group(1))
            pool.append((f"locale-{path.name}", block))
    rng.shuffle(pool)
    return [{"id": i, "text": t} for i, t in pool[:N_LOCALES]]


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that installs it."""
    return first_missing(root, NEEDED) or first_missing_folder(root, FOLDERS)


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    taken = texts_of(OTHER_PARTS)
    return {
        "calendar": calendar(root, rng, taken),
        "manpages": manpages(root, rng, taken),
        "credits": credits(root, rng, taken),
        "locales": locales(root, rng, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen6", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
