"""One pass over a field for the cue words that the pattern recognizers start from.

    cues = Cues({"kind": ["word", ...], ...})   # built once
    found = cues.find(text)               # one pass over the field
    found.has(kind) -> bool
    found.starts(kind) -> list[int] | None   # sorted, distinct offsets where a cue word of `kind` starts
    anchored(pattern, text, starts) -> Iterator[re.Match]   # pattern.finditer(text), tried only at `starts`
    run_starts(text, starts) -> list[int] # the start of the [\\w.-] run holding each offset

Most recognizers look for a keyword first ("password", "born", "--token") and read the value after it.
Run as regexes, each keyword alternation is tried at every position of the field, once per recognizer:
on long prose that costs more than everything else they do. Here every keyword of every recognizer
is found in one Aho-Corasick pass over the lower-cased field, and each recognizer's regex is then
tried only where one of its keywords starts.

The matches are the same as the full regex scan's when every match of the pattern starts at one of
the positions given (the callers say for each pattern why it does) and `anchored` visits them as
`finditer` would: in order, none inside the previous match. Case-insensitive regexes fold four
non-ASCII letters to ASCII ones ("ſ" to "s", the Kelvin sign to "k", dotted and dotless i) that
lower-casing leaves alone, and lower-casing can change a text's length; for such a text `find` returns
a Found that knows nothing (`has` is always true, `starts` None) and every pattern runs over all of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import ahocorasick

# Below this many characters a recognizer may search the whole text instead: preparing the cue pass and
# the anchored matches costs more than the regex over a short value.
SEARCH_WHOLE_BELOW = 200
# Letters that re.IGNORECASE matches to ASCII letters but str.lower() does not map to them.
_UNFOLDED = ("\u017f", "\u212a", "\u0130", "\u0131")  # ſ, Kelvin sign, İ, ı


class Found:
    """Where each kind's cue words start in one text; `None`: not searched, they may be anywhere."""

    __slots__ = ("_starts",)

    def __init__(self, starts: dict[str, list[int]] | None):
        self._starts = starts

    def has(self, kind: str) -> bool:
        return self._starts is None or kind in self._starts

    def starts(self, kind: str) -> list[int] | None:
        return None if self._starts is None else self._starts.get(kind, [])


EVERYWHERE = Found(None)


class Cues:
    """Keywords by kind (lower case); one automaton for all of them."""

    def __init__(self, kinds: Mapping[str, Iterable[str]]):
        by_word: dict[str, set[str]] = {}
        for kind, words in kinds.items():
            for word in words:
                if word != word.lower() or not word:
                    raise ValueError(f"cue word {word!r} of {kind}: must be non-empty and lower case")
                by_word.setdefault(word, set()).add(kind)
        self._words = tuple(by_word)
        self._automaton = ahocorasick.Automaton()
        for word, word_kinds in by_word.items():
            self._automaton.add_word(word, (len(word) - 1, tuple(sorted(word_kinds))))
        self._automaton.make_automaton()

    def occur_in(self, text: str) -> bool:
        """May any cue word occur in `text`? A substring test per word: for a short text, cheaper than the
        automaton's pass and far cheaper than the regex it gates. True when `text` cannot be lower-cased
        letter for letter (as `find` says "anywhere" then)."""
        lower = text.lower()
        if len(lower) != len(text) or (not text.isascii() and any(c in text for c in _UNFOLDED)):
            return True
        return any(word in lower for word in self._words)

    def find(self, text: str) -> Found:
        lower = text.lower()
        # Four substring scans in C: far cheaper than hashing every character of a long text into a set.
        if len(lower) != len(text) or (not text.isascii() and any(c in text for c in _UNFOLDED)):
            return EVERYWHERE
        starts: dict[str, list[int]] = {}
        for end, (back, kinds) in self._automaton.iter(lower):
            for kind in kinds:
                starts.setdefault(kind, []).append(end - back)
        # The automaton reports by end offset: a longer word ending at the same place starts earlier.
        return Found({kind: sorted(set(s)) for kind, s in starts.items()})


def anchored(pattern: re.Pattern[str], text: str, starts: Iterable[int] | None) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` when every match starts at one of `starts` (sorted): each start is
    tried with `match` (look-behinds and \\b still see the text before it), skipping those inside the
    previous match, as finditer does. `starts` None: all of `text`."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for s in starts:
        if s < end:
            continue
        m = pattern.match(text, s)
        if m is not None:
            yield m
            end = max(m.end(), s + 1)


_RUN_TAIL = re.compile(r"[\w.-]*\Z")


def run_start(text: str, k: int, tail: re.Pattern[str], floor: int = 0) -> int:
    """Where the run ending at offset `k` begins, `tail` being the run's characters repeated then \\Z (it matches
    the empty string at k): searched back in growing windows, so a long run costs its length once, never
    before `floor`."""
    reach = 64
    while True:
        lo = max(floor, k - reach)
        m = tail.search(text, lo, k)
        assert m is not None  # the empty string matches at k
        if m.start() > lo or lo == floor:
            return m.start()
        reach *= 4  # the run reaches past the window: look further back


def run_starts(text: str, starts: Iterable[int] | None) -> list[int] | None:
    """For each offset, where the run of word characters, dots and hyphens that holds it begins (the
    only place a pattern opening with (?<![\\w.-])[\\w.-]*? can match); sorted, distinct."""
    if starts is None:
        return None
    return sorted({run_start(text, k, _RUN_TAIL) for k in starts})
