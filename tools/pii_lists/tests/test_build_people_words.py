"""build_people_words: which WordNet senses make a word a people's, a faith's or a rank's, run on a small dictd
file written here in WordNet's own layout; bad input is one line and leaves no list behind."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from tools.pii_lists.build_people_words import PEOPLE_FILE, RANK_FILE

ROOT = Path(__file__).resolve().parents[3]

# Entries as /usr/share/dictd/wn.dict.dz holds them (glosses of WordNet 3.0, shortened where it does not matter).
DICTD = """\
Swede
    n 1: a native or inhabitant of Sweden
    2: a cruciferous plant with a thick bulbous edible yellow root
Frenchman
    n 1: a person of French nationality [syn: {Frenchman},
         {Frenchwoman}, {French person}]
Roman
    adj 1: relating to or characteristic of people of Rome; "Roman
           virtues"
    n 1: a resident of modern Rome
Catholic
    adj 1: of or relating to or supporting Catholicism; "the
           Catholic Church"
    n 1: a member of a Catholic church
Muslim
    n 1: a believer in or follower of Islam [syn: {Muslim},
         {Moslem}]
Roman Catholic
    n 1: a member of the Roman Catholic Church
Pope
    n 2: English poet and satirist (1688-1744)
Thames
    n 1: a river in southern England that flows eastward to the
         North Sea
archbishop
    n 1: a bishop of highest rank
emperor
    n 1: the male ruler of an empire
    2: red table grape of California
see
    n 1: the seat within a bishop's diocese where his cathedral is
         located
overthrow
    n 1: the termination of a ruler or institution (especially by
         force)
pope
    n 1: the head of the Roman Catholic Church [syn: {pope},
         {Catholic Pope}]
colleague
    n 1: an associate that one works with
french
    n 1: the Romance language spoken in France
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.pii_lists.build_people_words", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _words(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def _source(tmp_path: Path, text: str = DICTD) -> Path:
    path = tmp_path / "wn.dict.dz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


def test_peoples_faiths_and_ranks_are_taken_from_their_glosses(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    done = _run("--source", str(_source(tmp_path)), "--out", str(out))
    assert done.returncode == 0, done.stderr
    people = _words(out / PEOPLE_FILE)
    # Nouns with their plurals ("Frenchmen" as "French" is a word, "Romans" not "Romen"), adjectives as they are;
    # "Roman Catholic" is two words, each already there; a river and a poet are no people.
    # Words that are a name in Faker's locales too are marked ("Roman", "Pope").
    assert people == sorted(
        ["swede", "swedes", "frenchman", "frenchmen", "roman\tname", "romans", "catholic", "catholics", "muslim\tname"]
        + ["muslims"]
    )
    # A ruler, a bishop of rank, a church's head; not "see" (a bishop's seat) nor "overthrow" (of a ruler).
    assert _words(out / RANK_FILE) == ["archbishop", "emperor", "pope\tname"]


def test_the_same_source_gives_the_same_bytes(tmp_path):
    source = _source(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    assert _run("--source", str(source), "--out", str(first)).returncode == 0
    assert _run("--source", str(source), "--out", str(second)).returncode == 0
    for name in (PEOPLE_FILE, RANK_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_missing_source_is_one_line(tmp_path):
    missing = tmp_path / "nowhere.dict.dz"
    done = _run("--source", str(missing), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == f"build_people_words: {missing} not found (apt-get install dict-wn)"
    assert not (tmp_path / PEOPLE_FILE).exists()


def test_a_source_that_is_not_gzip_is_one_line_and_writes_nothing(tmp_path):
    source = tmp_path / "wn.dict.dz"
    source.write_text("Swede\n    n 1: a native or inhabitant of Sweden\n")
    out = tmp_path / "out"
    out.mkdir()
    done = _run("--source", str(source), "--out", str(out))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"build_people_words: {source} is no gzip'd dictd text (")
    assert list(out.iterdir()) == []


def test_a_source_without_glosses_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    done = _run("--source", str(_source(tmp_path, "colleague\n    n 1: an associate that one works with\n")), "--out", str(out))
    assert done.returncode == 1
    assert done.stderr.strip().endswith("holds no WordNet glosses")
    assert list(out.iterdir()) == []


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "lists"
    target.write_text("not a folder")
    done = _run("--source", str(_source(tmp_path)), "--out", str(target))
    assert done.returncode == 1
    assert done.stderr.strip() == f"build_people_words: --out {target} is not a folder"
    assert target.read_text() == "not a folder"


def test_missing_faker_is_one_line_and_writes_nothing(tmp_path):
    # faker made unimportable in a real interpreter, as on a machine where it was never installed
    source = _source(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    code = (
        "import sys, runpy; sys.modules['faker'] = None; "
        f"sys.argv = ['x', '--source', {str(source)!r}, '--out', {str(out)!r}]; "
        "runpy.run_module('tools.pii_lists.build_people_words', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "build_people_words: needs the faker package (the project's own dependency)"
    assert list(out.iterdir()) == []
