"""Each policy action changes the record as specified; pseudonyms link within a dataset only."""

from __future__ import annotations

import copy

import pytest

from aircluster.privacy.review.policy import Policy
from aircluster.privacy.review.transform import apply_policy, mask, pseudonym

KEY_A = b"a" * 32
KEY_B = b"b" * 32


def policy(actions: str, fields: str = "") -> Policy:
    import tomllib

    return Policy.from_dict(tomllib.loads(f'[defaults]\naction = "allow"\n[actions]\n{actions}\n{fields}'))


def run(detector, record, pol, key=KEY_A):
    return apply_policy(record, detector.scan_record(record), pol, key)


def test_redact(detector):
    out, applied = run(detector, {"text": "mail ana.lima@example.com now"}, policy('EMAIL_ADDRESS = "redact"'))
    assert out == {"text": "mail <EMAIL_ADDRESS> now"}
    assert [(f.entity, a) for f, a in applied] == [("EMAIL_ADDRESS", "redact")]


def test_mask_keeps_last_characters_and_shape(detector):
    out, _ = run(detector, {"text": "card 4111 1111 1111 1111 ok"}, policy('CREDIT_CARD = { action = "mask", keep = 4 }'))
    assert out == {"text": "card **** **** **** 1111 ok"}
    assert mask("ab-cd", 1) == "**-*d"


def test_allow_leaves_record_untouched(detector):
    record = {"text": "mail ana.lima@example.com now"}
    out, applied = run(detector, record, policy('EMAIL_ADDRESS = "allow"'))
    assert out == record and [a for _, a in applied] == ["allow"]


def test_drop_record(detector):
    out, applied = run(
        detector,
        {"text": "password=Sup3rS3cretValue and ana.lima@example.com"},
        policy('SECRET = "drop_record"\nEMAIL_ADDRESS = "redact"'),
    )
    assert out is None
    assert sorted(a for _, a in applied) == ["drop_record", "redact"]


def test_pseudonyms_stable_within_a_dataset_and_unlinkable_across(detector):
    pol = policy('PERSON = "pseudonymize"')
    a1, _ = run(detector, {"text": "I met Margaret Thompson today."}, pol, KEY_A)
    a2, _ = run(detector, {"text": "Margaret Thompson said hi."}, pol, KEY_A)
    b1, _ = run(detector, {"text": "I met Margaret Thompson today."}, pol, KEY_B)
    token = pseudonym("PERSON", "Margaret Thompson", KEY_A)
    assert token.startswith("<PERSON_") and len(token) == len("<PERSON_>") + 8
    assert a1["text"] == f"I met {token} today." and a2["text"] == f"{token} said hi."
    assert b1["text"] != a1["text"] and "Margaret" not in b1["text"]
    assert pseudonym("PERSON", "Margaret Thompsen", KEY_A) != token


def test_per_field_rule_applies_only_to_that_field(detector):
    pol = policy('PERSON = "redact"', '[fields."author"]\nPERSON = "allow"')
    out, _ = run(detector, {"author": "Margaret Thompson", "text": "Thanks Margaret Thompson!"}, pol)
    assert out == {"author": "Margaret Thompson", "text": "Thanks <PERSON>!"}


def test_nested_values_and_key_names_rewritten_input_unchanged(detector):
    record = {"meta": {"contacts": ["call 415-555-2671"], "ana.lima@example.com": "owner"}, "blob": b"\x00\x01"}
    before = copy.deepcopy(record)
    out, _ = run(detector, record, policy('PHONE_NUMBER = "redact"\nEMAIL_ADDRESS = "redact"'))
    assert record == before
    assert out == {"meta": {"contacts": ["call <PHONE_NUMBER>"], "<EMAIL_ADDRESS>": "owner"}, "blob": b"\x00\x01"}


@pytest.mark.parametrize("action", ["redact", "pseudonymize", "mask"])
def test_every_changing_action_removes_the_value(detector, action):
    value = "ana.lima@example.com"
    out, _ = run(detector, {"text": f"write {value}"}, policy(f'EMAIL_ADDRESS = "{action}"'))
    assert value not in out["text"]
