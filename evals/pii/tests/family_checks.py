"""Checks every synthetic family's tests make in the same way; each family's tests add their own on top.

A family is reached through `generate_posts(..., template_set=FAMILY)` and through its own generator,
`posts(n, seed, **kw) -> [(text, spans, label, locale), ...]`.
"""

from __future__ import annotations

import collections
import itertools
import re
import time
from collections.abc import Callable, Container, Iterable, Sequence
from datetime import date

import pytest

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii.clock import faker_today
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.synth import DEFAULT_LOCALE_MIX, TOPICS, Span, generate_posts
from evals.pii.tests.formats import luhn_ok

LOCALES = [loc for loc, _ in DEFAULT_LOCALE_MIX]
CARD_RUN = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")  # card-length digit runs
Posts = Callable[..., list]  # posts(n, seed, **kw) -> [(text, spans, label, locale), ...]


def posts_of(generate: Callable[..., Iterable[tuple]]) -> Posts:
    """A family generator with the evaluation's defaults (all locales, any name, 3 in 4 lines with PII,
    every entity alike) that keyword arguments override."""

    def posts(n: int, seed: int, **kw) -> list:
        args = {"locale_mix": DEFAULT_LOCALE_MIX, "name_pool": "any", "pii_rate": 0.75, "weights": None} | kw
        return list(generate(n, seed, **args))

    return posts


def check_deterministic(family: str, posts: Posts, others: Iterable[str], n: int = 60, detailed: Posts | None = None) -> None:
    """The same seed gives the same posts, another seed or family others; generate_posts hands the
    family's posts through unchanged, and so does its `detailed` generator (which adds each post's
    style and language); the unseen name pool is deterministic too."""
    first = list(generate_posts(n, seed=5, template_set=family))
    assert first == list(generate_posts(n, seed=5, template_set=family))
    assert first != list(generate_posts(n, seed=6, template_set=family))
    for other in others:
        assert first != list(generate_posts(n, seed=5, template_set=other)), other
    assert first == [(t, s) for t, s, _, _ in posts(n, seed=5)]
    if detailed is not None:
        assert posts(n, seed=5) == [p[:4] for p in detailed(n, seed=5)]
    unseen = list(generate_posts(n // 2, seed=5, name_pool="unseen", template_set=family))
    assert unseen == list(generate_posts(n // 2, seed=5, name_pool="unseen", template_set=family))
    assert unseen != first[: n // 2]


def check_ignores_the_clock(monkeypatch: pytest.MonkeyPatch, posts: Callable[[], list], wait: float = 0.0) -> None:
    """`posts()` gives the same `wait` seconds later, with Faker's "today" decades back and with the wall
    clock at 0. The blind family, which draws birth dates relative to today, shows that moving the day
    takes effect."""
    before = posts()
    if wait:
        time.sleep(wait)
        assert posts() == before
    blind_before = list(generate_posts(100, seed=9, pii_rate=1.0, template_set="blind"))
    with faker_today(date(1995, 6, 1)):
        assert list(generate_posts(100, seed=9, pii_rate=1.0, template_set="blind")) != blind_before
        assert posts() == before
    monkeypatch.setattr(time, "time", lambda: 0.0)
    assert posts() == before


def span_values(text: str, spans: Sequence[Span], label: int, loc: str, glued_after: str = "") -> list[tuple[Span, str]]:
    """Check what every family's gold spans are (ordered, apart, of a known entity, inside the text, on
    token boundaries, without surrounding space) and return each span with its value. A character of
    `glued_after` may follow a span directly (an affiliation mark after an author's name)."""
    assert 0 <= label < len(TOPICS) and loc in LOCALES
    out = []
    for s in spans:
        assert s.entity in FAMILY_ENTITIES
        assert 0 <= s.start < s.end <= len(text)
        value = text[s.start : s.end]
        assert value and value.strip() == value, (value, text)
        # a span sits on token boundaries: never glued to a letter or digit outside it
        assert s.start == 0 or not text[s.start - 1].isalnum(), (value, text)
        assert s.end == len(text) or not text[s.end].isalnum() or text[s.end] in glued_after, (value, text)
        out.append((s, value))
    assert sorted(spans, key=lambda s: s.start) == list(spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    return out


def check_unlabeled_card_runs_fail_luhn(posts: Iterable[tuple]) -> int:
    """Outside the gold spans, no run of card length passes the card checksum; returns how many such runs
    there were."""
    runs = 0
    for text, spans, *_ in posts:
        for m in CARD_RUN.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            runs += 1
            assert not luhn_ok(re.sub(r"\D", "", m.group())), (m.group(), text)
    return runs


def check_unseen_names(posts: Iterable[tuple], words_of: Callable[[str], list[str]], least: int = 200) -> None:
    """Under name_pool="unseen" every name word (`words_of` a PERSON value, titles and initials left out)
    is one the shipped word lists leave out."""
    words = [w for text, spans, *_ in posts for s in spans if s.entity == "PERSON" for w in words_of(text[s.start : s.end])]
    assert len(words) > least
    assert all(is_unseen(w) for w in words), [w for w in words if not is_unseen(w)][:10]


def check_styles_and_languages(
    big: Sequence[tuple], styles: Iterable[str], local_styles: Iterable[str] | None, least_per_style: int = 40
) -> None:
    """In `big` (detailed posts: text, spans, label, locale, style, language) every entity appears at
    least 50 times, every locale and style (`least_per_style` times each), and about a fifth of the posts
    are in German, French or Spanish, each in its locale; `local_styles`, when given, are exactly the
    styles those are written in."""
    counts = collections.Counter(s.entity for _, spans, *_ in big for s in spans)
    assert all(counts[e] >= 50 for e in FAMILY_ENTITIES), counts
    assert {post[3] for post in big} == set(LOCALES)
    seen = collections.Counter(post[4] for post in big)
    assert set(seen) == set(styles)
    assert all(c >= least_per_style for c in seen.values()), seen
    langs = collections.Counter(post[5] for post in big)
    assert set(langs) == {"en", "de", "fr", "es"}
    assert 0.12 <= (len(big) - langs["en"]) / len(big) <= 0.30, langs
    for _, _, _, loc, _style, lang in big:
        if lang != "en":
            assert loc.startswith(lang)
    if local_styles is not None:
        local = {(post[5], post[4]) for post in big if post[5] != "en"}
        assert local == {(lang, s) for lang in ("de", "fr", "es") for s in local_styles}


def bank_lines(bank: dict, parts: Iterable[str] = ("topic", "pii", "miss")) -> list[str]:
    """The template lines of a style's bank in `parts` (each a list, or a dict of lists by topic or entity)."""
    out: list[str] = []
    for part in parts:
        lines = bank[part]
        out += [t for ts in lines.values() for t in ts] if isinstance(lines, dict) else list(lines)
    return out


def words_of(templates: Iterable[str]) -> set[str]:
    """The words of four letters or more in `templates`, their slots left out."""
    return {w for t in templates for w in re.findall(r"[^\W\d_]{4,}", re.sub(r"\{[^}]*\}", " ", t.lower()))}


def check_local_posts_use_their_language(big: Sequence[tuple], english: set[str], local: dict[str, set[str]]) -> None:
    """A German, French or Spanish post holds a word of its language's templates (`local[lang]`) that no
    English template (`english`) uses."""
    for lang, words in local.items():
        own = words - english
        for text, *_, post_lang in big:
            if post_lang == lang:
                assert len(set(re.findall(r"[^\W\d_]{4,}", text.lower())) & own) >= 1, (lang, text)


def check_distractors(
    big: Iterable[tuple],
    patterns: dict[str, str],
    inside: Container[str],
    contained: bool = True,
    flags: dict[str, re.RegexFlag] | None = None,
) -> None:
    """Every distractor pattern turns up in `big` and is never labeled itself: where it overlaps a span,
    that span is of an entity in `inside` (a URL or credential that carries it) and, with `contained`,
    holds it whole. `flags` are per-pattern regex flags."""
    seen = set()
    for text, spans, *_ in big:
        for name, pattern in patterns.items():
            for m in re.finditer(pattern, text, (flags or {}).get(name, 0)):
                seen.add(name)
                for s in spans:
                    if s.start < m.end() and m.start() < s.end:
                        assert s.entity in inside, (name, text)
                        assert not contained or s.start <= m.start() and m.end() <= s.end, (name, text)
    assert seen == set(patterns), set(patterns) - seen


def check_spans_are_drawn_values(
    monkeypatch: pytest.MonkeyPatch, values_class: type, posts: Callable[[], Iterable[tuple]], least: int = 1000
) -> None:
    """Each post's spans are exactly the labeled values its generator drew (through `values_class.draw`),
    in order; a LOCATION block is one span per line. `posts()` must generate lazily, a post at a time."""
    log: list[tuple[str, str]] = []
    draw = values_class.draw

    def logged(self, *args):
        entity, text = draw(self, *args)
        if entity is not None:
            log.append((entity, text))
        return entity, text

    monkeypatch.setattr(values_class, "draw", logged)
    checked = 0
    for text, spans, *_ in posts():
        drawn, log[:] = list(log), []
        expected = [(e, line) for e, t in drawn for line in (t.split("\n") if e == "LOCATION" else [t])]
        assert [(s.entity, text[s.start : s.end]) for s in spans] == expected, text
        checked += len(expected)
    assert checked > least


def check_markers(big: Iterable[tuple], markers: dict[str, str], styles: Iterable[str]) -> None:
    """Every English post (detailed: ..., style, language) opens as its style does (`markers`)."""
    assert set(markers) == set(styles)
    for text, *_, style, lang in big:
        if lang == "en":
            assert re.search(markers[style], text), (style, text)


def template_strings(*modules: object) -> set[str]:
    """Every string inside the public upper-case constants (lists, tuples, dicts, nested) of `modules`."""
    out: set[str] = set()
    for module in modules:
        for name in dir(module):
            if not name.isupper() or name.startswith("_"):
                continue
            stack = [getattr(module, name)]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    stack.extend(item.values())
                elif isinstance(item, (list, tuple)):
                    stack.extend(item)
                elif isinstance(item, str):
                    out.add(item)
    return out
