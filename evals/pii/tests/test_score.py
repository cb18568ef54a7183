"""Scoring: a detection is right when it overlaps a gold span of its entity, each gold span is found once;
precision, recall and F2 from the counts; the command refuses bad arguments in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from evals.pii.score import prf, score, total
from evals.pii.templates import Span

ROOT = Path(__file__).resolve().parents[3]


def test_overlap_of_the_same_entity_counts_once_per_gold_span():
    gold = [Span("PERSON", 0, 10), Span("EMAIL_ADDRESS", 20, 35)]
    preds = [
        ("PERSON", 5, 12),  # overlaps the name: a hit
        ("PERSON", 0, 10),  # the same name again: it is already found, a false positive
        ("URL", 20, 35),  # right place, wrong entity
        ("PHONE_NUMBER", 40, 50),
    ]  # nothing there
    counts = score([gold], [preds])
    assert counts["PERSON"] == Counter(tp=1, fp=1)
    assert counts["URL"] == Counter(fp=1) and counts["PHONE_NUMBER"] == Counter(fp=1)
    assert counts["EMAIL_ADDRESS"] == Counter(fn=1)
    assert total(counts) == Counter(tp=1, fp=3, fn=1)


def test_touching_is_not_overlapping():
    counts = score([[Span("IBAN", 10, 20)]], [[("IBAN", 20, 30), ("IBAN", 0, 10)]])
    assert counts["IBAN"] == Counter(fp=2, fn=1)


def test_posts_are_scored_apart():
    golds = [[Span("US_SSN", 0, 11)], []]
    counts = score(golds, [[], [("US_SSN", 0, 11)]])
    assert counts["US_SSN"] == Counter(fn=1, fp=1)
    with pytest.raises(ValueError):
        score(golds, [[]])  # one prediction list per post


def test_precision_recall_f2():
    assert prf(Counter(tp=8, fp=2, fn=8)) == pytest.approx((0.8, 0.5, 5 * 0.8 * 0.5 / (4 * 0.8 + 0.5)))
    assert prf(Counter()) == (1.0, 1.0, 1.0)  # nothing to find, nothing found
    assert prf(Counter(fp=3, fn=2)) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--n", "0"], "pii_eval: --n must be at least 1, not 0"),
        (["--speed-runs", "-1"], "pii_eval: --speed-runs must be at least 1, not -1"),
        (
            ["--json", "/nonexistent-folder/out.json"],
            "pii_eval: --json /nonexistent-folder/out.json: no such folder /nonexistent-folder",
        ),
    ],
)
def test_bad_arguments_are_one_line(args, message):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command in (["-m", "evals.pii"], ["bench/pii_eval.py"]):
        done = subprocess.run([sys.executable, *command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip() == message
