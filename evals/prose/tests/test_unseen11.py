"""The eleventh unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen11 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("pgrelease", "publicsuffix", "mam", "freeciv")
# A vendor's entry of another part's register (unseen9's, in the United States): were it not another part's, it would
# be drawn for sure from the small register below (every entry of its US pool is)
TAKEN = next(t for p in part_files("unseen9") for t in (d.text for d in load(p)) if t.endswith("\nUS"))


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen11", SOURCES, b.OTHER_PARTS)
    spans = [g for d in docs for g in d.spans]
    types = Counter(g.type for g in spans)
    kinds = Counter(g.kind for g in spans if g.type == "LOCATION")
    assert len(docs) == 242 and len(spans) == 815
    assert types["PERSON"] == 158 and types["LOCATION"] == 434 and types["ZIP_CODE"] == 67
    assert types["EMAIL_ADDRESS"] == 72 and types["URL"] == 84
    assert kinds["street_address"] == 66 and kinds["city"] == 97 and kinds["country"] == 170
    assert kinds["state"] == 57 and kinds["region"] == 44
    assert set(types) == {"PERSON", "LOCATION", "ZIP_CODE", "EMAIL_ADDRESS", "URL"}
    assert sum(not d.spans for d in docs) == 22  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs if not d.id.startswith("mam-"))


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen11", SOURCES)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _page(*paragraphs: str) -> str:
    """A page as PostgreSQL's documentation writes it: each change a list item, its paragraphs marked up inside."""
    items = "".join(f'<li class="listitem"><p>\n  {p}\n  <a class="ulink" href="#">§</a>\n </p></li>' for p in paragraphs)
    return f"<html><head><title>E.1</title></head><body><h2>Release</h2><ul>{items}</ul></body></html>"


def _pg(root: Path) -> None:
    credited = [
        f"Fix the <code>planner</code> so that change number {k} works again as it should (Tom Lane, &Aacute;lvaro Herrera)"
        for k in range(80)
    ]
    place = [f"Support for this was added at Berkeley long ago, and the team kept it, as change {k} shows." for k in range(5)]
    plain = [f"this change number {k} makes the server less likely to crash when it is very busy indeed" for k in range(12)]
    _write(root / b.PG_FIRST, _page(*credited, *place, "Too short (Tom Lane)"))
    _write(root / b.PG_HTML / "release-15-1.html", _page(*plain))
    _write(root / b.PG_HTML / "release-14.html", _page("Another major release that this part never reads (Tom Lane)"))
    _write(
        root / b.PG_HTML / b.PG_HISTORY[0],
        _page(
            "The POSTGRES project, led by Professor Michael Stonebraker at Berkeley, was sponsored by the agencies of the day."
        ),
    )
    _write(
        root / b.PG_HTML / b.PG_HISTORY[1],
        _page("The calendar was reformed in Britain in the year of our story, long after it had been reformed elsewhere."),
    )


def _suffixes(root: Path) -> None:
    # two short blocks of header: a pair too short to draw
    header = "// MPL 2.0\n\n// Pull it from its home\n\n// ===BEGIN ICANN DOMAINS===\n\n"
    blocks = [
        f"// Example Firm {k} : https://firm{k}.example\n// Submitted by Jane Doe <jane{k}@firm{k}.example>\nfirm{k}.example\n\n"
        for k in range(100)
    ]
    notes = [f"// tld{k} : https://en.wikipedia.org/wiki/.tld{k}\n// for the country's schools\ntld{k}\n\n" for k in range(20)]
    _write(root / b.SUFFIXES, header + "".join(blocks + notes) + "// ===END ICANN DOMAINS===\n")


def _entry(prefix: str, digit: str, vendor: str, address: list[str]) -> str:
    lines = [f"{prefix}   (hex)\t\t{vendor}", f"{digit}00000-{digit}FFFFF     (base 16)\t\t{vendor}"]
    return "\r\n".join(lines + [f"\t\t\t\t{line}" for line in address]) + "\r\n\r\n"


def _mam(root: Path) -> None:
    head = "OUI                    Organization\r\nOUI-28/MA-M Range      Organization\r\n\r\n"
    us = [_entry(f"20-85-{k:02X}", "B", f"Vendor {k} Inc.", [f"{k} Main Street", "Hudson  MA  01749", "US"]) for k in range(20)]
    world = [
        _entry(f"74-1A-{k:02X}", "C", f"Firma {k} GmbH", [f"Lohwiese {k}", "Scheuring  Bavaria  86937", "DE"]) for k in range(45)
    ]
    private = [_entry("B0-C5-CA", "F", "Private", [])]
    vendor, *address = TAKEN.split("\n")
    taken = [_entry("B0-1F-81", "A", vendor, address)]
    _write(root / b.MAM, head + "".join(us + world + private + taken))


def _nations(root: Path) -> None:
    for k in range(25):
        legend = f'The nation number {k} was led by King Harald in the old days,\\\n and it was a \\"great\\" kingdom.'
        _write(root / b.NATIONS / f"named{k:02}.ruleset", f'[nation_named{k}]\n\nname = _("Named")\nlegend=_("{legend}")\n')
    for k in range(10):
        legend = f"This people number {k} lived in the lands of the south for a long time, and they still do."
        _write(root / b.NATIONS / f"place{k:02}.ruleset", f'[nation_place{k}]\nlegend = _("{legend}")\n')
    _write(root / b.NATIONS / "english.ruleset", '[nation_english]\nlegend=_("Short.")\n')
    _write(root / b.NATIONS / "barbarian.ruleset", '[nation_barbarian]\nname = _("Barbarian")\n')


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _pg(r)
    _suffixes(r)
    _mam(r)
    _nations(r)
    return r


def _texts(docs: list[dict]) -> list[str]:
    return [d["text"] for d in docs]


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    pg = {d["id"]: d["text"] for d in first["pgrelease"]}
    # 72 of the 80 credited changes, every paragraph with a town (the history pages' too), 10 of the 12 plain; the
    # markup and the commit links dropped, a paragraph too short and another major release's notes never
    assert len(pg) == 72 + 5 + 2 + 10
    assert sum(t.endswith("(Tom Lane, Álvaro Herrera)") for t in pg.values()) == 72
    assert pg["pg-release-15-0"] == "Fix the planner so that change number 0 works again as it should (Tom Lane, Álvaro Herrera)"
    assert "pg-history-0" in pg and "pg-datetime-units-history-0" in pg
    assert not any("Too short" in t or "never reads" in t for t in pg.values())
    # two comment blocks a document: 40 of the 50 pairs crediting someone, all 10 pairs of notes; the header's pair too
    # short, the section markers no comment
    psl = _texts(first["publicsuffix"])
    assert len(psl) == 40 + 10 and sum("Submitted by" in t for t in psl) == 40
    assert (
        "// tld0 : https://en.wikipedia.org/wiki/.tld0\n// for the country's schools\n// tld1 : https://en.wikipedia.org/wiki/.tld1\n// for the country's schools"
        in psl
    )
    assert not any("===" in t for t in psl)
    # every US vendor but the one another part has, 38 of the 45 elsewhere, no private block
    mam = {d["id"]: d["text"] for d in first["mam"]}
    assert len(mam) == 20 + 38 and TAKEN not in mam.values() and not any("Private" in t for t in mam.values())
    assert mam["mam-208503B"] == "Vendor 3 Inc.\n3 Main Street\nHudson  MA  01749\nUS"
    # 22 of the 25 legends naming a king, all 10 others; a legend too short, a nation without one never
    nations = {d["id"]: d["text"] for d in first["freeciv"]}
    assert len(nations) == 22 + 10 and "freeciv-english" not in nations and "freeciv-barbarian" not in nations
    assert sum("King Harald" in t for t in nations.values()) == 22
    assert (
        nations["freeciv-place03"] == "This people number 3 lived in the lands of the south for a long time, and they still do."
    )
    named = next(t for t in nations.values() if "King" in t)
    assert named.endswith('in the old days, and it was a "great" kingdom.')


def _run(*args: str):
    return run_builder("unseen11", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen11", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen11", SOURCES, root)


def test_a_missing_source_is_named(root, tmp_path):
    (root / b.MAM).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "mam.txt missing", "apt-get download ieee-data")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.NATIONS / "place00.ruleset").write_bytes(b'legend=_("\xff\xfe not UTF-8")\n')
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources", "place00.ruleset")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
