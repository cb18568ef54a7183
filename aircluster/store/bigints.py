"""Integers that JSON can carry but the store cannot keep exactly are refused, never read as floats.

Records are stored as msgpack, whose integers run from -2^63 to 2^64-1 (and `data read` prints them
with orjson, which has the same range). orjson reads an integer outside that range as a float,
silently: 2^64 would come back as 1.8446744073709552e+19. Such a value is refused with the field
that holds it; writing it as a string keeps every digit. (A side representation for big integers
was the other choice; it would leak into every reader of the store, the training loader included,
for values that real data almost never holds as numbers.)
"""

from __future__ import annotations

import json
from typing import Any

INT_MIN, INT_MAX = -(1 << 63), (1 << 64) - 1

# Only a suspect line is parsed a second time, exactly (with the standard library, some 10x slower).
# orjson turns an integer outside the range into a float at or past these bounds (2^64 - 1 rounds up
# to 2^64), so a flat record is a suspect only when one of its values is such a float.
_FLOAT_LOW, _FLOAT_HIGH = float(INT_MIN), float(INT_MAX)
# In a nested record the float could be anywhere; its line is a suspect when it holds 20 digits in a
# row, or "-" and 19 (every integer outside the range does). Digits are mapped to "0" and the runs
# found by substring search: far faster than a regex.
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_RUN_20, _NEGATIVE_19 = b"0" * 20, b"-" + b"0" * 19


def flat_suspect(record: dict[str, Any]) -> bool:
    """A record of one level may hold an integer orjson read as a float."""
    for value in record.values():
        if type(value) is float and not _FLOAT_LOW < value < _FLOAT_HIGH:
            return True
    return False


def line_suspect(line: bytes) -> bool:
    """The JSON text `line` may hold an integer outside the range, at any depth."""
    zeroed = line.translate(_DIGITS_TO_ZERO)
    return _RUN_20 in zeroed or _NEGATIVE_19 in zeroed


class _Inexact:
    """Stands in for an integer the store cannot keep exactly, so that the field holding it can be named."""


def _exact_int(text: str) -> int | _Inexact:
    if len(text.lstrip("-")) > 20:  # past 2^64 whatever the digits; also spares int() a huge digit string
        return _Inexact()
    value = int(text)
    return value if INT_MIN <= value <= INT_MAX else _Inexact()


def inexact_int_field(line: bytes) -> str | None:
    """The top-level field of the JSON object `line` holding an integer outside the store's range, or None."""
    try:
        record = json.loads(line, parse_int=_exact_int)
    except (
        ValueError,
        RecursionError,
    ):  # orjson parsed it: only nesting past Python's stack, which the depth limit refuses
        return None
    if not isinstance(record, dict):
        return None
    for key, value in record.items():
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, _Inexact):
                return key
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def message(field: str) -> str:
    return (
        f"field {field!r} holds an integer outside -2^63..2^64-1, which the store cannot keep exactly "
        "(it would become a float): write it as a string"
    )
