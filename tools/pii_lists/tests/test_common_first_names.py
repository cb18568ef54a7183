"""The commonest first names ship whatever the held-out split says, and the evaluation's unseen names leave
them out."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from aircluster.privacy.detect.lexicon import is_held_out, is_unseen, load_lexicon, read_list
from tools.pii_lists.build_common_first_names import OUT_FILE, TOP

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.pii_lists.build_common_first_names", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _census(folder: Path, male: list[str], female: list[str]) -> None:
    folder.mkdir()
    for name, names in (("dist.male.first", male), ("dist.female.first", female)):
        lines = [f"{n.upper():<15}0.100  1.000  {rank}" for rank, n in enumerate(names, 1)]
        (folder / name).write_text("\n".join(lines) + "\n")


def test_the_commonest_names_are_kept_and_known_names_words_and_places_left_out(tmp_path):
    census = tmp_path / "names"
    # "Quillona" is new; "James" is shipped already; "April" a frequent word; "Virginia" a US state; "Ed" too short;
    # the names after the first TOP of a list are too rare
    filler = [f"Zzq{i}" for i in range(TOP)]
    _census(census, ["Quillona", "James", "Ed", *filler, "Quorvanna"], ["April", "Virginia", "Marvessa"])
    done = _run("--census", str(census), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    with gzip.open(tmp_path / OUT_FILE, "rt", encoding="utf-8") as f:
        names = f.read().split()
    assert "Quillona" in names and "Marvessa" in names
    assert not {"James", "April", "Virginia", "Ed", "Quorvanna"} & set(names)
    assert names == sorted(names)


def test_a_missing_census_file_is_one_line(tmp_path):
    done = _run("--census", str(tmp_path / "nope"), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"build_common_first_names: {tmp_path / 'nope' / 'dist.male.first'} is missing (see this module's docstring)"
    )


def test_common_first_names_ship_and_are_never_unseen():
    shipped = read_list("common_first_names")
    first_names = load_lexicon().first_names
    assert {"John", "Sarah", "Tom", "Anthony"} <= set(shipped)
    assert all(n.lower() in first_names for n in shipped)
    assert is_held_out("John") and not is_unseen("John")  # held out by the hash, shipped all the same
    held = [n for n in ("Quillona", "Marvessa", "Torvinda", "Quorvath", "Verbenella") if is_held_out(n)]
    assert held and all(is_unseen(n) for n in held)
