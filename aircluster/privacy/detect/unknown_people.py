"""People no word list knows, read from the sentence around them by a second tagger.

    UnknownPeople(tagger, lexicon, frequent).scan(text, hits) -> new PERSON hits

The shipped tagger learned from posts whose people the lists know; a tagger trained on whole books as well
(tools/name_tagger/silver.py) reads "muttered Ahab" and "talked with Steelkilt". It also reads any capitalized word no
list knows as someone a little too readily, so it is asked only what the first cannot answer: a PERSON span it is
sure of (ADD), every word of it (titles aside) no known place, ordinary or frequent word, not opening a sentence or a
line (there a capital says nothing: "Grafana is down"), and overlapping nothing found before. A known surname or given
name qualifies too, where neither the rules nor the shipped tagger found anything ("This kick fairly sickened Hughes":
no cue, and the first tagger learned from posts). A single word it reads as a person below ADD, at VOTE or above, counts
when the text gives it that reading twice or more, once at least inside a sentence: then every such reading is kept,
sentence openers too ("Upon this Uguccione assembled ... Uguccione now took ..."); so does one at ACTING or above that
acts in its sentence, a verb after it or a speaker's verb before it ("Stubb hailed the mate", "Tarkovsky returned to
Italy"). Everything else (types of place words, vetoes, boundaries) stays with the rules and the shipped tagger.
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.lexicon import DATA_DIR, Lexicon
from aircluster.privacy.detect.names_places import ACTS_AFTER, SPEAKER_VERB_BEFORE, TITLES, pair_with_ampersand
from aircluster.privacy.detect.tagger import NameTagger

READER_PATH = DATA_DIR / "name_reader.crf.gz"  # built by tools/name_tagger (README: "Whole books, labeled silver")
Hit = tuple[str, int, int, float]
# Measured on the development parts with 0.9 and 0.95: 0.9 found a few more (Moby-Dick PERSON recall 0.413 against
# 0.407) and cost precision on the Bible and the kernel's texts (unseen8 0.862 to 0.851, unseen7 0.913 to 0.901).
ADD = 0.95
VOTE = 0.5  # a weaker reading, which counts only when the text gives the same word that reading VOTES times
VOTES = 2
# A single word read as a person at ACTING or above that acts in its sentence ("Stubb hailed", "said Flask", "Tarkovsky
# returned", a sentence's opener too) counts at once. Measured on the development parts, pooled: PERSON +20 found, +4
# wrong at 0.7; 0.6 found 6 more and 5 more wrong; leaving openers out kept 7 of the 20. A copula says too little:
# "Kashubia is a historical region", "Elam was an ancient civilization".
ACTING = 0.7
_COPULA = re.compile(r"[ \t]+(?:is|was|has|does)\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Before a sentence's or a line's first word, or a quoted value's or a field's: the text's start, a sentence's end and
# spaces, a line break, an opening quote or bracket, a comma or a tab with no space after it (a CSV or TSV cell).
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;]['\"”’)]*\s+|\n\s*|[\"“‘'(]\s*|[,\t])$")


class UnknownPeople:
    def __init__(self, tagger: NameTagger, lexicon: Lexicon, frequent: frozenset[str]):
        self.tagger = tagger
        # Names are not "known" here: what reaches this reader is what the rules and the first tagger left (measured
        # on the development parts: PERSON recall 0.849 -> 0.853 at precision 0.931 -> 0.929, pooled).
        self.known = lexicon.places | lexicon.common_words | frequent

    def scan(self, text: str, hits: list[Hit]) -> list[Hit]:
        out: list[Hit] = []
        # One word read as a person below ADD (or opening a sentence): (start, end, opens a sentence, added already as
        # acting), by the word.
        votes: dict[str, list[tuple[int, int, bool, bool]]] = {}
        for entity, start, end, score in self.tagger.tag(text, probe=[]).spans:  # marginals of its spans only
            if entity != "PERSON" or score < VOTE or any(h[1] < end and start < h[2] for h in hits):
                continue
            words = [w.lower() for w in _WORD.findall(text[start:end])]
            named = [w for w in words if w.rstrip(".") not in TITLES]
            if not named or any(w in self.known or not w.isalpha() for w in named):
                continue
            opens = _OPENS_SENTENCE.search(text, max(0, start - 4), start) is not None and words[0] == named[0]
            if pair_with_ampersand(text, (start, end)):
                continue  # "Ben-Ami & Jerry": a firm's name
            if score >= ADD and not opens:
                out.append(("PERSON", start, end, score))
            elif len(words) == 1:
                acting = score >= ACTING and self._acting(text, start, end)
                if acting:
                    out.append(("PERSON", start, end, score))
                votes.setdefault(text[start:end], []).append((start, end, opens, acting))
        for spans in votes.values():
            # "Upon this Uguccione assembled ... Uguccione now took up": a word the reader calls a person twice or
            # more, once at least inside a sentence, is one wherever it stands (measured: three asked too much of the
            # short passages, where a name comes back twice; the development parts' PERSON recall 0.838 -> 0.843 at
            # precision 0.931 -> 0.929, pooled).
            if len(spans) >= VOTES and any(not opens for _, _, opens, _ in spans):
                out += [("PERSON", start, end, VOTE) for start, end, _, added in spans if not added]
        return out

    @staticmethod
    def _acting(text: str, start: int, end: int) -> bool:
        """A verb after the word (not a copula) or a speaker's verb before it."""
        return bool(
            (ACTS_AFTER.match(text, end) and not _COPULA.match(text, end))
            or SPEAKER_VERB_BEFORE.search(text, max(0, start - 20), start)
        )
