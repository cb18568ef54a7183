"""Review statistics, decisions and the report: counts right, no PII anywhere in it."""

from __future__ import annotations

import json

from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.report import ReviewStats, build_report, render_html, render_text, write_report_files
from aircluster.privacy.review.transform import apply_policy

KEY = b"k" * 32
CANARIES = {
    "EMAIL_ADDRESS": "zq.canary.4471@example.org",
    "PHONE_NUMBER": "(415) 555-2671",
    "CREDIT_CARD": "4539 1488 0343 6467",
    "US_SSN": "536-22-8761",
    "IBAN": "DE89370400440532013000",
    "SECRET": "AKIAIOSFODNN7CANARY1",
    "PERSON": "Margaret Thompson",
    "DATE_OF_BIRTH": "14 March 1987",
    "IP_ADDRESS": "203.0.113.42",
}
TEXTS = [
    f"Write to {CANARIES['EMAIL_ADDRESS']} or call {CANARIES['PHONE_NUMBER']} tonight.",
    f"Card {CANARIES['CREDIT_CARD']}, SSN {CANARIES['US_SSN']}, IBAN {CANARIES['IBAN']}.",
    f"Leaked key {CANARIES['SECRET']} in the repo.",
    f"Thanks {CANARIES['PERSON']}! I was born on {CANARIES['DATE_OF_BIRTH']}. Server {CANARIES['IP_ADDRESS']}.",
    "Nothing personal in this one.",
]


def review(detector, records, pol):
    stats = ReviewStats()
    outs = []
    for record in records:
        findings = detector.scan_record(record)
        out, applied = apply_policy(record, findings, pol, KEY)
        stats.add(applied, out is None, record)
        outs.append(out)
    return stats, outs


def test_counts_actions_and_rates(detector):
    stats, outs = review(detector, [{"text": t} for t in TEXTS], Policy.load(None))
    d = stats.to_dict()
    assert d["records"] == 5 and d["records_dropped"] == 1 and d["records_with_pii"] == 4
    assert outs[2] is None
    assert set(d["by_entity"]) == set(CANARIES)
    secret = next(r for r in d["findings"] if r["entity"] == "SECRET")
    assert secret["actions"] == {"drop_record": 1} and secret["rate"] == 0.2 and secret["field"] == "text"


def test_no_pii_in_report_json_text_or_html(detector, tmp_path):
    records = [{"text": t, "meta": {CANARIES["EMAIL_ADDRESS"]: 1}} for t in TEXTS]
    stats, _ = review(detector, records, Policy.load(None))
    report = build_report(stats, Policy.load(None), detector.versions())
    files = write_report_files(report, tmp_path, "v1")
    dumps = [json.dumps(report), render_text(report), render_html(report)] + [p.read_text() for p in files]
    assert any("e.g." in d or "examples" in d for d in dumps)
    for value in CANARIES.values():
        for dump in dumps:
            assert value not in dump
            assert value.replace(" ", "") not in dump
    assert "4471" not in json.dumps(report) and "canary" not in json.dumps(report).lower()


def test_threshold_turns_review_into_rejected(detector):
    pol = Policy.load(None)
    few = [{"text": "hello"}] * 19 + [{"text": "token=Sup3rS3cretValue9"}]
    stats, _ = review(detector, few, pol)
    assert stats.decide(pol) == ("pending_review", [])  # 5% is not more than 5%
    stats.add([], False)
    many = [{"text": "token=Sup3rS3cretValue9"}]
    more, _ = review(detector, many, pol)
    stats.merge(more)
    state, reasons = stats.decide(pol)
    assert state == "rejected" and "SECRET" in reasons[0] and "9.1%" in reasons[0]


def test_merge_equals_one_pass(detector):
    records = [{"text": t} for t in TEXTS] * 3
    whole, _ = review(detector, records, Policy.load(None))
    a, _ = review(detector, records[:7], Policy.load(None))
    b, _ = review(detector, records[7:], Policy.load(None))
    a.merge(b)
    assert a.to_dict() == whole.to_dict()
