"""Scan workers get records without their bytes; the changed records come back with them."""

from __future__ import annotations

from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.scan_view import with_bytes, without_bytes
from aircluster.privacy.review.transform import apply_policy

KEY = b"v" * 32


def test_a_record_without_bytes_is_sent_as_it_is():
    record = {"text": "Anna Berg", "n": 3, "tags": ["a", {"b": None}], "pair": ("x", 1.5)}
    assert without_bytes(record) is record


def test_bytes_at_any_depth_are_emptied_in_a_copy_of_the_same_shape():
    image = b"\x89PNG" + bytes(1000)
    record = {"image": image, "file": "x.png", "thumbs": [bytearray(b"abc"), "t"], "meta": {"raw": (b"q", 2)}}
    view = without_bytes(record)
    assert view == {"image": b"", "file": "x.png", "thumbs": [bytearray(), "t"], "meta": {"raw": (b"", 2)}}
    assert type(view["thumbs"][0]) is bytearray and type(view["meta"]["raw"]) is tuple
    assert record["image"] is image and record["thumbs"][0] == bytearray(b"abc")  # the record is untouched
    assert view["file"] is record["file"]  # strings are shared, not copied


def test_the_policy_applied_to_the_view_and_restored_equals_the_policy_applied_to_the_record(detector):
    record = {
        "image": b"\xff\xd8" + bytes(5000),
        "file": "holiday/Anna Berg at the beach.jpg",
        "Margaret Thompson": {"scan": bytearray(b"\x00" * 64), "note": "call +44 20 7946 0958"},
        "frames": [b"1", {"by": "John Smith", "raw": b"2"}],
    }
    policy = Policy.load(None)
    expected, _ = apply_policy(record, detector.scan_record(record), policy, KEY)
    view = without_bytes(record)
    changed, _ = apply_policy(view, detector.scan_record(view), policy, KEY)
    assert changed != expected  # the view's bytes are empty ...
    assert expected is not None and "Margaret Thompson" not in expected  # (a key name was rewritten too)
    assert with_bytes(record, changed) == expected  # ... and come back from the record


def test_restored_values_are_the_records_own_bytes():
    record = {"image": b"abc" * 10, "name": "x"}
    back = with_bytes(record, {"image": b"", "name": "<PERSON>"})
    assert back == {"image": b"abc" * 10, "name": "<PERSON>"} and back["image"] is record["image"]
