"""The pieces every family writes with: exact spans from templates, and the value shapes' checksums."""

from __future__ import annotations

import random
import re

import pytest

from evals.pii.shapes import fail_luhn, hms, iban_check_digits, luhn_digit, luhn_ok, numeric_date, pick
from evals.pii.templates import ADDRESS_LINES, PostWriter, Span, render, render_slots, with_fixed
from evals.pii.tests.formats import iban_ok
from evals.pii.tests.formats import luhn_ok as luhn_ok_by_definition


def _draw(slot: str) -> tuple[str | None, str]:
    return {
        "PERSON": ("PERSON", "Ada Okafor"),
        "LOCATION.block": ("LOCATION", "12 High St\nLeeds LS1 4AB"),
        "ref": (None, "REF-7"),
    }[slot]


def test_render_labels_each_value_and_keeps_literal_braces():
    out = PostWriter()
    out.literal("> ")
    render('{{"to": "{PERSON}", "ref": "{ref}"}}', out, _draw)
    assert out.text() == '> {"to": "Ada Okafor", "ref": "REF-7"}'
    assert out.spans == [Span("PERSON", 10, 20)]
    assert out.text()[10:20] == "Ada Okafor"


def test_an_address_block_is_one_span_a_line_only_where_asked():
    for by_line, want in (
        (ADDRESS_LINES, [Span("LOCATION", 4, 14), Span("LOCATION", 15, 28)]),
        (frozenset(), [Span("LOCATION", 4, 28)]),
    ):
        out = PostWriter(by_line=by_line)
        render("To: {LOCATION.block}", out, _draw)
        assert out.spans == want
        assert [out.text()[s.start : s.end] for s in want][0].startswith("12 High St")


def test_literal_rewrites_touch_the_text_around_values_only():
    out = PostWriter()
    render("Hi {PERSON}, Bye", out, _draw, literal=str.upper)
    assert out.text() == "HI Ada Okafor, BYE" and out.spans == [Span("PERSON", 3, 13)]


def test_bad_templates_and_missing_per_post_values_are_refused():
    with pytest.raises(ValueError, match="unbalanced"):
        render("a } b", PostWriter(), _draw)
    draw = with_fixed({"=A": ("PERSON", "Rose")}, _draw)
    out = PostWriter()
    render("{=A} and {PERSON}", out, draw)
    assert out.text() == "Rose and Ada Okafor" and [s.entity for s in out.spans] == ["PERSON", "PERSON"]
    with pytest.raises(KeyError, match="=B"):
        render("{=B}", PostWriter(), draw)


def test_pattern_slots_and_a_value_s_own_full_stop():
    slot = re.compile(r"\[\[(\w+)(?:\.(\w+))?\]\]")
    out = PostWriter()
    render_slots(
        "Signed: [[PERSON.full]].", slot, out, lambda name, shape: ("PERSON", f"John Hale Jr.({shape})."), own_full_stop=True
    )
    assert out.text() == "Signed: John Hale Jr.(full)."
    out = PostWriter()
    render_slots(
        "[[topic]] and [[PERSON]]", slot, out, lambda name, shape: (None, "x") if name == "topic" else ("PERSON", f"<{shape}>")
    )
    assert out.text() == "x and <>" and out.spans == [Span("PERSON", 6, 8)]


def test_check_digits_agree_with_the_definitions():
    r = random.Random(1)
    for _ in range(500):
        body = pick(r, "0123456789", r.randint(11, 18))
        card = body + luhn_digit(body)
        assert luhn_ok(card) and luhn_ok_by_definition(card)
        assert not luhn_ok_by_definition(fail_luhn(card)) and fail_luhn(fail_luhn(card)) == fail_luhn(card)
    assert luhn_digit("7992739871") == "3"  # the textbook example
    assert iban_check_digits("GB", "WEST12345698765432") == "82"  # GB82 WEST 1234 5698 7654 32
    bban = "370400440532013000"
    assert iban_ok(f"DE{iban_check_digits('DE', bban)}{bban}")


def test_numeric_dates_and_timecodes():
    r = random.Random(2)
    assert numeric_date("iso", 1987, 3, 5, False, "en_GB", r) == "1987-03-05"
    assert numeric_date("dmy", 1987, 3, 5, True, "en_US", r) == "05/03/1987"
    assert numeric_date("numeric", 1987, 3, 5, False, "de_DE", r) == "05.03.1987"
    assert {numeric_date("numeric", 1987, 3, 5, True, "en_US", r) for _ in range(40)} == {"03/05/1987", "3/5/1987"}
    with pytest.raises(ValueError):
        numeric_date("long", 1987, 3, 5, False, "en_GB", r)
    assert hms(3723) == "01:02:03"
