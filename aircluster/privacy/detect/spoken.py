"""Names written in lower case after a phrase that introduces a person.

    lowercase_names(text, lexicon) -> [("PERSON", start, end, score)]

Speech-to-text and quick chat write names in lower case ("you're through to carl how can i help",
"my son jessica hawkins set it up"), where neither the capitalized-run rules nor the tagger look.
After phrases that always introduce a name ("through to", "my name is") the next word is one when it
is a known first name (even one that is also a word: "grace", "guy") or no ordinary word at all (a
name the lists lack), and so is a surname-like word after it; after "this is" or "my son" only a
known first name; after the weaker ones ("with", "thanks") only a known first name that is no
ordinary word.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.lexicon import Lexicon

Hit = tuple[str, int, int, float]

# After these the next word is a name even when the lists do not know it.
_NAMEY = (
    r"(?:you're|you are|youre|i'm|i am|im) (?:through|speaking) (?:to|with)|put (?:me|you) through to"
    r"|transfer(?:ring)? (?:me|you) to|my name is|my name's|name is|name's|holder is|"
    r"ask(?:ing)? for|speak(?:ing)? to|spoke to|talk(?:ing)? to|talked to"
)
_STRONG = (
    rf"{_NAMEY}|this is|my (?:son|daughter|wife|husband|partner|mum|mom|mother|dad|father|brother|"
    r"sister|friend|colleague|neighbour|neighbor|boss|manager|landlord|grandson|granddaughter)"
)
_WEAK = r"called|named|with|thanks|thank you|hi|hello|hey|dear|cc|ping|tell|ask"
# Verbs and adverbs that follow "my friend" and are also names somewhere ("Said", "Told").
_NOT_AFTER_CUE = frozenset(
    "said says told asked went got gave took thinks thought knows wants loves made "
    "came just also really always never still".split()
)
# Closed-class words that some name list holds too ("My", a Burmese given name) and that no cue makes a name: "this is
# my favorite", "with her sister".
_FUNCTION_WORDS = frozenset(
    "a an the my your his her its our their this that these those it he she we they you me him us them "
    "not no so very too all any some each every one".split()
)
_CUE = re.compile(
    rf"\b(?:(?P<namey>{_NAMEY})|(?P<strong>{_STRONG})|(?P<weak>{_WEAK}))[ \t]+(?P<first>[a-zà-ÿ][a-zà-ÿ'’-]+)"
    r"(?:[ \t]+(?P<last>[a-zà-ÿ][a-zà-ÿ'’-]+))?"
)


def lowercase_names(text: str, lexicon: Lexicon, ordinary: frozenset[str]) -> list[Hit]:
    """`ordinary`: frequent words that are no name (a first name in it is read only after a strong cue)."""
    hits: list[Hit] = []
    first_names, last_names, common = lexicon.first_names, lexicon.last_names, lexicon.common_words
    for m in _CUE.finditer(text.lower()):
        first = m.group("first")
        if not text[m.start("first") : m.end("first")].islower():
            continue  # capitalized names are the other rules' job
        if first in _NOT_AFTER_CUE or first in _FUNCTION_WORDS:
            continue
        word = first in common or first in ordinary
        if not (first in first_names and not (m.group("weak") and word) or m.group("namey") and not word and first.isalpha()):
            continue
        end = m.end("first")
        last = m.group("last")
        if (
            last
            and text[m.start("last") : m.end("last")].islower()
            and last not in common
            and last not in ordinary
            and (last in last_names or last.isalpha() and len(last) > 2)
        ):
            end = m.end("last")
        hits.append(("PERSON", m.start("first"), end, 0.6 if m.group("weak") else 0.7))
    return hits
