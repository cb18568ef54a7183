"""Build the list of real towns whose name is also an ordinary word or a person's name
(`aircluster/privacy/detect/data/town_words.txt.gz`: one "word<TAB>town" or "name<TAB>town" a line).

The rules read a real town (`world_cities.txt.gz`) as a place even with nothing before it ("Chicago is
windy."), but "Reading", "Bath" or "Mobile" opening a sentence are mostly the words, and "Florence",
"Austin" or "Campbell" mostly people. Such towns are written here, to be read as places only where the
sentence says so ("moved to Reading", "Austin, Texas"):

- every one-word town that Webster's Second International Dictionary (1934, public domain; Debian's
  `miscfiles` package, `/usr/share/dict/web2`) spells in lower case, that is, lists as an ordinary word
  (generous: "berlin" is a carriage there), or the plural of such a word in everyday use ("Pets": English
  Zipf frequency >= 3.5 in `wordfreq`; not "Leeds", though "leed" is in the dictionary);
- every one-word town that is a word of German, French or Spanish far more than of English (`wordfreq`,
  Zipf frequency >= 4.5 in one of them and at least 1.5 above English: "Lage", "Essen", "Weil", "Sens";
  not "Berlin", which English text names as often): German capitalizes its nouns, and posts in those
  languages carry them mid-sentence (a build-time tool only: `pip install wordfreq==3.1.1`);
- every town that is a first name or surname, or part of one, in any of Faker's locales, also the fifth of
  names held out of the shipped name lists (`lexicon.is_held_out`): a name the evaluation calls unseen must
  not be read as a town for lack of the list that would say it is a name.

The list holds town names only (GeoNames, CC BY 4.0, as `world_cities.txt.gz`); which of them are words was
decided with the dictionary (public domain) and `wordfreq`'s frequencies (CC BY-SA 4.0, as `frequent_words.txt.gz`).

Run from the repository root (rewrites the file; output is deterministic; needs `apt-get install miscfiles` and wordfreq):
    python -m tools.pii_lists.build_town_words [--dictionary /usr/share/dict/web2]
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

from aircluster.privacy.detect.tagger import load_cities
from aircluster.privacy.detect.towns import TOWN_WORDS_PATH
from tools.pii_lists.build_common_words import faker_names

DICTIONARY = Path("/usr/share/dict/web2")
FOREIGN = ("de", "fr", "es")
MIN_ZIPF = 4.5  # a word used at least 30 times per million words: "Lage", "Essen"; not "Darmstadt" (4.4)
MORE_THAN_ENGLISH = 1.5  # Zipf points (a factor of about 30)
PLURAL_ZIPF = 3.5


def zipf(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        raise SystemExit("build_town_words: needs the wordfreq package (pip install wordfreq==3.1.1)") from None
    return zipf_frequency(word, lang)


def foreign_words(towns: set[str]) -> set[str]:
    """The towns of `towns` that are mostly words of another language."""
    out = set()
    for town in towns:
        other = max(zipf(town, lang) for lang in FOREIGN)
        if other >= MIN_ZIPF and other - zipf(town, "en") >= MORE_THAN_ENGLISH:
            out.add(town)
    return out


def collect(dictionary: Path) -> list[tuple[str, str]]:
    """(kind, town) pairs: kind "name" for a town that is a person's name, else "word"."""
    try:
        lines = dictionary.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise SystemExit(f"build_town_words: cannot read {dictionary} ({e.strerror}); apt-get install miscfiles") from None
    lower = {w.strip() for w in lines if w.strip().islower()}
    common = {w for w in lower if zipf(w, "en") >= PLURAL_ZIPF}  # plurals of everyday words only: "Pets", not "Leeds"
    words = lower | {w + "s" for w in common} | {w + "es" for w in common}
    names = faker_names()
    towns = set(load_cities())
    one_word = {t for t in towns if " " not in t and t not in words and t not in names}
    found = {t: "word" for t in (towns & words) | foreign_words(one_word)}
    found.update((t, "name") for t in towns & names)  # a name first: it needs more than a word to be a place
    return sorted((kind, town) for town, kind in found.items())


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--dictionary", type=Path, default=DICTIONARY, help="a word list, proper nouns capitalized")
    towns = collect(p.parse_args().dictionary)
    data = "".join(f"{kind}\t{town}\n" for kind, town in towns).encode("utf-8")
    with open(TOWN_WORDS_PATH, "wb") as f:  # fixed mtime: the same bytes every run
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(data)
    print(f"{TOWN_WORDS_PATH}: {len(towns)} towns")


if __name__ == "__main__":
    main()
