"""Scoring detections against gold spans, as every PII evaluation here scores them.

A detection `(entity, start, end)` counts as a true positive when it overlaps a gold span of the same
entity that no earlier detection of the post has matched; each gold span is found at most once, the
detections left over are false positives, the gold spans left over false negatives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from evals.pii.family_types import FAMILY_ENTITIES, UNLABELED
from evals.pii.templates import Span

# Presidio's entity names -> ours (its DATE_TIME is scored as a birth date: the nearest it has; its
# US_DRIVER_LICENSE, like ours, is left unscored on the families, which do not label licences)
PRESIDIO_TO_OURS = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "US_SSN": "US_SSN",
    "IP_ADDRESS": "IP_ADDRESS",
    "URL": "URL",
    "LOCATION": "LOCATION",
    "DATE_TIME": "DATE_OF_BIRTH",
    "US_DRIVER_LICENSE": "DRIVER_LICENSE",
}

Pred = tuple[str, int, int]  # (entity, start, end) of one detection


def score(golds: Sequence[Sequence[Span]], preds: Sequence[Sequence[Pred]]) -> dict[str, Counter]:
    """tp / fp / fn per entity over posts: `golds[i]` and `preds[i]` are post i's gold spans and detections."""
    counts: dict[str, Counter] = {e: Counter() for e in FAMILY_ENTITIES}
    for gold, pred in zip(golds, preds, strict=True):
        matched: set[int] = set()
        for e, s, t in pred:
            if e in UNLABELED:
                continue
            hit = next((i for i, g in enumerate(gold) if i not in matched and g.entity == e and s < g.end and g.start < t), None)
            if hit is None:
                counts[e]["fp"] += 1
            else:
                matched.add(hit)
                counts[e]["tp"] += 1
        for i, g in enumerate(gold):
            if i not in matched:
                counts[g.entity]["fn"] += 1
    return counts


def prf(c: Counter) -> tuple[float, float, float]:
    """Precision, recall and F2 (recall weighted four times) of one tp/fp/fn count; 1.0 where nothing was
    there to find or nothing was found."""
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    f2 = 5 * p * r / (4 * p + r) if p + r else 0.0
    return p, r, f2


def total(counts: dict[str, Counter]) -> Counter:
    """The counts of all entities together (micro average)."""
    out: Counter = Counter()
    for c in counts.values():
        out.update(c)
    return out
