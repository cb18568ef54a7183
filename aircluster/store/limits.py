"""Size and shape limits on imported input, and the per-record check that enforces them.

The defaults are far above real data (a 64 MiB string, 64 levels of nesting) and exist so that a
hostile or broken file fails fast with one line instead of exhausting memory or producing a version
that cannot be read back. Each limit has a `data import` flag to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aircluster.errors import UsageError

GiB = 1 << 30
MiB = 1 << 20

# `data read` prints records with orjson, which refuses anything nested deeper than this (the record
# itself counts as one level): a deeper record could be imported but never read back.
DEPTH_CEILING = 255


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 64 * GiB  # any one input file (an image folder's images count one by one)
    line_bytes: int = 256 * MiB  # one JSON Lines line or CSV line, read whole before parsing
    field_bytes: int = 64 * MiB  # any one string or bytes value (or key), at any depth; an image is one
    depth: int = 64  # containers nested in a record, the record itself included

    @classmethod
    def given(cls, **values: int | None) -> Limits:
        """The defaults, with every value that is not None in its place (flags left out are None)."""
        chosen: dict[str, int] = {k: v for k, v in values.items() if v is not None}
        return cls(**chosen)

    def validate(self) -> Limits:
        for flag, value in (
            ("--max-file-bytes", self.file_bytes),
            ("--max-line-bytes", self.line_bytes),
            ("--max-field-bytes", self.field_bytes),
            ("--max-depth", self.depth),
        ):
            if value < 1:
                raise UsageError(f"{flag} must be positive, not {value}")
        if self.depth > DEPTH_CEILING:
            raise UsageError(
                f"--max-depth {self.depth} is too deep: records nested deeper than {DEPTH_CEILING} levels "
                "cannot be printed back as JSON"
            )
        return self


def human(n: int) -> str:
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def over(size: int, limit: int, flag: str) -> str:
    """The tail of a size complaint: how big, the limit, and the flag that raises it."""
    return f"{human(size)}, over the limit of {human(limit)} (raise it with {flag})"


def too_deep(limit: int) -> str:
    return f"is nested more than {limit} levels deep (raise the limit with --max-depth, up to {DEPTH_CEILING})"


def _text_over(value: str, limit: int) -> int | None:
    """The UTF-8 size of `value` if over `limit`; encodes only when the length alone cannot decide."""
    n = len(value)
    if n * 4 <= limit:  # at most 4 bytes a character
        return None
    size = n if n > limit else len(value.encode("utf-8", "surrogatepass"))
    return size if size > limit else None


def record_problem(record: dict[str, Any], limits: Limits) -> str | None:
    """Why `record` breaks a limit (naming its top-level field), or None. Iterative: depth costs no stack.

    Run on every record, so the common case stays a few comparisons a field: a string of at most a
    quarter of the limit in characters is within it whatever the characters (UTF-8 takes at most 4)."""
    max_field = limits.field_bytes
    quarter = max_field // 4
    for key, value in record.items():
        if len(key) > quarter and (size := _text_over(key, max_field)) is not None:
            return "a field name is " + over(size, max_field, "--max-field-bytes")
        kind = type(value)
        if kind is str:
            if len(value) > quarter and (size := _text_over(value, max_field)) is not None:
                return f"field {key!r} is " + over(size, max_field, "--max-field-bytes")
        elif kind is dict or kind is list or kind is tuple:
            if (problem := _nested_problem(value, max_field, limits.depth)) is not None:
                return f"field {key!r} {problem}"
        elif kind is bytes and len(value) > max_field:
            return f"field {key!r} is " + over(len(value), max_field, "--max-field-bytes")
    return None


def _nested_problem(top: dict[str, Any] | list[Any] | tuple[Any, ...], max_field: int, max_depth: int) -> str | None:
    """A problem inside one top-level value: the record is level 1, so `top` is level 2."""
    quarter = max_field // 4
    stack: list[tuple[Any, int]] = [(top, 2)]
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            return too_deep(max_depth)
        if isinstance(container, dict):
            for key in container:
                if len(key) > quarter and (size := _text_over(key, max_field)) is not None:
                    return "holds a key of " + over(size, max_field, "--max-field-bytes")
            values = container.values()
        else:
            values = container
        for value in values:
            kind = type(value)
            if kind is dict or kind is list or kind is tuple:
                stack.append((value, depth + 1))
            elif kind is str:
                if len(value) > quarter and (size := _text_over(value, max_field)) is not None:
                    return "holds a string of " + over(size, max_field, "--max-field-bytes")
            elif kind is bytes and len(value) > max_field:
                return "holds bytes of " + over(len(value), max_field, "--max-field-bytes")
    return None
