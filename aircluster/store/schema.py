"""Schema inference: which fields the records have, of which types, and how often."""

from __future__ import annotations

from typing import Any

_TYPE_NAMES = {
    str: "string",
    int: "int",
    float: "float",
    bool: "bool",
    bytes: "bytes",
    type(None): "null",
    list: "list",
    dict: "object",
}


class SchemaBuilder:
    """Counts record shapes: records of one source nearly always share their keys and value types, so
    counting (keys, types) signatures keeps the per-record cost to two tuples and one dict update."""

    def __init__(self) -> None:
        self.records = 0
        self._shapes: dict[tuple[tuple[str, ...], tuple[type, ...]], int] = {}

    def observe(self, record: dict[str, Any]) -> None:
        self.records += 1
        shape = (tuple(record), tuple(map(type, record.values())))
        self._shapes[shape] = self._shapes.get(shape, 0) + 1

    def merge(self, other: SchemaBuilder) -> None:
        self.records += other.records
        for shape, n in other._shapes.items():
            self._shapes[shape] = self._shapes.get(shape, 0) + n

    def _fields(self) -> dict[str, dict[str, int]]:
        fields: dict[str, dict[str, int]] = {}
        for (keys, types), n in self._shapes.items():
            for key, typ in zip(keys, types):
                counts = fields.setdefault(key, {})
                name = _TYPE_NAMES.get(typ, typ.__name__)
                counts[name] = counts.get(name, 0) + n
        return fields

    def fields(self) -> set[str]:
        return set(self._fields())

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "fields": {
                key: {"types": sorted(types), "present": sum(types.values())} for key, types in sorted(self._fields().items())
            },
        }
