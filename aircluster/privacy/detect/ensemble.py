"""PERSON and LOCATION from two sources: the context rules (`names_places.py`) and the learned tagger
(`tagger.py`).

    combine(rule_hits, tagged, text, add=ADD, veto=VETO) -> hits

- a tagger span is added when its confidence (the lowest marginal of its tokens' labels) is >= `add`;
- a tagger span below `add` but at `add_known` or more is added where the rules read nothing there and the word lists
  know it (`known`: the detector's, a real town or a given name and a surname); it neither vetoes nor retypes;
- a rule span the tagger does not overlap is kept unless the tagger is sure its words are no entity
  (mean marginal of "O" >= `veto`); spans with a number (addresses, postcodes) are never vetoed;
- where both overlap with different types, the tagger's type wins when it is confident, else the
  rule's (asking the word lists to agree as well cost 0.01 of LOCATION recall on fresh); where they
  agree, both stay and the detector keeps the longer span; where the rules matched an address by its
  patterns, their span stands, and the tagger's adds only what it read after it on the same line (the town).
The thresholds were chosen with `bench/name_tagger_eval.py` on template families left out of the
tagger's training.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from aircluster.privacy.detect.names_places import FIRM_FORMS, NAME_PARTICLES, pair_with_ampersand
from aircluster.privacy.detect.tagger import Tagged

Hit = tuple[str, int, int, float]
# Measured with taggers trained without the family scored (fresh, blind): vetoes took the rules'
# LOCATION precision on fresh from 0.64 to 0.93-1.00 at no recall cost; adding only spans >= 0.85-0.95
# kept most of the tagger's false PERSONs out at a recall cost under 0.01 (0.9: between the two).
ADD = 0.9
VETO = 0.9
TYPE_WINS = 0.8  # tagger confidence above which its type overrides the rule's
# The least confidence of a weak span the lists vouch for (a land's; a town needs names_places.WEAK_TOWN): detector 46, on
# the twenty-three prose parts of its day, LOCATION +16 found, +1 wrong; the families the same but one name more.
ADD_KNOWN = 0.4


def _overlaps(a: Hit, b: Hit) -> bool:
    return a[1] < b[2] and b[1] < a[2]


def _token_range(starts: list[int], start: int, end: int) -> range:
    """Indexes of the tokens that start inside [start, end) (tokens never overlap: found by bisection,
    so a span costs its own tokens, not the whole text's)."""
    return range(bisect_left(starts, start), bisect_left(starts, end))


def _p_outside(tagged: Tagged, starts: list[int], start: int, end: int) -> float:
    """Mean marginal of "O" over the word tokens in [start, end); 0.0 if a token there is not "O"."""
    probs = []
    first = bisect_left(starts, start)
    if first and tagged.tokens[first - 1].end > start:
        first -= 1  # a token that starts before the span and reaches into it
    for k in range(first, bisect_left(starts, end)):
        tok = tagged.tokens[k]
        if not tok.text[0].isalnum():
            continue
        if tagged.labels[k] != "O":
            return 0.0
        probs.append(tagged.confidence[k])
    return sum(probs) / len(probs) if probs else 0.0


def _has_digit(tagged: Tagged, starts: list[int], h: Hit) -> bool:
    return any(tagged.tokens[k].text[0].isdigit() for k in _token_range(starts, h[1], h[2]))


def _plausible(text: str, tagged: Tagged, m: Hit) -> bool:
    """Checks the rules make and the tagger cannot learn from its few features: a word in lower case
    needs words around it to be read as a name (a key name "meta" alone is not one), and one word of
    an "X & Y" pair is a firm ("Ben & Jerry's"); no name or address reaches across a tab (a column break:
    "08/17<tab>Mae West" is a date and a name, not house number 17) or opens with punctuation; a firm's legal form
    alone is neither a person nor a place (the tagger reads "Inc" over a street line as a town)."""
    span = text[m[1] : m[2]]
    if "\t" in span or not span[0].isalnum() or span.rstrip(".").lower() in FIRM_FORMS:
        return False
    if not any(c.isupper() for c in span) and len(tagged.tokens) < 4:
        return False
    return not (m[0] == "PERSON" and pair_with_ampersand(text, (m[1], m[2])))


_HEAD_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+")


def _without_lower_head(text: str, m: Hit) -> Hit | None:
    """A person's span with capitals without the lower-case words opening it that are no name's particle ("cried
    Marbledge" -> "Marbledge"; "van der Berg" stays); None when nothing capitalized is left. A span in lower case
    throughout is left as it is ("says halina zielinska": chat writes names so; `_plausible` judges it)."""
    if m[0] != "PERSON" or not text[m[1] : m[1] + 1].islower() or text[m[1] : m[2]].islower():
        return m
    start = m[1]
    while (word := _HEAD_WORD.match(text, start, m[2])) and word.group(1).islower() and word.group(1) not in NAME_PARTICLES:
        start = word.end()
    if start == m[1]:
        return m
    return (m[0], start, m[2], m[3]) if text[start : start + 1].isupper() else None


def combine(
    rule_hits: list[Hit],
    tagged: Tagged,
    text: str,
    add: float = ADD,
    veto: float = VETO,
    type_wins: float = TYPE_WINS,
    longer: bool = True,
    keep_digits: bool = True,
    sure: Callable[[Hit], bool] | None = None,
    keeps_type: Callable[[Hit], bool] | None = None,
    known: Callable[[Hit], bool] | None = None,
    add_known: float = ADD_KNOWN,
) -> list[Hit]:
    """`sure`: rule spans the tagger may not veto (a real town by name: the tagger's few features
    learned that a capitalized word opening a sentence is mostly no entity, "Chicago is windy"); `keeps_type`: rule
    spans whose type the tagger's may not replace (a country by its name); `known`: weak tagger spans the word lists
    vouch for."""
    model = [t for s in tagged.spans if s[3] >= add and (t := _without_lower_head(text, s)) and _plausible(text, tagged, t)]
    # Below the adding confidence, what the lists know (a real town, a given name and a surname) where the rules read
    # nothing: only added, it neither vetoes nor retypes a rule's span.
    weak = (
        [
            t
            for s in tagged.spans
            if add_known <= s[3] < add
            and (t := _without_lower_head(text, s))
            and not any(_overlaps(h, t) for h in rule_hits if h[0] in ("PERSON", "LOCATION"))
            and known(t)
            and _plausible(text, tagged, t)
        ]
        if known is not None
        else []
    )
    starts = [t.start for t in tagged.tokens]
    out: list[Hit] = []
    for h in rule_hits:
        if h[0] not in ("PERSON", "LOCATION"):
            out.append(h)
            continue
        over = [m for m in model if _overlaps(h, m)]
        if not over:
            if (
                veto <= 1.0
                and not (keep_digits and _has_digit(tagged, starts, h))
                and _p_outside(tagged, starts, h[1], h[2]) >= veto
                and not (sure is not None and sure(h))
            ):
                continue
            out.append(h)
            continue
        if any(m[0] != h[0] and m[3] >= type_wins for m in over) and not (keeps_type is not None and keeps_type(h)):
            continue  # the tagger's confident type stands in for this span, but not for a country ("Russia, Moscow")
        out.append(h)
    for m in model:
        clash = [h for h in rule_hits if h[0] in ("PERSON", "LOCATION") and h[0] != m[0] and _overlaps(h, m)]
        if clash and (m[3] < type_wins or (keeps_type is not None and any(map(keeps_type, clash)))):
            continue
        same = [h for h in rule_hits if h[0] == m[0] and _overlaps(h, m)]
        # Where both found it the longer span stays (the detector's overlap rule), except for an
        # address the rules' patterns matched: their boundaries are exact ("Studio 5 X Road").
        if same and (not longer or any(_has_digit(tagged, starts, h) for h in same)):
            tail = _tail(text, m, same)
            if tail is not None:
                out.append(tail)
            continue
        out.append(m)
    return out + weak


def _tail(text: str, m: Hit, same: list[Hit]) -> Hit | None:
    """The part of the tagger's address span after the rules' street on the same line: the town they
    did not read ("14 Harrow Lane" + ", Old Trafford"); None when the rules' span reaches as far."""
    start = max(h[2] for h in same)
    while start < m[2] and text[start] in " \t,":
        start += 1
    if start >= m[2] or "\n" in text[max(h[2] for h in same) : m[2]]:
        return None
    return (m[0], start, m[2], m[3])
