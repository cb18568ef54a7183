"""Writing a post while keeping its gold spans exact.

`PostWriter` collects a post's text piece by piece and one span per labeled value; `render` fills a
brace template (`{SLOT}` or `{SLOT.shape}`, `{{` and `}}` for literal braces), as the tuning, held-out,
blind, fresh, sealed and vault families write theirs; `render_slots` fills slots found by a pattern (harbor,
quarry). Every family labels the same way: a value drawn for a labeled slot gets
one span covering it and nothing else; literal text gets none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Draw = Callable[[str], tuple[str | None, str]]  # slot -> (entity or None, text)
Fixed = dict[str, tuple[str | None, str]]  # per-post values, by slot
ADDRESS_LINES = frozenset({"LOCATION"})  # PostWriter(by_line=...): an address block, one span a line


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int


class PostWriter:
    """The text of one post so far and its gold spans. Values of an entity in `by_line` are labeled one
    span per line (an address written over several lines)."""

    def __init__(self, by_line: frozenset[str] = frozenset()):
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.offset = 0
        self.by_line = by_line

    def literal(self, text: str) -> None:
        self.parts.append(text)
        self.offset += len(text)

    def value(self, entity: str | None, text: str) -> None:
        if entity in self.by_line:
            start = self.offset
            for line in text.split("\n"):
                self.spans.append(Span(entity, start, start + len(line)))
                start += len(line) + 1
        elif entity is not None:
            self.spans.append(Span(entity, self.offset, self.offset + len(text)))
        self.literal(text)

    def text(self) -> str:
        return "".join(self.parts)


def render(template: str, out: PostWriter, draw: Draw, literal: Callable[[str], str] | None = None) -> None:
    """Write `template` to `out` with every `{slot}` filled by `draw`. `literal` rewrites each stretch of
    literal text (also an empty one) before it is written, never a value."""
    pos = 0

    def put(text: str) -> None:
        out.literal(literal(text) if literal else text)

    while True:
        brace = min((i for i in (template.find("{", pos), template.find("}", pos)) if i >= 0), default=-1)
        if brace < 0:
            put(template[pos:])
            return
        if template.startswith(("{{", "}}"), brace):
            put(template[pos : brace + 1])
            pos = brace + 2
            continue
        if template[brace] == "}":
            raise ValueError(f"unbalanced '}}' in {template!r}")
        put(template[pos:brace])
        close = template.index("}", brace)
        slot = template[brace + 1 : close]
        pos = close + 1
        out.value(*draw(slot))


def with_fixed(fixed: Fixed, draw: Draw) -> Draw:
    """`draw`, except that a `{=X}` slot is the value drawn once for the whole post (kept in `fixed`)."""

    def get(slot: str) -> tuple[str | None, str]:
        if not slot.startswith("="):
            return draw(slot)
        if slot not in fixed:
            raise KeyError(f"per-post value {slot!r} was not drawn")
        return fixed[slot]

    return get


def ends_sentence(template: str) -> bool:
    return template.endswith((".", "?", "!"))


def render_slots(
    template: str,
    slot: re.Pattern[str],
    out: PostWriter,
    draw: Callable[[str, str], tuple[str | None, str]],
    own_full_stop: bool = False,
) -> None:
    """Write `template` to `out` with every match of `slot` (groups: name, optional shape; "" when absent)
    filled by `draw(name, shape)`, as the harbor and quarry families write theirs. With `own_full_stop`, a
    value that ends in "." takes the place of a "." right after its slot ("John Hale Jr." ends the
    sentence with its own full stop)."""
    pos = 0
    for m in slot.finditer(template):
        out.literal(template[pos : m.start()])
        entity, text = draw(m[1], m[2] or "")
        out.value(entity, text)
        pos = m.end()
        if own_full_stop and text.endswith(".") and template.startswith(".", pos):
            pos += 1
    out.literal(template[pos:])
