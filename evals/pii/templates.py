"""Writing a post while keeping its gold spans exact.

`PostWriter` collects a post's text piece by piece and one span per labeled value; `render` fills a
brace template (`{SLOT}` or `{SLOT.shape}`, `{{` and `}}` for literal braces), as the fresh, sealed and
vault families write theirs. Every family labels the same way: a value drawn for a labeled slot gets
one span covering it and nothing else; literal text gets none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Draw = Callable[[str], tuple[str | None, str]]      # slot -> (entity or None, text)
Fixed = dict[str, tuple[str | None, str]]           # per-post values, by slot


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
            put(template[pos:brace + 1])
            pos = brace + 2
            continue
        if template[brace] == "}":
            raise ValueError(f"unbalanced '}}' in {template!r}")
        put(template[pos:brace])
        close = template.index("}", brace)
        slot = template[brace + 1:close]
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
