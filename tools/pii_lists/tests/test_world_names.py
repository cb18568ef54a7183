"""build_world_names: which names of a name dictionary and the Census files widen Faker's lists, run on small
files written here in the sources' own layouts; a missing input is one line and leaves no list behind."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from aircluster.privacy.detect.lexicon import is_held_out
from tools.pii_lists.build_world_names import FIRST_FILE, LAST_FILE, census_names, nam_dict_names, select

ROOT = Path(__file__).resolve().parents[3]

# nam_dict.txt's layout: gender code, the name from column 4 to 29, frequencies by country after it.
NAM_DICT = """\
# a comment line: Copyright (c) ...
M  Quillon                           4
F  Verbenella                  3 1
?F Verbenella                     1
=  Quill Quillon
F  Zona                                1
M  Abd al                          1
M  Al                                  1
M  Quorvath                     2
"""
FEMALE = "VERBENELLA     0.002  0.002   4001\nMARGELLA       0.001  0.003   4002\n"
MALE = "TORVIN         0.003  0.003   1001\n"
LAST = "KESTRIDGE      0.001  0.001  50001\nLONDON         0.001  0.002  50002\nWRINKLE        0.001  0.003  50003\n"


def test_name_dictionary_lines_give_names_not_comments_or_aliases():
    assert list(nam_dict_names(NAM_DICT.splitlines())) == [
        "Quillon",
        "Verbenella",
        "Verbenella",
        "Zona",
        "Abd al",
        "Al",
        "Quorvath",
    ]


def test_census_names_are_capitalized_as_names_are_written():
    assert list(census_names(["SMITH          1.006  1.006      1", "", "MCNALLY  0.1 0.2 3"])) == ["Smith", "Mcnally"]


def test_selection_leaves_out_short_words_phrases_known_names_ordinary_words_and_held_out_names():
    names = ["Quillon", "Abd al", "Al", "Verbenella", "Zona", "Torvin", "Margella", "Quillon"]
    kept = select(names, known={"torvin"}, excluded=lambda low: low == "zona")
    assert kept == sorted({n for n in ("Quillon", "Verbenella", "Margella") if not is_held_out(n)})
    held = next(f"Quill{c}" for c in "abcdefghijklmnopqrstuvwxyz" if is_held_out(f"Quill{c}"))
    assert select([held], known=set(), excluded=lambda low: False) == []


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    census = tmp_path / "names"
    census.mkdir(exist_ok=True)
    (census / "dist.female.first").write_text(FEMALE)
    (census / "dist.male.first").write_text(MALE)
    (census / "dist.all.last").write_text(LAST)
    nam_dict = tmp_path / "nam_dict.txt"
    nam_dict.write_text(NAM_DICT)
    words = tmp_path / "words"
    words.write_text("wrinkle\nzona\nQuillon\n")  # lower-case entries are ordinary words, capitalized ones names
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    args = ["--nam-dict", str(nam_dict), "--census", str(census), "--out", str(out), "--dictionaries", str(words), *extra]
    return subprocess.run(
        [sys.executable, "-m", "tools.pii_lists.build_world_names", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _list(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().split()


def test_lists_leave_out_dictionary_words_places_and_faker_names(tmp_path):
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    first, last = _list(tmp_path / "out" / FIRST_FILE), _list(tmp_path / "out" / LAST_FILE)
    # "Zona" is a dictionary word; "Al" too short; "Abd al" two words; a held-out name never ships.
    assert first == sorted({n for n in ("Margella", "Quillon", "Quorvath", "Torvin", "Verbenella") if not is_held_out(n)})
    # "London" is a place the detector knows, "Wrinkle" a dictionary word.
    assert last == ([] if is_held_out("Kestridge") else ["Kestridge"])
    again = _run(tmp_path)
    assert again.returncode == 0 and _list(tmp_path / "out" / FIRST_FILE) == first  # deterministic


def test_missing_input_is_one_line_and_writes_nothing(tmp_path):
    census = tmp_path / "names"
    done = subprocess.run(
        [sys.executable, "-m", "tools.pii_lists.build_world_names", "--nam-dict", str(tmp_path / "nope.txt"), "--census", str(census),
         "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == f"build_world_names: {tmp_path / 'nope.txt'} is missing (see this module's docstring)"
    assert not (tmp_path / FIRST_FILE).exists() and not (tmp_path / LAST_FILE).exists()
