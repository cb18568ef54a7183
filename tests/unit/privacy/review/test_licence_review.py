"""A driver's licence number through the whole review: the shipped policy redacts it, the report never
prints it."""

from __future__ import annotations

import json
import re

from aircluster.privacy.findings import Finding
from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.report import masked_example, shape
from tests.unit.store.conftest import approve, read_all, write_jsonl

RECORDS = [
    {"id": 1, "text": "Hi, it's Anna. My driver's license number is F89390310, the car is booked.", "label": 0},
    {"id": 2, "text": "nothing to see here", "driver_license": "D123-4567-8901", "label": 1},
    {"id": 3, "text": "Führerscheinnummer: B072RRE2I55", "label": 0},
    {"id": 4, "text": "order F89390310 shipped", "label": 1},  # no cue: stays
]
NUMBERS = ("F89390310", "D123-4567-8901", "B072RRE2I55")


def test_the_shipped_policy_redacts_licence_numbers():
    assert Policy.load(None).action_for("DRIVER_LICENSE", "text").name == "redact"


def test_an_import_with_the_default_policy_stores_no_licence_number(cli, tmp_path):
    src = write_jsonl(tmp_path / "people.jsonl", RECORDS)
    cli.ok("data", "import", "people", str(src))  # no --policy: the strict default
    approve(cli, "people@1")
    stored = read_all(cli, "people@1")
    # Anna becomes a pseudonym (keyed per dataset), the licence number its tag
    expected = r"Hi, it's <PERSON_[0-9a-f]{8}>\. My driver's license number is <DRIVER_LICENSE>, the car is booked\."
    assert re.fullmatch(expected, stored[0]["text"])
    assert stored[1]["driver_license"] == "<DRIVER_LICENSE>"
    assert stored[2]["text"] == "Führerscheinnummer: <DRIVER_LICENSE>"
    assert stored[3]["text"] == "order F89390310 shipped"
    doc = json.loads(cli.ok("review", "show", "people@1", "--json"))
    by_entity = doc["report"]["by_entity"]["DRIVER_LICENSE"]
    assert by_entity["records"] == 3
    printed = json.dumps(doc["report"])
    assert not any(n in printed for n in NUMBERS)


def test_a_report_example_shows_a_licence_by_its_shape_only():
    text = "My driver's license number is D123-4567-8901, thanks"
    start = text.index("D123")
    finding = Finding("DRIVER_LICENSE", "text", start, start + 14, 0.85, ("text",))
    assert shape("DRIVER_LICENSE", "D123-4567-8901") == "****-****-****"  # not even its first letter
    assert masked_example(text, finding, [finding]) == "…s license number is ****-****-****, thanks"
