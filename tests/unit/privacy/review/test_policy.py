"""Policies load, apply per-field rules, and reject bad files with an error naming file and key."""

from __future__ import annotations

import pytest

from aircluster.errors import UsageError
from aircluster.privacy.entities import ENTITIES
from aircluster.privacy.review.policy import Policy


def write(tmp_path, text: str):
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return path


def test_shipped_default_is_strict():
    p = Policy.load(None)
    assert p.action_for("SECRET", "text").name == "drop_record"
    assert all(p.action_for(e, "text").name != "allow" for e in ENTITIES)
    assert p.thresholds["SECRET"] == 0.05


def test_field_rules_override_entity_rules_which_override_the_default(tmp_path):
    p = Policy.load(
        write(
            tmp_path,
            """
[defaults]
action = "redact"
[actions]
PERSON = "pseudonymize"
CREDIT_CARD = { action = "mask", keep = 2 }
[fields."meta.author"]
PERSON = "allow"
""",
        )
    )
    assert p.action_for("PERSON", "meta.author").name == "allow"
    assert p.action_for("PERSON", "text").name == "pseudonymize"
    assert p.action_for("CREDIT_CARD", "text").keep == 2
    assert p.action_for("URL", "text").name == "redact"
    assert p.to_dict()["fields"] == {"meta.author": {"PERSON": "allow"}}


BAD = [
    ('[actions]\nNOT_PII = "redact"\n', "NOT_PII"),
    ('[actions]\nEMAIL_ADDRESS = "obliterate"\n', "obliterate"),
    ('[defaults]\naction = "shred"\n', "shred"),
    ('[actions]\nCREDIT_CARD = { action = "mask", keep = -1 }\n', "keep"),
    ('[actions]\nCREDIT_CARD = { action = "mask", kept = 4 }\n', "kept"),
    ('[fields."text"]\nFOO = "allow"\n', "FOO"),
    ("[thresholds]\nSECRET = 5\n", "SECRET"),
    ("[thresholds]\nBOGUS = 0.1\n", "BOGUS"),
    ("[rules]\nx = 1\n", "rules"),
    ('[policy]\nnmae = "x"\n', "nmae"),
    ("[actions\n", "TOML"),
]


@pytest.mark.parametrize("text,needle", BAD, ids=[n for _, n in BAD])
def test_bad_policy_is_a_clear_usage_error_naming_file_and_key(tmp_path, text, needle):
    path = write(tmp_path, text)
    with pytest.raises(UsageError) as err:
        Policy.load(path)
    message = str(err.value)
    assert str(path) in message and needle in message and "\n" not in message


def test_missing_policy_file(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        Policy.load(tmp_path / "nope.toml")


def test_unknown_field_in_policy_is_reported_once_fields_are_known(tmp_path):
    p = Policy.load(write(tmp_path, '[fields."txet"]\nPERSON = "allow"\n[fields."meta.<field name>"]\nPERSON = "allow"\n'))
    with pytest.raises(UsageError, match="txet"):
        p.validate_fields({"text", "meta", "meta.author"})
    Policy.load(write(tmp_path, '[fields."text"]\nPERSON = "allow"\n')).validate_fields({"text"})
