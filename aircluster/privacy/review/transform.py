"""Apply a policy's actions to one record's findings.

    apply_policy(record, findings, policy, pseudonym_key) -> (record | None, [(Finding, action name)])

Returns a new record (the input is not modified; containers on changed paths are copied) or None
when some finding's action is `drop_record`. Key names holding PII are rewritten like values.
Pseudonyms are HMAC-SHA256(key, "ENTITY|value") truncated to 8 hex digits, formatted
`<PERSON_3f9a1c2b>`: the same value gets the same token within a dataset (one key per dataset, held
by the key service), different datasets get unrelated tokens, and destroying the key makes tokens
unlinkable to any value.
"""

from __future__ import annotations

import hmac
from collections import defaultdict
from hashlib import sha256
from typing import Any

from aircluster.privacy.findings import KEY_FIELD, Finding
from aircluster.privacy.review.policy import Action, Policy

TOKEN_HEX = 8


def pseudonym(entity: str, value: str, key: bytes) -> str:
    digest = hmac.new(key, f"{entity}|{value}".encode(), sha256).hexdigest()
    return f"<{entity}_{digest[:TOKEN_HEX]}>"


def mask(value: str, keep: int) -> str:
    """Letters and digits become `*` except the last `keep` of them; separators stay (shape kept)."""
    out = list(value)
    seen = 0
    for i in range(len(out) - 1, -1, -1):
        if out[i].isalnum():
            seen += 1
            if seen > keep:
                out[i] = "*"
    return "".join(out)


def replacement(action: Action, entity: str, value: str, key: bytes) -> str:
    match action.name:
        case "redact":
            return f"<{entity}>"
        case "pseudonymize":
            return pseudonym(entity, value, key)
        case "mask":
            return mask(value, action.keep)
        case "allow":
            return value
    raise AssertionError(f"action {action.name} has no replacement text")


def apply_policy(
    record: dict, findings: list[Finding], policy: Policy, pseudonym_key: bytes
) -> tuple[dict | None, list[tuple[Finding, str]]]:
    actions = [(f, policy.action_for(f.entity, f.field)) for f in findings]
    applied = [(f, a.name) for f, a in actions]
    if any(a.name == "drop_record" for _, a in actions):
        return None, applied
    values: dict[tuple, list[tuple[Finding, Action]]] = defaultdict(list)
    keys: dict[tuple, list[tuple[Finding, Action]]] = defaultdict(list)
    for f, a in actions:
        if a.name != "allow":
            (keys if f.field.endswith(KEY_FIELD) else values)[f.path].append((f, a))
    if not values and not keys:
        return record, applied
    out = record
    for path, items in values.items():
        out = _set(out, path, _rewrite(_get(record, path), items, pseudonym_key))
    # Deepest keys first, so the paths of the shallower ones are still valid.
    for path, items in sorted(keys.items(), key=lambda kv: -len(kv[0])):
        out = _rename(out, path, _rewrite(str(path[-1]), items, pseudonym_key))
    return out, applied


def _rewrite(text: str, items: list[tuple[Finding, Action]], key: bytes) -> str:
    # Right to left, so earlier offsets stay valid; findings in one string never overlap.
    for f, a in sorted(items, key=lambda fa: -fa[0].start):
        text = text[: f.start] + replacement(a, f.entity, text[f.start : f.end], key) + text[f.end :]
    return text


def _get(obj: Any, path: tuple) -> Any:
    for step in path:
        obj = obj[step]
    return obj


def _copy(container: Any) -> Any:
    return dict(container) if isinstance(container, dict) else list(container)


def _set(obj: Any, path: tuple, value: Any) -> Any:
    """A copy of `obj` with the item at `path` replaced (only containers on the path are copied)."""
    if not path:
        return value
    new = _copy(obj)
    new[path[0]] = _set(obj[path[0]], path[1:], value)
    return type(obj)(new) if isinstance(obj, tuple) else new


def _rename(obj: Any, path: tuple, new_key: str) -> Any:
    """A copy of `obj` with the key at `path` renamed, keeping the key order."""
    if len(path) == 1:
        if new_key in obj and new_key != path[0]:
            new_key = f"{new_key}#{list(obj).index(path[0])}"  # two keys redact to the same text
        return {(new_key if k == path[0] else k): v for k, v in obj.items()}
    new = _copy(obj)
    new[path[0]] = _rename(obj[path[0]], path[1:], new_key)
    return type(obj)(new) if isinstance(obj, tuple) else new
