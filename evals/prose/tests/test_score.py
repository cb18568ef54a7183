"""The prose evaluation's scorer: counts on a tiny hand-made file, bad files named in one line, the
shipped labeled files well formed, and the unseen part never showing its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evals.prose.score import HERE, PRESIDIO_TO_OURS, DataError, load, main, part_files, score, table

TEXT_A = "Anna Berg lives at 12 Elm Street, Leeds LS6 2AB. Call 0113 496 0000."
TEXT_B = "I just turned 41 and moved to Oslo."


def _span(text: str, piece: str, type_: str, kind: str) -> dict:
    s = text.index(piece)
    return {"type": type_, "kind": kind, "start": s, "end": s + len(piece)}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "a",
            "text": TEXT_A,
            "spans": [
                _span(TEXT_A, "Anna Berg", "PERSON", "name"),
                _span(TEXT_A, "12 Elm Street", "LOCATION", "street_address"),
                _span(TEXT_A, "Leeds", "LOCATION", "city"),
                _span(TEXT_A, "LS6 2AB", "ZIP_CODE", "zip"),
                _span(TEXT_A, "0113 496 0000", "PHONE_NUMBER", "phone"),
            ],
        },
        {
            "id": "b",
            "text": TEXT_B,
            "spans": [_span(TEXT_B, "41", "AGE", "age"), _span(TEXT_B, "Oslo", "LOCATION", "city")],
        },
    ]
    path = tmp_path / "tiny_dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _at(text: str, piece: str, entity: str) -> tuple[str, int, int]:
    s = text.index(piece)
    return entity, s, s + len(piece)


def test_counts_on_a_tiny_file(tiny):
    docs = load(tiny)
    preds = [
        [
            _at(TEXT_A, "Anna", "PERSON"),  # overlaps the name: found
            _at(TEXT_A, "Berg", "PERSON"),  # the same name again: right, found once
            _at(TEXT_A, "12 Elm Street, Leeds LS6 2AB", "LOCATION"),  # street, town and the postcode inside
            _at(TEXT_A, "Call", "PERSON"),
        ],  # a false positive
        [_at(TEXT_B, "Oslo", "PERSON")],  # right place, wrong type: fp and a miss
    ]
    res = score(docs, preds)
    rows = table(res)
    assert (rows["PERSON"]["tp"], rows["PERSON"]["ok"], rows["PERSON"]["fp"], rows["PERSON"]["fn"]) == (1, 2, 2, 0)
    assert rows["LOCATION"]["tp"] == 2 and rows["LOCATION"]["fn"] == 1  # street and Leeds found, Oslo missed
    assert rows["LOCATION/street_address"]["recall"] == 1.0 and rows["LOCATION/city"]["recall"] == 0.5
    assert rows["ZIP_CODE (covered)"]["recall"] == 1.0 and rows["AGE"]["recall"] == 0.0  # AGE: a type since detector 5
    assert rows["PHONE_NUMBER"]["fn"] == 1
    # overall: the detector's types only (PERSON, LOCATION, PHONE_NUMBER, AGE here), not the postcode
    assert rows["OVERALL"]["gold"] == 6 and rows["OVERALL"]["tp"] == 3 and rows["OVERALL"]["fp"] == 2
    assert rows["OVERALL"]["precision"] == pytest.approx(3 / 5) and rows["OVERALL"]["recall"] == pytest.approx(3 / 6)
    assert [(d, g.type) for d, g in res.misses] == [("a", "PHONE_NUMBER"), ("b", "AGE"), ("b", "LOCATION")]


def test_a_detection_on_a_postcode_is_no_false_positive(tiny):
    docs = load(tiny)
    res = score(docs, [[_at(TEXT_A, "LS6 2AB", "PHONE_NUMBER")], []])
    assert res.counts["PHONE_NUMBER"]["fp"] == 0 and res.counts["ZIP_CODE"]["tp"] == 1


def test_an_age_is_scored_as_a_type_of_its_own(tiny):
    docs = load(tiny)
    res = score(docs, [[], [_at(TEXT_B, "41", "AGE"), _at(TEXT_B, "Oslo", "AGE")]])
    assert (res.counts["AGE"]["tp"], res.counts["AGE"]["ok"], res.counts["AGE"]["fp"]) == (1, 1, 1)


def test_a_licence_is_scored_as_a_type_of_its_own_and_presidios_maps_to_it(tmp_path):
    text = "My driver's license number is F89390310, my order number B072RRE2I55."
    path = tmp_path / "licence.jsonl"
    path.write_text(json.dumps({"id": "l", "text": text, "spans": [_span(text, "F89390310", "DRIVER_LICENSE", "id")]}) + "\n")
    res = score(load(path), [[_at(text, "F89390310", "DRIVER_LICENSE"), _at(text, "B072RRE2I55", "DRIVER_LICENSE")]])
    rows = table(res)
    assert (rows["DRIVER_LICENSE"]["tp"], rows["DRIVER_LICENSE"]["fp"]) == (1, 1)  # the order number is a false positive
    assert "DRIVER_LICENSE (covered)" not in rows and rows["OVERALL"]["gold"] == 1
    assert PRESIDIO_TO_OURS["US_DRIVER_LICENSE"] == "DRIVER_LICENSE"


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "not a labeled document"),
        ('{"text": "abc"}', "not a labeled document"),
        ('{"text": "abc", "spans": [{"type": "PERSON", "start": 1, "end": 9}]}', "outside the text"),
        ('{"text": "abc", "spans": [{"type": "NICKNAME", "start": 0, "end": 1}]}', "unknown type 'NICKNAME'"),
    ],
)
def test_a_bad_line_is_named_in_one_line(tmp_path, capsys, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "spans": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=f"{path}:2: .*{message}"):
        load(path)
    assert main(["--files", str(path), "--system", "presidio"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}:2:" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "part",
    ["unseen", *(f"unseen{k}" for k in range(2, 24))],
)
def test_the_unseen_parts_show_no_errors(capsys, part):
    assert main(["--part", part, "--errors", "5"]) == 2
    assert "shows no errors" in capsys.readouterr().err


def test_shipped_parts_are_well_formed_and_apart():
    dev, unseen = part_files("dev"), part_files("unseen")
    assert {p.name.rsplit("_", 1)[0] for p in dev} == {p.name.rsplit("_", 1)[0] for p in unseen} >= {"templates", "fortunes"}
    dev_docs = [d for p in dev for d in load(p)]
    unseen_docs = [d for p in unseen for d in load(p)]
    assert len(dev_docs) >= 400 and len(unseen_docs) >= 400
    assert not {d.text for d in dev_docs} & {d.text for d in unseen_docs}
    unseen2_docs = [d for p in part_files("unseen2") for d in load(p)]
    assert len(unseen2_docs) >= 100 and not {d.text for d in unseen2_docs} & {d.text for d in dev_docs + unseen_docs}
    assert sum(p.stat().st_size for p in HERE.glob("*.jsonl")) < 2_800_000


def test_the_third_unseen_part_loads_with_every_hand_label_applied():
    """Only its form is checked here: it is scored once, by the lead, at the end."""
    files = part_files("unseen3")
    assert {p.name for p in files} == {f"{s}_unseen3.jsonl" for s in ("anarchism", "epigrams", "chat", "usaddress")}
    docs = [d for p in files for d in load(p)]
    labels = json.loads((HERE / "unseen3_labels.json").read_text(encoding="utf-8"))
    assert set(labels) <= {d.id for d in docs}
    assert sum(len(d.spans) for d in docs) == sum(len(v) for v in labels.values())  # none dropped or doubled
    spans = [(d, g) for d in docs for g in d.spans]
    assert 80 <= len(docs) <= 120 and len(spans) >= 150
    assert sum(g.type == "PERSON" for _, g in spans) >= 60 and sum(g.type == "LOCATION" for _, g in spans) >= 30
    for d, g in spans:  # a span is a whole token run: no cut word, no space or comma at its edges
        piece = d.text[g.start : g.end]
        assert piece == piece.strip(" ,\n"), (d.id, piece)
        assert not (g.start > 0 and d.text[g.start - 1].isalnum()) and not (g.end < len(d.text) and d.text[g.end].isalnum())
    others = {d.text for part in ("dev", "unseen", "unseen2") for p in part_files(part) for d in load(p)}
    assert not {d.text for d in docs} & others


def test_json_output_runs_the_baseline_on_a_file(tiny):
    out = subprocess.run(
        [sys.executable, "-m", "evals.prose", "--files", str(tiny), "--system", "presidio", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout)
    assert report["documents"] == 2
    phone = report["systems"]["presidio"].get("PHONE_NUMBER")
    assert phone is not None and phone["gold"] == 1
