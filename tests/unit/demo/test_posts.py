"""The demo's own data: deterministic, PII of every kind it names, values that pass their checks, and few
enough leaked secrets that the default policy accepts the dataset (as the demo needs)."""

from __future__ import annotations

import re

from aircluster.demo.posts import generate_records
from aircluster.privacy.review.policy import Policy


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()][::-1]
    return sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)) % 10 == 0


def test_deterministic_per_seed():
    assert list(generate_records(50, 7)) == list(generate_records(50, 7))
    assert list(generate_records(50, 7)) != list(generate_records(50, 8))


def test_values_pass_their_checks_and_secrets_stay_under_the_policy_threshold():
    records = list(generate_records(4000, 0))
    texts = [str(r["text"]) for r in records]
    cards = [m for t in texts for m in re.findall(r"\b(?:\d{4} ){3}\d{4}\b", t)]
    ibans = [m for t in texts for m in re.findall(r"\bDE\d{20}\b", t)]
    assert cards and all(_luhn_ok(c) for c in cards)
    assert ibans and all(int(i[4:] + "1314" + i[2:4]) % 97 == 1 for i in ibans)
    with_secret = sum("sk_live_" in t or "password=" in t for t in texts) / len(texts)
    assert 0 < with_secret < Policy.load(None).thresholds["SECRET"]
    assert any("@" in t for t in texts) and {r["label"] for r in records} == {0, 1, 2, 3}
