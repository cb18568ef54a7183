"""The scan's cost grows with a field's length, not with its square: a 1 MB field is ten 100 kB fields.

Compared by CPU time of this process (not wall clock, not an absolute bound): 10x the text may cost at
most 20x the time. A scan that compares every finding with every token costs about 100x.
"""

from __future__ import annotations

import itertools
import random
import time

from aircluster.privacy.detect.detector import NAME_WINDOW, Detector, name_windows

WORDS = [
    "the",
    "report",
    "was",
    "sent",
    "on",
    "time",
    "and",
    "team",
    "agreed",
    "to",
    "review",
    "numbers",
    "again",
    "next",
    "week",
    "while",
    "everyone",
    "waited",
    "for",
    "final",
    "figures",
    "from",
    "office",
]
PII = (
    "Thanks Margaret Thompson for the notes.",
    "Write to anna.berg@example.org today.",
    "We moved to Rotterdam last spring.",
    "Call me on (415) 555-2671 after six.",
    "I was born on 14 March 1987 in a small town.",
    "The box at 203.0.113.42 keeps dropping.",
)


def prose(size: int, seed: int = 7) -> str:
    """Ordinary sentences with a PII sentence every few hundred characters, paragraphs between."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.15:
            sentence = rng.choice(PII)
        else:
            words = rng.choices(WORDS, k=rng.randint(6, 16))
            sentence = " ".join(words).capitalize() + "."
        sep = "\n\n" if rng.random() < 0.1 else " "
        parts.append(sentence + sep)
        length += len(sentence) + len(sep)
    return "".join(parts)[:size]


def cpu_seconds(detector: Detector, text: str) -> float:
    start = time.process_time()
    detector.scan_text(text)
    return time.process_time() - start


def test_a_1mb_field_costs_about_ten_100kb_fields(detector):
    small, large = prose(100_000), prose(1_000_000)
    cpu_seconds(detector, small)  # warm the word caches
    small_time = min(cpu_seconds(detector, small) for _ in range(2))
    large_time = cpu_seconds(detector, large)
    assert large_time < 20 * small_time, (small_time, large_time)


def test_findings_in_a_long_field_keep_their_offsets(detector):
    text = prose(300_000)
    hits = detector.scan_text(text)
    # Every PII sentence of the text is found wherever it sits, at its own offset.
    for sentence, entity, value in (
        ("Thanks Margaret Thompson", "PERSON", "Margaret Thompson"),
        ("Write to anna.berg@example.org", "EMAIL_ADDRESS", "anna.berg@example.org"),
        ("moved to Rotterdam", "LOCATION", "Rotterdam"),
    ):
        positions = {text.index(value, i) for i in _all(text, sentence)}
        got = {s for e, s, t, _ in hits if e == entity and text[s:t] == value}
        assert positions and positions == got, (entity, len(positions), len(got))
    # Non-overlapping and sorted, as for a short text.
    assert all(a[2] <= b[1] for a, b in itertools.pairwise(hits))


def test_a_name_across_a_window_cut_is_not_split():
    text = ("word " * (NAME_WINDOW // 5)) + "Thanks Margaret Thompson for the notes. " + "more words here. " * 400
    pieces = list(name_windows(text, NAME_WINDOW))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))  # contiguous, no gap
    assert all(0 < b - a <= NAME_WINDOW for a, b in pieces)
    assert all(text[b - 1] == " " for _, b in pieces[:-1])  # cut after a space
    name = text.index("Margaret Thompson")
    assert not any(name < b < name + len("Margaret Thompson") for _, b in pieces)


def _all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out
