"""The eighth unseen part: its committed files are what its labels give (checked on their texts, never scanned: the
lead scores the part once), and its builder draws the same documents from the same sources every time, refusing with
one line when a source is missing or cannot be read."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from evals.prose import build_unseen8 as b
from evals.prose.score import load, part_files
from evals.prose.tests.builder_checks import (
    committed_files_are_what_the_labels_give,
    draw_writes_the_documents_unlabeled,
    labeled_part,
    labeled_part_is_never_written_over,
    one_line,
    run_builder,
)

SOURCES = ("kjv", "perl", "emacs", "handbook")
# A document of another part that a paragraph of Emacs's files could be, with a street number: were it not another
# part's, it would be drawn for sure (every street paragraph is)
TAKEN = next(
    t
    for part in b.OTHER_PARTS
    for p in part_files(part)
    for t in (d.text for d in load(p))
    if b.MIN_CHARS <= len(t) <= b.MAX_CHARS and b.paragraphs(t) == [t] and b.SENTENCE.search(t) and b.STREET_CUE.search(t)
)


def test_the_part_loads_with_every_hand_label_applied():
    docs = labeled_part("unseen8", SOURCES, b.OTHER_PARTS)
    spans = [(d, g) for d in docs for g in d.spans]
    types = Counter(g.type for _, g in spans)
    kinds = Counter(g.kind for _, g in spans if g.type == "LOCATION")
    assert 120 <= len(docs) <= 170 and 400 <= len(spans) <= 700
    assert types["PERSON"] >= 300 and kinds["city"] >= 55 and kinds["country"] >= 50 and kinds["region"] >= 30
    assert set(kinds) == {"city", "country", "region", "other"}
    assert 0.15 <= sum(not d.spans for d in docs) / len(docs) <= 0.25  # the precision share
    assert all(b.MIN_CHARS <= len(d.text) <= b.MAX_CHARS for d in docs)


def test_the_committed_files_are_what_the_labels_give_their_texts():
    committed_files_are_what_the_labels_give("unseen8", SOURCES)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _verse(osis: str, words: str) -> str:
    """A verse as the OSIS file writes it: each word in a <w> with its Strong's number, a note and a title inside."""
    tagged = " ".join(f'<w lemma="strong:H{n:04d}">{w}</w>' for n, w in enumerate(words.split()))
    note = '<note type="study">Heb. a note of the translators, never drawn</note>'
    return f'<verse osisID="{osis}" sID="{osis}"/><title type="psalm">A Psalm of nobody</title>{tagged}.{note}<verse eID="{osis}"/>\n'


def _kjv(root: Path) -> None:
    chapters = []
    for c in range(1, 25):  # a chapter of nine verses each: three runs, one of each pool
        verses = [
            _verse(f"Gen.{c}.1", f"And Abram went down into Egypt in the year {c} of his journey"),
            _verse(f"Gen.{c}.2", "and he took his flocks with him and all that he had"),
            _verse(f"Gen.{c}.3", "and the famine was grievous in the land"),
            _verse(f"Gen.{c}.4", f"And the sheep were counted by Moses, every one of them, {c} times over"),
            _verse(f"Gen.{c}.5", "and the sheep were numbered every one"),
            _verse(f"Gen.{c}.6", "and none of them was lost in the wilderness"),
            _verse(f"Gen.{c}.7", f"For the word of God is quick and powerful and sharper than a sword {c} times"),
            _verse(f"Gen.{c}.8", "and the wicked shall be as chaff before the wind"),
            _verse(f"Gen.{c}.9", "and the righteous shall flourish as a branch"),
        ]
        chapters.append(f'<chapter osisID="Gen.{c}">\n{"".join(verses)}</chapter>\n')
    # a chapter's last run shorter: one verse, too short to draw
    chapters.append('<chapter osisID="Gen.99">\n' + _verse("Gen.99.1", "Amen") + "</chapter>\n")
    _write(root / b.KJV, '<?xml version="1.0"?>\n<osis><div type="book" osisID="Gen">\n' + "".join(chapters) + "</div></osis>\n")


def _pod(n: int) -> str:
    return (
        f"=head1 NAME\n\nperl5{n}delta - what is new for perl v5.{n}\n\n=head1 Modules\n\n"
        f"B<Tie::Memoize{n}>, by Ilya Zakharevich, provides on-demand loaded hashes;\nsee L<Tie::Memoize|Tie::Memoize> "
        f"and C<< $self->{{LIST}} >> or C<$self-E<gt>{{LIST}}>.\n\n"
        "    my $verbatim = 'Written by Jane Example, in a code block never drawn at all';\n\n"
        "=begin html\n\n<p>Written by Jane Example, in a block for HTML alone.</p>\n\n=end html\n\n"
        f"This plain paragraph number {n} has nothing in it but words, and a few more words besides.\n\n=cut\n"
    )


def _perl(root: Path) -> None:
    folder = root / b.PERL_PODS
    for n in range(30):
        _write(folder / f"perl5{n}delta.pod", _pod(n))
    fsf = "You should have received a copy of the licence; if not, write to the Free Software\nFoundation, Inc., 51 Franklin Street, Fifth Floor, Boston MA 02110-1301 USA.\n\n"
    place = "The proceedings of the workshop on memory, held in Rennes, France, in the\nautumn of that year, are out.\n\n"
    _write(folder / "perlgpl.pod", "=head1 NAME\n\nperlgpl - the GNU General Public License\n\n" + fsf + place)
    _write(folder / "perlhist.txt", fsf.replace("51", "52"))  # not a pod


def _emacs(root: Path) -> None:
    folder = root / b.EMACS_ETC
    news = "".join(
        f"** New command 'frobnicate-{n}'.\nIt frobnicates the buffer.\n\nThe frobnicator was written by John Smith{n} and works well on every machine we tried.\n\n\n"
        for n in range(22)
    )
    _write(folder / "NEWS.27", news + "+++\nThis paragraph is after a change marker and is left out, by Jane Example.\n\n")
    _write(
        folder / "PROBLEMS",
        "".join(f"Plain text number {n} of the problems, with nothing in it but words and more words.\n\n" for n in range(4))
        + TAKEN
        + "\n",
    )
    _write(folder / "AUTHORS", "Jane Example: wrote the frobnicator and much else besides in the editor.\n")
    _write(folder / "refcard.tex", "Written by John Smith, who is never drawn from a file of another kind.\n")


def _handbook(root: Path) -> None:
    folder = root / b.HANDBOOK
    paras = "".join(
        f'<div class="para">\n\tThanks to Jorge Maldonado{n} Ventura &amp; Daniel Leidert for the <span class="emphasis"><em>hard</em></span> work they put into the update.\n</div>\n'
        for n in range(10)
    )
    clock = '<div class="para">It will sync time with the atomic clock near Frankfurt, Germany, the whole year round.</div>\n'
    plain = "".join(
        f'<div class="para">Plain prose number {n} of the handbook, with nothing in it but words and more words.</div>\n'
        for n in range(3)
    )
    _write(folder / "sect.acknowledgments.html", f"<html><body><p>Written by Jane Example</p>{paras}{clock}{plain}</body></html>")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Small copies of the packages' files, in their layout below a root of their own."""
    r = tmp_path / "root"
    _kjv(r)
    _perl(r)
    _emacs(r)
    _handbook(r)
    return r


def _texts(docs: list[dict]) -> list[str]:
    return [d["text"] for d in docs]


def test_the_draw_is_fixed_by_its_seed(root):
    first, again = b.draw(root), b.draw(root)
    assert first == again and list(first) == list(SOURCES)
    kjv = {d["id"]: d["text"] for d in first["kjv"]}
    # 24 runs of each pool: 24 places (all, under the 84 asked), 4 of the 24 named, 4 of the 24 plain
    assert len(kjv) == 24 + 4 + 4 and sum("into Egypt" in t for t in kjv.values()) == 24
    assert sum("by Moses" in t for t in kjv.values()) == 4 and sum("word of God" in t for t in kjv.values()) == 4
    assert kjv["kjv-Gen.3.1-3"] == (
        "And Abram went down into Egypt in the year 3 of his journey. and he took his flocks with him and all that he had. "
        "and the famine was grievous in the land."
    )
    assert not any("note" in t or "Psalm" in t or "Amen" in t for t in kjv.values())
    perl = _texts(first["perl"])
    # the street and place paragraphs, 20 of the 30 named, 2 of the 30 plain; formatting codes written as their text
    assert len(perl) == 1 + 1 + 20 + 2 and sum("Ilya Zakharevich" in t for t in perl) == 20
    memoize = [t for t in perl if t.startswith("Tie::Memoize")]
    tail = ", by Ilya Zakharevich, provides on-demand loaded hashes;\nsee Tie::Memoize and $self->{LIST} or $self->{LIST}."
    assert len(memoize) == 20 and all(re.fullmatch(r"Tie::Memoize\d+", t.removesuffix(tail)) for t in memoize)
    assert not any("Jane Example" in t or "52 Franklin" in t for t in perl)
    emacs = _texts(first["emacs"])
    assert len(emacs) == 16 + 2 and sum("written by John Smith" in t for t in emacs) == 16
    assert TAKEN not in emacs and not any("Jane Example" in t or "New command" in t or "never drawn" in t for t in emacs)
    handbook = _texts(first["handbook"])
    assert "It will sync time with the atomic clock near Frankfurt, Germany, the whole year round." in handbook
    assert len(handbook) == 1 + 8 + 2 and not any("Jane Example" in t for t in handbook)
    thanks = [t for t in handbook if t.startswith("Thanks to Jorge Maldonado")]
    assert len(thanks) == 8 and all(
        t.endswith(" Ventura & Daniel Leidert for the hard work they put into the update.") for t in thanks
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_builder("unseen8", *args)


def test_draw_writes_the_documents_unlabeled(root, tmp_path):
    draw_writes_the_documents_unlabeled("unseen8", b.draw, root, tmp_path)


def test_another_draw_is_never_written_over_the_labeled_part(root):
    labeled_part_is_never_written_over("unseen8", SOURCES, root)


def test_a_missing_bible_is_named(root, tmp_path):
    (root / b.KJV).unlink()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "kjv.xml missing", "apt-get download bibledit-data")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_missing_folder_is_named(root, tmp_path):
    for path in sorted((root / b.HANDBOOK).iterdir()):
        path.unlink()
    (root / b.HANDBOOK).rmdir()
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "en-US missing", "apt-get download debian-handbook")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_source_that_cannot_be_read_is_named(root, tmp_path):
    (root / b.PERL_PODS / "perl50delta.pod").unlink()
    (root / b.PERL_PODS / "perl50delta.pod").mkdir()  # a folder where a pod file should be
    one_line(_run("--root", str(root), "--draw", str(tmp_path / "x.jsonl")), "cannot read the sources")
    assert not (tmp_path / "x.jsonl").exists()


def test_nothing_to_do_is_said():
    one_line(_run(), "nothing to do")
