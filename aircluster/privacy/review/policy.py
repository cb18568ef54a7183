"""Privacy policies: which action each entity type gets, per field if needed, and when to reject.

    Policy.load(path: str | Path | None) -> Policy     # None: the strict default shipped with the package
    Policy.validate_fields(known_fields: set[str])      # per-field names not in the data -> UsageError
    Policy.action_for(entity, field) -> Action          # field override, else entity, else default
    Policy.to_dict() -> dict                            # the policy as recorded in the review report

The file format (every section optional except what the default supplies):

    [policy]
    name = "strict"

    [defaults]
    action = "redact"                # entity types not listed under [actions]

    [actions]                        # entity -> action, or {action = "mask", keep = 4}
    PERSON = "pseudonymize"
    CREDIT_CARD = { action = "mask", keep = 4 }
    SECRET = "drop_record"

    [fields."meta.author"]           # per-field overrides (dotted field path; "<field name>" = key names)
    PERSON = "allow"

    [thresholds]                     # largest allowed fraction of records holding the entity
    SECRET = 0.05                    # ("ANY" = any entity); above it the review is `rejected`

Actions: redact (`<EMAIL_ADDRESS>`), pseudonymize (`<PERSON_3f9a1c2b>`: keyed HMAC, stable within a
dataset), mask (all but the last `keep` characters become `*`), drop_record, allow.
Every error names the file and the key at fault, and is raised before any record is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aircluster.errors import UsageError
from aircluster.privacy.entities import ACTIONS, ENTITIES

DEFAULT_POLICY_PATH = Path(__file__).parent / "default_policy.toml"
DEFAULT_MASK_KEEP = 4
ANY = "ANY"
_SECTIONS = {"policy", "defaults", "actions", "fields", "thresholds"}
_POLICY_KEYS = {"name"}
_DEFAULTS_KEYS = {"action"}


@dataclass(frozen=True)
class Action:
    name: str
    keep: int = DEFAULT_MASK_KEEP  # for "mask": characters left visible at the end

    def to_dict(self) -> dict[str, Any] | str:
        return {"action": self.name, "keep": self.keep} if self.name == "mask" else self.name


@dataclass(frozen=True)
class Policy:
    name: str
    source: str
    default_action: Action
    actions: dict[str, Action]
    fields: dict[str, dict[str, Action]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> Policy:
        source = DEFAULT_POLICY_PATH if path is None else Path(path)
        where = "the default policy" if path is None else str(source)
        try:
            with open(source, "rb") as f:
                text = f.read()
        except FileNotFoundError:
            raise UsageError(f"policy file {where} does not exist") from None
        except OSError as e:
            raise UsageError(f"cannot read policy file {where}: {e.strerror}") from None
        return cls.parse(text, where)

    @classmethod
    def parse(cls, text: bytes, where: str) -> Policy:
        """A policy from its TOML text; `where` names it in every complaint (the server gets the text, not the file)."""
        try:
            doc = tomllib.loads(text.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise UsageError(f"{where}: not valid TOML: not UTF-8 (byte 0x{text[e.start]:02x} at offset {e.start})") from None
        except tomllib.TOMLDecodeError as e:
            raise UsageError(f"{where}: not valid TOML: {e}") from None
        return cls.from_dict(doc, where)

    @classmethod
    def from_dict(cls, doc: dict[str, Any], where: str = "policy") -> Policy:
        _only(doc, _SECTIONS, where, "section", "")
        head = _table(doc, "policy", where)
        _only(head, _POLICY_KEYS, where, "key", "[policy] ")
        defaults = _table(doc, "defaults", where)
        _only(defaults, _DEFAULTS_KEYS, where, "key", "[defaults] ")
        default = _action(defaults.get("action", "redact"), where, "[defaults] action")
        actions = {}
        for entity, value in _table(doc, "actions", where).items():
            _entity(entity, where, f"[actions] {entity}")
            actions[entity] = _action(value, where, f"[actions] {entity}")
        fields = {}
        for field_name, table in _table(doc, "fields", where).items():
            if not isinstance(table, dict):
                raise UsageError(f"{where}: [fields] {field_name} must be a table of entity = action")
            fields[field_name] = {}
            for entity, value in table.items():
                _entity(entity, where, f'[fields."{field_name}"] {entity}')
                fields[field_name][entity] = _action(value, where, f'[fields."{field_name}"] {entity}')
        thresholds = {}
        for entity, value in _table(doc, "thresholds", where).items():
            if entity != ANY:
                _entity(entity, where, f"[thresholds] {entity}")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise UsageError(f"{where}: [thresholds] {entity} must be a fraction between 0 and 1, not {value!r}")
            thresholds[entity] = float(value)
        name = head.get("name", Path(where).stem if where != "policy" else "policy")
        if not isinstance(name, str):
            raise UsageError(f"{where}: [policy] name must be a string")
        return cls(name, where, default, actions, fields, thresholds)

    def action_for(self, entity: str, field_name: str) -> Action:
        override = self.fields.get(field_name)
        if override is not None and entity in override:
            return override[entity]
        return self.actions.get(entity, self.default_action)

    def validate_fields(self, known_fields: set[str]) -> None:
        """Per-field rules must name fields the data has (a typo would silently apply nothing)."""
        known = set(known_fields) | {"<field name>"}
        unknown = sorted(f for f in self.fields if f not in known and not f.endswith(".<field name>"))
        if unknown:
            shown = ", ".join(sorted(known - {"<field name>"})[:12])
            raise UsageError(f"{self.source}: [fields] names field(s) {unknown} that the data does not have (fields: {shown})")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "default_action": self.default_action.to_dict(),
            "actions": {e: a.to_dict() for e, a in self.actions.items()},
            "fields": {f: {e: a.to_dict() for e, a in t.items()} for f, t in self.fields.items()},
            "thresholds": dict(self.thresholds),
        }


def _only(table: dict, allowed: set[str], where: str, what: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise UsageError(f"{where}: unknown {what} {prefix}{key!r} (expected one of: {', '.join(sorted(allowed))})")


def _table(doc: dict, name: str, where: str) -> dict:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        raise UsageError(f"{where}: [{name}] must be a table")
    return value


def _entity(name: str, where: str, key: str) -> None:
    if name not in ENTITIES:
        raise UsageError(f"{where}: {key}: unknown entity type (known: {', '.join(ENTITIES)})")


def _action(value: Any, where: str, key: str) -> Action:
    keep = DEFAULT_MASK_KEEP
    if isinstance(value, dict):
        extra = set(value) - {"action", "keep"}
        if extra:
            raise UsageError(f"{where}: {key}: unknown option(s) {sorted(extra)} (expected action, keep)")
        keep = value.get("keep", DEFAULT_MASK_KEEP)
        if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
            raise UsageError(f"{where}: {key}: keep must be a whole number >= 0, not {keep!r}")
        value = value.get("action")
    if value not in ACTIONS:
        raise UsageError(f"{where}: {key}: unknown action {value!r} (expected one of: {', '.join(ACTIONS)})")
    return Action(value, keep)
