# Types of the compiled module built from crf_native.c (see that file for the layouts).
from typing import TypeVar

_T = TypeVar("_T", bound=tuple)

class Model:
    def __init__(self, state: bytes, transitions: bytes, labels: tuple[str, ...], names: list[bytes]) -> None: ...
    def tag(
        self, words: list[bytes], kinds: bytes, marks: bytes | bytearray, lower_doc: bool, a: int
    ) -> tuple[list[str], list[float]]: ...

def tokenize(text: str, token_type: type[_T], nl: str, nl2: str) -> list[_T]: ...
