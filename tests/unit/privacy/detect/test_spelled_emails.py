"""E-mail addresses with their "@" spelled out are found; sentences, tags and numbers that look a little like them
are not."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.spelled_emails import spelled_emails

from ..conftest import found


def _emails(text: str) -> list[str]:
    return [text[s:e] for _, s, e, _ in spelled_emails(text)]


@pytest.mark.parametrize(
    "text, address",
    [
        ("Claire Yu <clairex.yu # utoronto.ca>", "clairex.yu # utoronto.ca"),  # CRAN's mirrors
        ("// Submitted by k12-ma-hostmaster _ at _ rsuc.gweep.net", "k12-ma-hostmaster _ at _ rsuc.gweep.net"),
        ("mail anna [at] example [dot] org now", "anna [at] example [dot] org"),
        ("write to anna (at) example.org.", "anna (at) example.org"),
        ("write to anna at example dot org.", "anna at example dot org"),
        ("O.Johnson # bristol.ac.uk", "O.Johnson # bristol.ac.uk"),
        ("Mail Foo.Bar At Example Dot Com today", "Foo.Bar At Example Dot Com"),  # "at" in any case
        ("write to anna  [at]  example.org", "anna  [at]  example.org"),  # spaces around the stand-in
    ],
)
def test_a_spelled_out_address_is_found_whole(text, address):
    assert _emails(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "I work at google.com these days",  # "at" and a plain domain: a sentence
        "see issue # 123 and PR #17770",  # numbers
        "meet at 5 dot com",  # a time
        "follow the tag #python.org",  # "#" without a space after it: a tag
        "C # is a language; room # 12.5",
        "Anna Berg <anna@example.org>",  # written plainly: Presidio's recognizer reads it
    ],
)
def test_look_alikes_are_no_address(text):
    assert _emails(text) == []


def test_the_detector_reports_it_as_one_address_and_keeps_the_name_before_it(detector):
    text = "Duke University, Durham, NC\nClaire Yu <clairex.yu # utoronto.ca>"
    got = found(detector, text)
    assert ("EMAIL_ADDRESS", "clairex.yu # utoronto.ca") in got and ("PERSON", "Claire Yu") in got
    assert not any(e == "URL" for e, _ in got)  # its domain is no web address of its own


def test_an_address_after_a_long_text_with_at_in_every_sentence_is_found_at_its_offsets():
    # a long text with "at" in every sentence and one address near its end: found, at its own offsets
    text = "We met at noon and talked at length. " * 20_000 + "Write to anna at example dot org."
    hits = spelled_emails(text)
    assert [text[s:e] for _, s, e, _ in hits] == ["anna at example dot org"]
