"""Real towns and countries for the rules (the tagger reads the same GeoNames list as a feature).

    load_towns(lexicon) -> Towns(plain, ambiguous)

`plain`: lower-cased names of `world_cities.txt.gz` (tools/pii_lists/build_city_list.py) that are no
ordinary word and no person's name: a capitalized one names a place wherever it stands ("Chicago is
windy", "talks in Leeds"). `ambiguous`: the other towns, also words or names ("Reading", "Florence",
"Austin": `town_words.txt.gz`, built by tools/pii_lists/build_town_words.py; the lexicon's common words,
first names and surnames; names under four letters; several words that are all names, "Rose Hill"): a
place only where the sentence says so ("born in
Florence", "Austin, Texas").
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache

from aircluster.privacy.detect.lexicon import DATA_DIR, Lexicon
from aircluster.privacy.detect.tagger import TaggerError, load_cities

TOWN_WORDS_PATH = DATA_DIR / "town_words.txt.gz"
# US state codes: after a town they name its state ("Natick, MA").
US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH "
    "OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
SHORTEST_PLAIN = 4  # "Ede", "Uri", "Ota": short names are too often something else to stand alone


@dataclass(frozen=True)
class Towns:
    plain: frozenset[str]
    ambiguous: frozenset[str]

    def known(self, phrase: str) -> bool:
        """Any real town or country, whatever else the words may be."""
        return phrase in self.plain or phrase in self.ambiguous

    def names_place(self, span: str) -> bool:
        """`span` (as written) is a plain town, capitalized."""
        return span[:1].isupper() and span.rstrip(".").lower() in self.plain


@lru_cache(maxsize=1)
def _town_words() -> frozenset[str]:
    rebuild = "rebuild it with `python -m tools.pii_lists.build_town_words` in a source checkout"
    try:
        with gzip.open(TOWN_WORDS_PATH, "rt", encoding="utf-8") as f:
            return frozenset(line.strip() for line in f if line.strip())
    except FileNotFoundError:
        raise TaggerError(f"{TOWN_WORDS_PATH}: list not found; {rebuild}") from None
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise TaggerError(f"{TOWN_WORDS_PATH}: list is damaged ({e}); {rebuild}") from None


def load_towns(lexicon: Lexicon) -> Towns:
    cities = load_cities()
    words = _town_words() | lexicon.common_words | lexicon.first_names | lexicon.last_names
    ambiguous = (cities & words) | {c for c in cities if len(c) < SHORTEST_PLAIN}
    # "Rose Hill", "Grace-Marie": a town of several words that are all names may be a person.
    names = lexicon.first_names | lexicon.last_names
    ambiguous |= {c for c in cities if len(parts := c.replace("-", " ").split()) > 1 and all(p in names for p in parts)}
    return Towns(plain=cities - ambiguous, ambiguous=frozenset(ambiguous))
