# Types of the compiled module built from crf_native.c (see that file for the layouts).
from typing import Any, TypeVar

_T = TypeVar("_T", bound=tuple)

class Model:
    def __init__(self, state: bytes, transitions: bytes, labels: tuple[str, ...], names: list[bytes]) -> None: ...
    def tag(
        self, words: list[bytes], kinds: bytes, marks: bytes | bytearray, lower_doc: bool, a: int
    ) -> tuple[list[str], list[float]]: ...

class Tagger:
    def __init__(
        self,
        model: Model,
        token_type: type[tuple],
        nl: str,
        nl2: str,
        lists: tuple[tuple[str, frozenset[str]], ...],
        first_names: frozenset[str],
        place_lengths: dict[str, tuple[int, ...]],
        places: frozenset[str],
        limit: int,
        max_seq: int,
        window: int,
        entities: dict[str, str],
    ) -> None: ...
    def tag(
        self, text: str, probe: list[tuple[int, int]] | None
    ) -> tuple[list[Any], list[str], list[float], list[tuple[str, int, int, float]]]: ...
    def word(self, word: str) -> tuple[str, str, str, int, int, bytes]: ...

def tokenize(text: str, token_type: type[_T], nl: str, nl2: str) -> list[_T]: ...
