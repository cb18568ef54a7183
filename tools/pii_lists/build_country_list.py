"""Build the list of the world's countries the rules know (`aircluster/privacy/detect/data/countries.txt.gz`).

GeoNames' town list (`world_cities.txt.gz`) has the countries among its towns, with nothing to tell them apart;
the rules need them apart: a country's name is a place whatever word stands before it ("independence from
France", "Modern Morocco"), where a town's may be a surname or a noun. From ISO 3166-1 and 3166-3 (former
countries) as Debian's `iso-codes` package ships them (`/usr/share/iso-codes/json/`, LGPL-2.1+):

- each country's short name, its common name ("Bolivia" for "Bolivia, Plurinational State of") and the part of an
  index form before its comma ("Moldova, Republic of" -> "Moldova"; not where two share it: "Korea"), each also without diacritics ("Côte d'Ivoire", "Cote d'Ivoire");
- the names of tzdata's `iso3166.tab` (`/usr/share/zoneinfo/`, public domain), which uses the name prose does where
  ISO's is formal ("Russia", "Turkey", "Vietnam", "Myanmar (Burma)": "Myanmar" and "Burma"; "Korea (South)": "Korea").
  Not its abbreviations in capitals ("Britain (UK)": "Britain" only): "UK" and "USA" name a firm's branch, a team or an
  edition as often as the country ("Amazon UK", "Team USA"), and a country the tagger may not veto must be sure;
- its two-letter code, on lines of their own ("code<TAB>FR"): the last line of a postal address names its
  country so ("Shenzhen  Guangdong  518000" over "CN").

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install iso-codes tzdata`):
    python -m tools.pii_lists.build_country_list
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from aircluster.privacy.detect.towns import COUNTRIES_PATH
from tools.pii_lists.build_region_list import plain

ISO_3166_1 = Path("/usr/share/iso-codes/json/iso_3166-1.json")
ISO_3166_3 = Path("/usr/share/iso-codes/json/iso_3166-3.json")
TZ_ISO3166 = Path("/usr/share/zoneinfo/iso3166.tab")
# What tzdata's brackets may hold besides another name for the country: which part of a divided country, or whose
_QUALIFIERS = frozenset({"North", "South", "American", "French", "Dutch", "western", "Keeling", "Dem. Rep.", "Rep."})


def country_names(entries: Iterable[dict[str, str]]) -> set[str]:
    """The names prose uses for the ISO 3166 `entries`: short and common names, an index form's head when no
    other entry shares it, each with and without diacritics."""
    entries = list(entries)
    heads = Counter(e["name"].split(",")[0].strip() for e in entries if "," in e["name"])
    names: set[str] = set()
    for entry in entries:
        forms = {entry.get("common_name", "")}
        name = entry["name"]
        if "," in name:
            head = name.split(",")[0].strip()
            forms.add(head if heads[head] == 1 else "")
        else:
            forms.add(name)
        for form in filter(None, (f.strip() for f in forms)):
            if "(" not in form:
                names |= {form, plain(form)}
    return names


def tz_country_names(lines: Iterable[str]) -> set[str]:
    """The names of tzdata's `iso3166.tab` lines ("RU<TAB>Russia"): "Myanmar (Burma)" gives both names, "Korea (South)"
    and "Britain (UK)" only the first (a part of a divided country; an abbreviation in capitals)."""
    names: set[str] = set()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split("\t", 1)[1].strip()
        base, _, inner = name.partition(" (")
        if inner and not inner.endswith(")"):  # "Cocos (Keeling) Islands": the name without its brackets
            base, inner = base + inner[inner.index(")") + 1 :], ""
        inner = inner.rstrip(")")
        forms = {base} | ({inner} if inner and inner not in _QUALIFIERS and not inner.isupper() else set())
        names |= forms | {plain(f) for f in forms}
    return names


def collect() -> tuple[set[str], set[str]]:
    for path, package in ((ISO_3166_1, "iso-codes"), (ISO_3166_3, "iso-codes"), (TZ_ISO3166, "tzdata")):
        if not path.is_file():
            raise SystemExit(f"build_country_list: {path} not found (apt-get install {package})")
    now = json.loads(ISO_3166_1.read_text(encoding="utf-8"))["3166-1"]
    former = json.loads(ISO_3166_3.read_text(encoding="utf-8"))["3166-3"]
    tz = tz_country_names(TZ_ISO3166.read_text(encoding="utf-8").splitlines())
    return country_names(now) | country_names(former) | tz, {e["alpha_2"] for e in now}


def main() -> None:
    names, codes = collect()
    lines = [f"name\t{n}" for n in sorted(names)] + [f"code\t{c}" for c in sorted(codes)]
    body = "\n".join(lines) + "\n"
    with open(COUNTRIES_PATH, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    print(f"{COUNTRIES_PATH}: {len(names)} names, {len(codes)} codes, {COUNTRIES_PATH.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
