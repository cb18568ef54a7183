"""Real towns and countries for the rules (the tagger reads the same GeoNames list as a feature).

    load_towns(lexicon) -> Towns(plain, ambiguous, named, countries, country_codes, regions)

`plain`: lower-cased names of `world_cities.txt.gz` (tools/pii_lists/build_city_list.py), of the US
states and of the countries, former ones too ("Yugoslavia"), that are no ordinary word and no person's name: a
capitalized one names a place wherever it stands ("Chicago is windy", "talks in Leeds"). `ambiguous`: the other
towns, also words or names ("Reading", "Florence": `town_words.txt.gz`, built by
tools/pii_lists/build_town_words.py; the lexicon's common words, first names and surnames; names under four
letters; several words that all are names, "Rose Hill"): a place only where the sentence says so. A capital or a
town of a million people that is no ordinary word and no given name is plain all the same (`big_towns.txt.gz`,
tools/pii_lists/build_big_towns.py: "London", "Rome", "Houston"; "Sydney" and "Paris" wait for the sentence, as a given
name alone is as often the person). `named`: the ambiguous towns that are a person's name: after "in" or "to" they may
still be people ("gave it to Florence"), so they need words that speak for a place ("born in
Florence") or their region after them ("Austin, Texas"). `countries`: the lower-cased names of the world's
countries, former ones too (ISO 3166-1 and 3166-3, `countries.txt.gz`, tools/pii_lists/build_country_list.py);
`country_codes` their two-letter codes ("FR").
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aircluster.privacy.detect.lexicon import DATA_DIR, Lexicon
from aircluster.privacy.detect.tagger import TaggerError, load_cities

TOWN_WORDS_PATH = DATA_DIR / "town_words.txt.gz"
BIG_TOWNS_PATH = DATA_DIR / "big_towns.txt.gz"  # capitals and towns of a million, no dictionary word
REGIONS_PATH = DATA_DIR / "regions.txt.gz"  # states, provinces, constituent countries, continents
COUNTRIES_PATH = DATA_DIR / "countries.txt.gz"  # "name<TAB>France", "code<TAB>FR"
# US state codes: after a town they name its state ("Natick, MA").
US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
# The states' names: GeoNames' town list has the countries, not the states ("Pennsylvania sent eight").
US_STATE_NAMES = frozenset(
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho|illinois|"
    "indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|"
    "montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    "oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington|"
    "west virginia|wisconsin|wyoming".split("|")
)
# A country by its capitals after "the", as a noun ("left the UK in 1990", "the USSR withdrew"): a score of its own,
# so that no filter of frequent words drops it (structure.py finds it, not_people.py keeps it)
COUNTRY_CODE_PLACE = 0.63
SHORTEST_PLAIN = 4  # "Ede", "Uri", "Ota": short names are too often something else to stand alone


@dataclass(frozen=True)
class Towns:
    plain: frozenset[str]
    ambiguous: frozenset[str]
    named: frozenset[str]  # the ambiguous towns that are a person's name
    countries: frozenset[str] = frozenset()
    country_codes: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()  # `load_regions()`: "England", "Bavaria", "Europe"

    def known(self, phrase: str) -> bool:
        """Any real town or country, whatever else the words may be."""
        return phrase in self.plain or phrase in self.ambiguous

    def names_place(self, span: str) -> bool:
        """`span` (as written) is a plain town, capitalized."""
        return span[:1].isupper() and span.rstrip(".").lower() in self.plain


def known_place(phrase: str, lexicon: Lexicon, towns: Towns) -> bool:
    """`phrase` (lower case) is a place of the lists or a real town, and no ordinary word."""
    return phrase not in lexicon.common_words and (phrase in lexicon.places or towns.known(phrase))


def _read_kinds(path: Path, kinds: tuple[str, str], shape: str, builder: str) -> dict[str, set[str]]:
    """The values of a list of "kind<TAB>value" lines, by kind; any other line, a missing or damaged file is one
    `TaggerError` naming the file (and the line) and how to rebuild it. `shape` is the lines' form, for the error."""
    rebuild = f"rebuild it with `python -m tools.pii_lists.{builder}` in a source checkout"
    found: dict[str, set[str]] = {kind: set() for kind in kinds}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                kind, tab, value = line.rstrip("\n").partition("\t")
                if kind not in found or not tab or not value:
                    raise TaggerError(f"{path}: line {number} is not {shape}; {rebuild}")
                found[kind].add(value)
    except FileNotFoundError:
        raise TaggerError(f"{path}: list not found; {rebuild}") from None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise TaggerError(f"{path}: list is damaged ({e}); {rebuild}") from None
    return found


@lru_cache(maxsize=1)
def _town_words() -> tuple[frozenset[str], frozenset[str]]:
    """(towns that are words, towns that are names) of `town_words.txt.gz`."""
    kinds = _read_kinds(TOWN_WORDS_PATH, ("word", "name"), "'word<TAB>town' or 'name<TAB>town'", "build_town_words")
    return frozenset(kinds["word"]), frozenset(kinds["name"])


def _read_names(path: Path, builder: str) -> frozenset[str]:
    """A list of names, one a line, lower-cased; a missing or damaged file is one `TaggerError` naming it."""
    rebuild = f"rebuild it with `python -m tools.pii_lists.{builder}` in a source checkout"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return frozenset(line.strip().lower() for line in f if line.strip())
    except FileNotFoundError:
        raise TaggerError(f"{path}: list not found; {rebuild}") from None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise TaggerError(f"{path}: list is damaged ({e}); {rebuild}") from None


@lru_cache(maxsize=1)
def load_big_towns() -> frozenset[str]:
    """The capitals and towns of a million people (`big_towns.txt.gz`, tools/pii_lists/build_big_towns.py),
    lower-cased."""
    return _read_names(BIG_TOWNS_PATH, "build_big_towns")


@lru_cache(maxsize=1)
def load_regions() -> frozenset[str]:
    """The world's regions (`regions.txt.gz`, tools/pii_lists/build_region_list.py), lower-cased."""
    return _read_names(REGIONS_PATH, "build_region_list")


@lru_cache(maxsize=1)
def load_countries() -> tuple[frozenset[str], frozenset[str]]:
    """(lower-cased country names, two-letter codes) of `countries.txt.gz`."""
    kinds = _read_kinds(COUNTRIES_PATH, ("name", "code"), "'name<TAB>country' or 'code<TAB>XX'", "build_country_list")
    return frozenset(n.lower() for n in kinds["name"]), frozenset(kinds["code"])


def load_towns(lexicon: Lexicon) -> Towns:
    regions = load_regions()
    countries, codes = load_countries()
    cities = load_cities() | US_STATE_NAMES | regions | countries
    words, names = _town_words()
    names = names | lexicon.first_names | lexicon.last_names
    # "Rose Hill", "Grace-Marie": a town of several words that are all names may be a person.
    named = (cities & names) | {
        c for c in cities if len(parts := c.replace("-", " ").split()) > 1 and all(p in names for p in parts)
    }
    ambiguous = named | (cities & (words | lexicon.common_words)) | {c for c in cities if len(c) < SHORTEST_PLAIN}
    # The towns everyone knows are the town, surnames or not ("interest of London", "took it to Rome"); a
    # given name alone stays a person as often ("gave it to Sydney").
    big = load_big_towns() - lexicon.common_words - lexicon.first_names
    ambiguous -= big
    return Towns(
        plain=cities - ambiguous,
        ambiguous=frozenset(ambiguous),
        named=frozenset(named - big),
        countries=countries,
        country_codes=codes,
        regions=regions,
    )
