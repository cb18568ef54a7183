"""E-mail addresses written so that a harvester misses them and a reader does not.

    spelled_emails(text) -> [("EMAIL_ADDRESS", start, end, score)]

Mailing lists, credits and lists of mirrors write an address with its "@" spelled out or swapped: "clairex.yu #
utoronto.ca" (CRAN's mirrors), "hostmaster _ at _ gweep.net", "anna [at] example [dot] org", "anna (at) example.org",
"anna at example dot org". The address is the person's all the same. Read here:

- the local part, then a stand-in for "@": "#" with spaces around ("#python" is a tag), "at" in brackets or
  between underscores, or "at" between spaces when the domain spells its dots too and its labels open with a letter
  ("anna at example dot org"; "works at example.com" is a sentence, "meet at 5 dot com" a time);
- then a domain of two labels or more, its dots written or spelled ("dot", "[dot]", "(dot)"), the last label
  letters only.

An address written plainly is Presidio's e-mail recognizer's. The address is tried only where a stand-in for "@"
follows a word: linear in the text, and nothing to do in one without any.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.cues import anchored, run_start

Hit = tuple[str, int, int, float]

SCORE = 0.85

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_NAMED_LABEL = r"[A-Za-z][A-Za-z0-9-]{0,62}"  # "meet at 5 dot com" is a time, not a domain
_TLD = r"[A-Za-z]{2,24}"
_SPELLED_DOT = r"[ \t]*[\[(](?i:dot)[\])][ \t]*|[ \t]+(?i:dot)[ \t]+"
_DOT = rf"\.|{_SPELLED_DOT}"
# "#", "@" between spaces; "[at]", "(at)", "_at_", "_ at _" with or without spaces: each stands in for "@" whatever
# the domain writes.
_STAND_IN = r"[ \t]+#[ \t]+|[ \t]*[\[(](?i:at)[\])][ \t]*|[ \t]*_[ \t]*(?i:at)[ \t]*_[ \t]*"
_ADDRESS = re.compile(
    rf"(?<![\w.%+-])(?P<local>{_LOCAL})"
    rf"(?:(?:{_STAND_IN})(?:{_LABEL}(?:{_DOT}))+{_TLD}"
    # plain " at " only with a spelled dot in the domain: "anna at example dot org"
    rf"|[ \t]+(?i:at)[ \t]+(?:{_NAMED_LABEL}(?:{_DOT}))*{_NAMED_LABEL}(?:{_SPELLED_DOT}){_TLD})"
    r"(?![\w-]|\.[A-Za-z0-9])"
)
# What a stand-in for "@" opens with (found with str.find, in C): the address is tried only at the start of the run
# of characters before each, the only place its look-behind lets it start, not at every word of a long text.
_CUES = tuple(
    f"{a}{at}{b}"
    for at in ("at", "AT", "At")
    for a, b in ((" ", " "), ("\t", " "), ("[", "]"), ("(", ")"), ("_", "_"), ("_ ", " _"))
) + (" # ", "\t# ")
_RUN_TAIL = re.compile(r"[\w.%+-]*\Z")


def _local_part_starts(text: str) -> list[int]:
    starts: set[int] = set()
    for cue in _CUES:
        at = text.find(cue)
        while at >= 0:
            end = at
            while end and text[end - 1] in " \t":  # "anna  [at] ...": the spaces before the stand-in
                end -= 1
            starts.add(run_start(text, end, _RUN_TAIL))
            at = text.find(cue, at + 1)
    return sorted(starts)


def spelled_emails(text: str) -> list[Hit]:
    return [("EMAIL_ADDRESS", m.start(), m.end(), SCORE) for m in anchored(_ADDRESS, text, _local_part_starts(text))]
