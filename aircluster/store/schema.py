"""Schema inference: which fields the records have, of which types, and how often."""

from __future__ import annotations

from typing import Any

_TYPE_NAMES = {str: "string", int: "int", float: "float", bool: "bool", bytes: "bytes", type(None): "null", list: "list", dict: "object"}


class SchemaBuilder:
    def __init__(self) -> None:
        self.records = 0
        self._fields: dict[str, dict[str, int]] = {}

    def observe(self, record: dict[str, Any]) -> None:
        self.records += 1
        fields = self._fields
        for key, value in record.items():
            types = fields.get(key)
            if types is None:
                types = fields[key] = {}
            name = _TYPE_NAMES.get(type(value), type(value).__name__)
            types[name] = types.get(name, 0) + 1

    def merge(self, other: "SchemaBuilder") -> None:
        self.records += other.records
        for key, types in other._fields.items():
            mine = self._fields.setdefault(key, {})
            for name, n in types.items():
                mine[name] = mine.get(name, 0) + n

    def fields(self) -> set[str]:
        return set(self._fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "fields": {
                key: {"types": sorted(types), "present": sum(types.values())}
                for key, types in sorted(self._fields.items())
            },
        }
