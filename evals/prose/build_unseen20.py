"""Draw one source of the twentieth unseen part from Battle for Wesnoth's campaigns, and write it labeled.

    python -m evals.prose.build_unseen20 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen20 --root DIR --write            # draws again, applies unseen20_labels.json,
                                                                       # writes wesnoth_unseen20.jsonl beside this file

DIR holds Debian's `wesnoth-1.16-httt`, `wesnoth-1.16-tsg` and `wesnoth-1.16-trow` 1:1.16.9-1 unpacked, not installed
(`apt-get download wesnoth-1.16-httt wesnoth-1.16-tsg wesnoth-1.16-trow`, then `dpkg-deb -x` each into DIR); see
README.md for their sha256. Their licence is GPL-2+ (each package's `usr/share/doc/<package>/copyright`: "This program is
free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2 or at
your option any later version."). Three campaigns, below `usr/share/games/wesnoth/1.16/data/campaigns/`:
`Heir_To_The_Throne` (`httt`: Konrad, Delfador and Li'sar against Queen Asheviere), `The_South_Guard` (`tsg`: Deoran
and the South Guard against bandits and the undead) and `The_Rise_Of_Wesnoth` (`trow`: Prince Haldric's flight from the
Green Isle and the founding of Wesnoth). Every `.cfg` file of a campaign (its `_main.cfg`, scenarios, units and utils),
in the order of their paths, is read as WML.

A file's translatable strings (`key= _ "..."`, the quotes doubled inside: `""` is `"`; a comment, `#` to the line's end
outside a string, is skipped) are read in order; the dialogue's `message` strings and the narration's `story` strings
are kept (names, objectives, labels and notes are not: they are a few words each). A string is written as its lines,
each trimmed, empty ones dropped, joined by a line break; its markup (`<i>`, `<span color=...>`, `</b>`) is dropped and
the character entities it escapes (`&amp;`, `&lt;`) undone. A string holding a variable (`$unit.name`, `$gold`) or a
macro's argument (`{NAME}`) is left out: it is not the text a player reads. A string longer than RUN_CHARS is cut at
its sentences' ends (as `gutencorpus.pieces` cuts a long paragraph). Consecutive strings of one kind (messages, or a
story's parts) in one block of a file (an `[event]`, `[story]` or `[part]`, opened or closed, ends a block; so does a string
left out) are joined with a line break into runs, each as long as it can be within RUN_CHARS (a longer piece a run of
its own). Runs of 80-600 characters with a sentence (three lower-case words in a row) are kept, a text met twice once
(the campaigns share macros: the first met). A message is written after its speaker's display name and a colon
("Konrad: ...", "Prince Haldric: ...", "Sir Gerrick: ..."): the `name= _ "..."` its campaign gives the speaker's id in
a tag of its own (`[side]`, `[unit]`), else the id itself when it has a name's shape (a unit a macro names: "Kalba",
"King Eldaric IV"), else nothing (the narrator, `unit`, `second_unit`, a variable). A run's id is its campaign's, its
file's name and the run's number in that file ("httt-08_The_Princess_of_Wesnoth-12").

Pools, by loose cues read on the text alone, a run in the first pool whose cue it has: a contact (an e-mail address or
a URL), a place (a capitalized word after "in", "at", "from", "to", "of", "near", "across", "into" or "toward(s)"), a
person (a capitalized word inside a sentence: after a lower-case word, a comma or a dash), and the rest; in the place's
and the person's cues no capitalized word is one of COMMON (the words these texts capitalize for no one and nowhere:
"I", titles and ranks, the peoples and races, "Lord", "Sceptre"...). Each campaign is drawn with a generator of its own
seeded from SEED, COUNTS of each pool. No document is the text of a document of another part, nor a piece of one, nor
holds one (compared with their white space made one space). Labels (`unseen20_labels.json`, written by hand before any
scoring, by reading each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of
`text` is a span of `type`.
"""

from __future__ import annotations

import html
import random
import re
import sys
from pathlib import Path

from evals.prose.gutencorpus import MAX_CHARS, MIN_CHARS, SENTENCE_END
from evals.prose.labels import SENTENCE, Taken, builder_main, drawn_from_pools, first_missing, first_pool, one_space, texts_of

# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 20)))  # unseen2 .. unseen19
SEED = 20262020
PART = "unseen20"
SOURCE = "wesnoth"
LABELS = "unseen20_labels.json"
BUILDER = "build_unseen20"
DATA = "usr/share/games/wesnoth/1.16/data/campaigns"
# Each campaign: its id's name, its folder below DATA and its Debian package
CAMPAIGNS = (
    ("httt", "Heir_To_The_Throne", "wesnoth-1.16-httt"),
    ("tsg", "The_South_Guard", "wesnoth-1.16-tsg"),
    ("trow", "The_Rise_Of_Wesnoth", "wesnoth-1.16-trow"),
)
NEEDED = tuple((f"{DATA}/{folder}/_main.cfg", package) for _, folder, package in CAMPAIGNS)
KEPT = ("message", "story")  # the translatable strings read: dialogue and narration
RUN_CHARS = 420  # a run of strings grows within this many characters
POOLS = ("contact", "place", "person", "rest")
# Documents each pool of each campaign gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "httt": {"contact": None, "place": 30, "person": 22, "rest": 6},
    "tsg": {"contact": None, "place": 22, "person": 20, "rest": 6},
    "trow": {"contact": None, "place": 28, "person": 20, "rest": 6},
}
# A block boundary: these tags, opened or closed
BLOCKS = ("event", "story", "part")
TAG = re.compile(r"\[(/?)(\w+)\]")
ATTR = re.compile(r"^\s*(\w+)\s*=\s*(.*)$")
# A translatable string: `key= _ "...` (the string itself is read by the tokenizer)
KEY = re.compile(r"(\w+)\s*=\s*_\s*$")
# An id with a name's shape: capitalized words ("Lord Typhon", "Ut'Tan-Grilg", "King Eldaric IV")
NAME_SHAPE = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")
MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>")
LEFT_OUT = re.compile(r"\$|\{")
CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:https?|ftp)://\S+")
# Capitalized words these texts write for no one and nowhere: "I", titles and ranks, peoples and races, the sceptre
COMMON = (
    r"(?:I|I'm|I'll|I've|I'd|Lord|Lady|Lords|King|Queen|Prince|Princess|Sir|Sire|General|Captain|Commander|Sergeant|"
    r"Lieutenant|Master|Mistress|Highness|Majesty|Elves|Elf|Elvish|Dwarves|Dwarf|Dwarvish|Orcs|Orc|Orcish|Humans|Human|"
    r"Trolls|Troll|Saurians|Saurian|Merfolk|Drakes|Drake|Undead|Lich|Liches|Dark|Sceptre|Scepter|Fire|Council|Crown|"
    r"Guard|South|North|East|West|God|Gods|Oh|Ah|Aye|Yes|No|The|A|An|My|Our|We|You|He|She|It|They|This|That)\b"
)
PLACE = re.compile(rf"\b(?:in|at|from|to|of|near|across|into|towards?) (?:the )?(?!{COMMON})[A-Z][a-z]")
PERSON = re.compile(
    rf"(?:\b[a-z]+|,|—|-) (?!{COMMON})[A-Z][a-z]|\b(?:Sir|Lord|Lady|King|Queen|Prince|Princess|General|Captain) [A-Z][a-z]"
)
CUES = {"contact": CONTACT, "place": PLACE, "person": PERSON}


def read_wml(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 ({e.reason} at byte {e.start})") from None


def tokens(wml: str) -> list[tuple[str, str, str]]:
    """The file's tags, plain attributes and translatable strings in order: ("tag", "message", ""), ("/tag", "message",
    ""), ("attr", key, value) and ("string", key, text); comments skipped, doubled quotes undone."""
    out: list[tuple[str, str, str]] = []
    at, n, plain = 0, len(wml), []

    def flush() -> None:
        line = "".join(plain)
        plain.clear()
        for tag in TAG.finditer(line):
            out.append(("/tag" if tag.group(1) else "tag", tag.group(2), ""))
        attr = ATTR.match(line)
        if attr:
            out.append(("attr", attr.group(1), attr.group(2).strip().strip('"')))

    while at < n:
        c = wml[at]
        if c == "#":  # a comment to the line's end
            end = wml.find("\n", at)
            at = n if end < 0 else end
        elif c == '"':
            chars: list[str] = []
            at += 1
            while at < n:
                if wml[at] == '"':
                    if wml.startswith('""', at):
                        chars.append('"')
                        at += 2
                        continue
                    break
                chars.append(wml[at])
                at += 1
            at += 1
            key = KEY.search("".join(plain))
            if key:
                out.append(("string", key.group(1), "".join(chars)))
                plain.clear()
            else:  # a plain quoted value (speaker="Li'sar")
                plain.append('"' + "".join(chars) + '"')
        elif c == "\n":
            flush()
            at += 1
        else:
            plain.append(c)
            at += 1
    flush()
    return out


def names(wml: str) -> dict[str, str]:
    """The display names the file gives ids: a tag's `id=` and its `name= _ "..."` (the first given)."""
    found: dict[str, str] = {}
    stack: list[dict[str, str]] = []
    for kind, key, value in tokens(wml):
        if kind == "tag":
            stack.append({})
        elif kind == "/tag" and stack:
            block = stack.pop()
            if "id" in block and re.search(r"[^\W\d_]", block.get("name", "")):  # a name, not "?"
                found.setdefault(block["id"], block["name"])
        elif stack and ((kind == "attr" and key == "id") or (kind == "string" and key == "name")):
            stack[-1].setdefault(key, value)
    return found


def strings(wml: str, display: dict[str, str]) -> list[tuple[int, str, str, str]]:
    """The file's translatable strings in order, each with its block's number, its key and its speaker's display name
    ("" when none: the narrator, a unit not named, a story): (block, key, speaker, text)."""
    out: list[tuple[int, str, str, str]] = []
    block = 0
    stack: list[dict] = []
    pending: list[tuple[dict, int]] = []  # messages whose speaker their tag may give after them
    for kind, key, value in tokens(wml):
        if kind in ("tag", "/tag"):
            if key in BLOCKS:
                block += 1
            if kind == "tag":
                stack.append({"tag": key})
            elif stack:
                stack.pop()
        elif kind == "attr" and key == "speaker" and stack:
            stack[-1]["speaker"] = value
        elif kind == "string":
            out.append((block, key, "", value))
            if stack and stack[-1]["tag"] == "message":
                pending.append((stack[-1], len(out) - 1))
    for tag, k in pending:
        b, key, _, text = out[k]
        out[k] = (b, key, speaker_name(tag.get("speaker", ""), display), text)
    return out


def speaker_name(speaker: str, display: dict[str, str]) -> str:
    """A speaker's display name: the one its campaign gives its id, else the id itself when it has a name's shape (a
    unit a macro names: "Kalba", "King Eldaric IV", "Lord El'Isomithir", its apostrophe written as the strings write it,
    "’"); "" for the narrator, a unit not named ("unit", "second_unit", "$unit.id") or an id of another shape ("Southbay
    Guard 1", "Jessene in Hiding")."""
    if speaker in display:
        return display[speaker]
    if speaker in ("narrator", "unit", "second_unit") or not NAME_SHAPE.fullmatch(speaker):
        return ""
    return speaker.replace("'", "’")


def clean(text: str) -> str:
    """A string as a player reads it: markup dropped, entities undone, each line trimmed, empty lines dropped."""
    text = html.unescape(MARKUP.sub("", text))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def runs(found: list[tuple[int, str, str, str]]) -> list[str]:
    """The kept strings of a file joined into runs, each as long as it can be within RUN_CHARS (a longer string cut at
    its sentences' ends, a longer piece a run of its own), a message written after its speaker's name and a colon when
    it has one ("Konrad: ..."; a piece of a long one too); a run never spans two blocks, two kinds or a left-out
    string."""
    out: list[str] = []
    last: tuple[int, str] | None = None
    for block, key, speaker, raw in found:
        if key not in KEPT or LEFT_OUT.search(raw):
            last = None
            continue
        text = clean(raw)
        if not text:
            continue
        pieces = [text] if len(text) <= RUN_CHARS else [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
        for piece in pieces:
            piece = f"{speaker}: {piece}" if speaker else piece
            if last == (block, key) and out and len(out[-1]) + 1 + len(piece) <= RUN_CHARS:
                out[-1] += "\n" + piece
            else:
                out.append(piece)
            last = (block, key)
    return out


def campaign_runs(root: Path, folder: str) -> list[tuple[str, str]]:
    """A campaign's (file name, run), file after file in the order of their paths."""
    base = root / DATA / folder
    paths = sorted(base.rglob("*.cfg"), key=lambda p: p.relative_to(base).as_posix())
    texts = [(path.stem, read_wml(path)) for path in paths]
    display: dict[str, str] = {}
    for _, wml in texts:
        for i, name in names(wml).items():
            display.setdefault(i, name)
    return [(stem, r) for stem, wml in texts for r in runs(strings(wml, display))]


def _prose(text: str) -> bool:
    return MIN_CHARS <= len(text) <= MAX_CHARS and bool(SENTENCE.search(text))


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    """The drawn documents of the one source, `wesnoth`: each campaign's, one after the other."""
    taken = Taken(texts_of(OTHER_PARTS), MAX_CHARS)
    seen: set[str] = set()
    chosen: list[dict] = []
    for k, (name, folder, _) in enumerate(CAMPAIGNS):
        pools: dict[str, list[tuple[str, str]]] = {pool: [] for pool in POOLS}
        numbers: dict[str, int] = {}
        for stem, text in campaign_runs(root, folder):
            i = numbers.get(stem, 0)
            numbers[stem] = i + 1
            flat = one_space(text)
            if not _prose(text) or flat in seen or taken.holds(flat):
                continue
            seen.add(flat)
            pools[first_pool(text, POOLS, CUES)].append((f"{name}-{stem}-{i}", text))
        chosen += drawn_from_pools(pools, COUNTS[name], random.Random(SEED + k))
    return {SOURCE: chosen}


def missing(root: Path) -> str | None:
    """The first campaign that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED, how="apt-get download {}, then dpkg-deb -x into the root")


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, PART, __doc__, draw, missing, labels_file=LABELS)


if __name__ == "__main__":
    sys.exit(main())
