"""The name tagger's compiled inference (crf_native.c) against its python-crfsuite path: the same tokens,
labels, confidences within 1e-9 and the same spans on varied text and edge cases; the C tokenizer against the
regex on random text; the pure-Python path runs when the extension is absent or turned off; the C module
refuses malformed input with an exception, not a crash."""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import random
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from aircluster.privacy.detect import tagger as tagger_module
from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.tagger import (
    MAX_SEQ,
    MODEL_PATH,
    NL,
    NL2,
    NameTagger,
    TaggerError,
    Token,
    read_model,
    read_weights,
    tokenize,
)
from evals.pii.synth import generate_posts

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def taggers() -> tuple[NameTagger, NameTagger]:
    lexicon = load_lexicon()
    return NameTagger.load(lexicon, compiled=True), NameTagger.load(lexicon, compiled=False)


EDGE_CASES = [
    "",
    " ",
    "\n\n\n",
    "a",
    "Anna",
    ".",
    "Anna Berg",
    "\nAnna\n",
    "Regards,\nAnna Berg\n\nLeeds",
    "Name: Anna Berg\nCity: Leeds\nPhone: 0113 496 0000",
    "Ölçü Şahin moved to İstanbul; Zoë Ångström stayed in Malmö. 東京 Ташкент Ελένη",
    "Xqzvw Plorkt met Brindlevax Quommer in Zzyzx.",  # words no list or model has seen
    "anna berg and jan de vries met in leeds",  # a lower-case text
    "ANNA BERG LIVES IN LEEDS",
    "Mr. O'Connor-Smith and Jean-Luc Picard, 12 Rue de Rivoli, 75001 Paris",
    "(Anna) \"Berg\" 'Leeds' [Paris] ... !!! ??? Anna: Berg: Leeds:",
    "_ _ _ Anna_Berg __init__ Leeds-on-Sea 1234 LS6 2AB",
    " ".join(["Anna", "Berg"] * (MAX_SEQ // 2)),  # one window of MAX_SEQ tokens exactly
    " ".join(f"Name{k} Berg" for k in range(MAX_SEQ + 7)),  # longer than one window
    "x " * 2000 + "Anna Berg from Leeds " * 200,
    "Anna \ud800 Berg \udfff in Leeds",  # lone surrogates, as JSON can carry them
    "Dear " + "Annabelle" * 3000 + " Berg, welcome to Leeds",  # a word longer than any feature
    "<b>Anna Berg</b> < Leeds > Paris <NL> <S> Rome",  # "<" tokens are treated as breaks
]


def varied_texts() -> list[str]:
    texts = list(EDGE_CASES)
    for family in ("harbor", "quarry", "vault", "sealed", "fresh", "blind", "heldout"):
        texts += [t for t, _ in generate_posts(40, 7, template_set=family)]
    prose = ROOT / "evals" / "prose"
    for path in sorted(prose.glob("*.jsonl"))[:3]:  # prose nobody on the project wrote
        lines = path.read_text(encoding="utf-8").splitlines()[:30]
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def test_the_compiled_path_is_built_and_chosen_by_default():
    # setup.py builds it optionally: an install that silently lost it would pass every other test
    assert tagger_module.crf_native is not None
    assert NameTagger.load(load_lexicon()).compiled is True


@pytest.mark.parametrize("probed", [False, True])
def test_compiled_and_crfsuite_paths_agree(taggers, probed):
    compiled, crfsuite = taggers
    texts = varied_texts()
    assert len(texts) > 300
    labelled = 0
    for text in texts:
        probe = [(0, len(text) // 3), (len(text) // 2, len(text))] if probed else None
        a, b = compiled.tag(text, probe), crfsuite.tag(text, probe)
        assert a.tokens == b.tokens
        assert a.labels == b.labels, text[:80]
        assert max((abs(x - y) for x, y in zip(a.confidence, b.confidence)), default=0.0) <= 1e-9, text[:80]
        assert [s[:3] for s in a.spans] == [s[:3] for s in b.spans]
        assert all(abs(x[3] - y[3]) <= 1e-9 for x, y in zip(a.spans, b.spans))
        assert a.spans == tagger_module.spans_of(a.tokens, a.labels, a.confidence)  # built in C, the same
        labelled += sum(lab != "O" for lab in a.labels)
    assert labelled > 500  # the texts do have names and places, the comparison is not of empty labels


def test_a_window_of_max_seq_tokens_is_tagged(taggers):
    compiled, crfsuite = taggers
    text = " ".join(["Anna", "Berg"] * (MAX_SEQ // 2))
    a, b = compiled.tag(text), crfsuite.tag(text)
    assert len(a.labels) == MAX_SEQ and any(lab != "O" for lab in a.labels)
    assert a.labels == b.labels


def test_env_turns_the_compiled_path_off(monkeypatch):
    monkeypatch.setenv("AIRCLUSTER_NAME_TAGGER_COMPILED", "0")
    off = NameTagger.load(load_lexicon())
    assert off.compiled is False
    assert {(e, s, t) for e, s, t, _ in off.tag("We met Anna Berg in Leeds.").spans} == {
        ("PERSON", 7, 16),
        ("LOCATION", 20, 25),
    }


def test_without_the_extension_the_tagger_falls_back(tmp_path):
    # A fresh interpreter where importing the extension fails, as it does when no compiler built it.
    code = (
        "import sys\n"
        "sys.modules['aircluster.privacy.detect.crf_native'] = None\n"
        "from aircluster.privacy.detect.lexicon import load_lexicon\n"
        "from aircluster.privacy.detect.tagger import NameTagger, TaggerError, crf_native\n"
        "from aircluster.privacy.detect.detector import Detector\n"
        "assert crf_native is None\n"
        "t = NameTagger.load(load_lexicon())\n"
        "print(t.compiled, sorted((e, s, u) for e, s, u, _ in t.tag('We met Anna Berg in Leeds.').spans))\n"
        "print(Detector().tagger.compiled)\n"
        "try:\n"
        "    NameTagger.load(load_lexicon(), compiled=True)\n"
        "except TaggerError as e:\n"
        "    print('error', e)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}
    env.pop("AIRCLUSTER_NAME_TAGGER", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "False [('LOCATION', 20, 25), ('PERSON', 7, 16)]"
    assert lines[1] == "False"
    assert lines[2].startswith("error ") and "crf_native" in lines[2] and "was not built" in lines[2]


def test_weights_are_exact_and_checked_against_crfsuite():
    import pycrfsuite

    model = read_model(MODEL_PATH)
    t = pycrfsuite.Tagger()
    t.open_inmemory(model)
    info = t.info()
    w = read_weights(model, info)
    n_labels = len(w.labels)
    state = struct.unpack(f"<{len(w.state) // 8}d", w.state)
    assert state[:n_labels] == (0.0,) * n_labels  # id 0: a feature the model does not know
    (attr, label), shown = next(iter(info.state_features.items()))
    exact = state[w.index[attr] * n_labels + w.labels.index(label)]
    assert exact != shown and abs(exact - shown) <= 5e-7  # the dump rounds, the file does not
    damaged = bytearray(model)
    damaged[:4] = b"xCRF"
    with pytest.raises(TaggerError, match="features table"):
        read_weights(bytes(damaged), info)
    with pytest.raises(TaggerError, match="truncated header"):
        read_weights(model[:20], info)
    info.state_features[(attr, label)] = shown + 0.5  # names and weights from a different model
    with pytest.raises(TaggerError, match="disagrees with CRFsuite"):
        read_weights(model, info)


def packed(counts: list[int], ids: list[int], low: bytes = b"x", shape: bytes = b"x", singles: list[int] | None = None) -> bytes:
    """A word as crf_native reads it (the layout in crf_native.c)."""
    head = [*counts, *(singles or [0] * 5), len(low), len(shape)]
    return struct.pack(f"={len(head) + len(ids)}i", *head, *ids) + low + shape


# A model of two labels and four attributes (id 0 is none), the conjunction "w-1|sh=x|x" among them.
NAMES = [b"", b"b", b"own", b"w-1|sh=x|x"]


@pytest.fixture(scope="module")
def native():
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    state = struct.pack("=8d", 0.0, 0.0, 1.0, -1.0, 0.5, 2.0, -3.0, 3.0)
    trans = struct.pack("=4d", 0.1, -0.2, 0.3, 0.0)
    return crf_native.Model(state, trans, ("O", "X"), NAMES)


def chain(native, words: list[bytes], kinds: bytes | None = None):
    n = len(words) - 4
    return native.tag(words, kinds if kinds is not None else b"\x01\x01" + b"\x00" * n + b"\x01\x01", bytes(n), False, 0)


def brute_force(states: list[list[float]], trans: list[list[float]]) -> tuple[list[int], list[list[float]]]:
    """Best path and per-position marginals of a tiny chain, by enumerating every path."""
    n_labels = len(trans)
    paths = list(itertools.product(range(n_labels), repeat=len(states)))
    score = {y: sum(states[t][y[t]] for t in range(len(y))) + sum(trans[y[t - 1]][y[t]] for t in range(1, len(y))) for y in paths}
    z = sum(math.exp(v) for v in score.values())
    marg = [[sum(math.exp(score[y]) for y in paths if y[t] == k) / z for k in range(n_labels)] for t in range(len(states))]
    return list(max(paths, key=score.__getitem__)), marg


def test_native_model_tags_a_small_chain(native):
    edge, word = packed([0] * 5, [], b"<S>", b"<S>"), packed([1, 0, 0, 0, 0], [2])
    brk = packed([1, 0, 0, 0, 0], [2], b"<NL>", b"<NL>")
    trans = [[0.1, -0.2], [0.3, 0.0]]
    assert chain(native, [edge] * 4) == ([], [])
    # token 0: "b" + "own"; token 1 also "w-1|sh=x|x" (its neighbour before is "x"); a line break
    # (KIND bit 1) has "b" and its own features only, the conjunction not
    cases = [
        ([edge, edge, word, word, edge, edge], None, [[1.5, 1.0], [-1.5, 4.0]]),
        ([edge, edge, word, brk, edge, edge], b"\x01\x01\x00\x01\x01\x01", [[1.5, 1.0], [1.5, 1.0]]),
        ([edge, edge, word, word, word, edge, edge], None, [[1.5, 1.0], [-1.5, 4.0], [-1.5, 4.0]]),
    ]
    for words, kinds, states in cases:
        labels, margs = chain(native, words, kinds)
        best, marg = brute_force(states, trans)
        assert labels == [("O", "X")[y] for y in best]
        assert all(abs(p - marg[t][y]) < 1e-12 for t, (p, y) in enumerate(zip(margs, best)))


def test_native_model_words_longer_than_any_attribute(native):
    edge, long = packed([0] * 5, [], b"<S>", b"<S>"), packed([0] * 5, [], "é".encode() * 50_000, b"x")
    labels, margs = chain(native, [edge, edge, long, long, long, edge, edge])
    assert len(labels) == 3 and all(0.0 < p <= 1.0 for p in margs)


GOOD = packed([0] * 5, [])


@pytest.mark.parametrize(
    "words, kinds, marks, a, error",
    [
        ([b""] * 5, bytes(5), bytes(1), 0, "too short"),
        ([GOOD[:-1]] * 5, bytes(5), bytes(1), 0, "text lengths"),
        ([GOOD + b"x"] * 5, bytes(5), bytes(1), 0, "text lengths"),
        ([packed([2, 0, 0, 0, 0], [1])] * 5, bytes(5), bytes(1), 0, "counts exceed"),
        ([packed([-1, 0, 0, 0, 0], [])] * 5, bytes(5), bytes(1), 0, "counts exceed"),
        ([packed([1, 0, 0, 0, 0], [4])] * 5, bytes(5), bytes(1), 0, "outside the model"),
        ([packed([1, 0, 0, 0, 0], [-5])] * 5, bytes(5), bytes(1), 0, "outside the model"),
        ([packed([0] * 5, [], singles=[0, 0, 0, 0, 9])] * 5, bytes(5), bytes(1), 0, "outside the model"),
        ([packed([0] * 5, [], singles=[-1, 0, 0, 0, 0])] * 5, bytes(5), bytes(1), 0, "outside the model"),
        ([GOOD] * 5, bytes(4), bytes(1), 0, "len\\(kinds\\) == len\\(marks\\) \\+ 4"),
        ([GOOD] * 5, bytes(5), bytes(1), 1, "inside the text"),
        ([GOOD] * 5, bytes(5), bytes(1), -1, "inside the text"),
        ([GOOD] * 6, bytes(5), bytes(1), 0, "inside the text"),
        ([GOOD] * 3, bytes(5), bytes(1), 0, "len\\(words\\) >= 4"),
        (["word"] * 5, bytes(5), bytes(1), 0, "must be bytes"),
    ],
)
def test_native_model_refuses_malformed_input(native, words, kinds, marks, a, error):
    with pytest.raises((ValueError, TypeError), match=error):
        native.tag(words, kinds, marks, False, a)


def test_native_model_checks_its_tables():
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    with pytest.raises(ValueError, match="do not match"):
        crf_native.Model(b"\x00" * 24, b"\x00" * 32, ("O", "X"), [b"", b"b"])
    with pytest.raises(ValueError, match="do not match"):
        crf_native.Model(b"\x00" * 32, b"\x00" * 8, ("O", "X"), [b"", b"b"])
    with pytest.raises(ValueError, match="1 to 1000 labels"):
        crf_native.Model(b"", b"", (), [b""])
    with pytest.raises(ValueError, match="appears twice"):
        crf_native.Model(b"\x00" * 48, b"\x00" * 32, ("O", "X"), [b"", b"b", b"b"])
    with pytest.raises(TypeError, match="must be bytes"):
        crf_native.Model(b"\x00" * 32, b"\x00" * 32, ("O", "X"), [b"", "b"])
    with pytest.raises(RuntimeError, match="not initialised"):
        crf_native.Model.__new__(crf_native.Model).tag([], b"", b"", False, 0)


# Characters where the regex's classes are easy to get wrong: blanks that are not " " (\x1c-\x1f and
# \x85 are \s to Python), digits that are not decimal ("²", "½", "Ⅻ"), marks, "_", the joiners, surrogates.
TRICKY = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000_-'’‘\"(.:;!?<>²½Ⅻ٣\u0301\u200d\ud800\udfffaZéß東Ж0 9"


def test_native_tokenizer_gives_the_regex_tokens():
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    rng = random.Random(1313)
    texts = [*EDGE_CASES, *varied_texts()[:200]]
    texts += ["".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts += ["".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    texts += ["a-b-c", "a--b", "rock-'n'-roll", "o’neil’s", "x-", "-x", "\n \n", "\n\t x", "\r\n\r\n", "__a__"]
    for text in texts:
        got = crf_native.tokenize(text, Token, NL, NL2)
        assert got == tokenize(text), repr(text)
        assert all(type(t) is Token for t in got)
        assert not any(map(gc.is_tracked, got))  # ints and a str: no cycle, nothing for the collector to walk
    with pytest.raises(TypeError, match="tuple subclass"):
        crf_native.tokenize("a b", dict, NL, NL2)


def reference_pack(w, index: dict[str, int]) -> bytes:
    """A filled word (string features, `WordCache(lexicon)` with no model) packed as crf_native reads it:
    what crf_native.Model.pack must build from the word alone."""
    get = index.get
    ids = [list(filter(None, map(get, part))) for part in (w.own, w.prev1, w.prev2, w.next1, w.next2)]
    singles = [get(f"ls|sh={w.shape}", 0), get(f"ss|sh={w.shape}", 0), get(f"ss|lx={w.flags}", 0)]
    singles += [get(f"lowerdoc|lx={w.flags}", 0), get(f"glued+={w.low}", 0)]
    low, shape = w.low.encode("utf-8", "surrogatepass"), w.shape.encode("utf-8", "surrogatepass")
    flat = [i for part in ids for i in part]
    head = struct.pack(f"={12 + len(flat)}i", *map(len, ids), *singles, len(low), len(shape), *flat)
    return head + low + shape


def parity_words() -> list[str]:
    """Token texts of varied text, the word lists' own words (flags, hyphenated first names), and random
    strings of tricky characters (cases, digits that are not decimal, surrogates, long words)."""
    rng = random.Random(2027)
    lexicon = load_lexicon()
    words = {t.text for text in varied_texts() for t in tokenize(text)}
    words |= set(rng.sample(sorted(lexicon.first_names), 300)) | set(rng.sample(sorted(lexicon.places), 300))
    words |= {"Jean-Luc", "mary-jane", "Anna-Berg", "<", "<NL>", "<NL2>", "İstanbul", "ǅemal", "ß", "Ⅻ", "²³", "١٢٣"}
    words |= {"".join(rng.choice(TRICKY.replace(" ", "")) for _ in range(rng.randint(1, 12))) for _ in range(3000)}
    words |= {"".join(chr(rng.randint(0x20, 0x10FFFF)) for _ in range(rng.randint(1, 8))) for _ in range(1000)}
    return sorted(w for w in words if w)


def test_native_words_are_the_python_words():
    # What crf_native.Tagger keeps of each word (tagger.WordCache.get and fill in C) against the Python
    # word cache: lower case, shape, flags, whether it may be a name, KIND bits, and the feature ids.
    lexicon = load_lexicon()
    compiled = NameTagger.load(lexicon, compiled=True)
    native = compiled._native  # pyright: ignore[reportPrivateUsage]
    assert native is not None
    model = read_model(MODEL_PATH)
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open_inmemory(model)
    index = read_weights(model, t.info()).index
    strings = tagger_module.WordCache(lexicon)  # the string features, every one (no model's filter)
    own_features = flagged = 0
    for word in [*parity_words(), "1234567890", "x" * 10_000]:
        ref = strings.get(word)
        strings.fill(ref)
        low, shape, flags, wanted, kind, packed = native.word(word)
        assert (low, shape, flags, wanted, kind) == (ref.low, ref.shape, ref.flags, ref.wanted, ref.kind), repr(word)
        assert packed == reference_pack(ref, index), repr(word)
        own_features += struct.unpack_from("=i", packed)[0] > 1
        flagged += flags != ""
    assert own_features > 1000 and flagged > 500  # words with features and flags, not only empty ones
    edge = strings.edge
    assert native.word("") == (edge.low, edge.shape, edge.flags, 0, 1, reference_pack(edge, index))
    with pytest.raises(TypeError, match="takes a str"):
        native.word(b"Anna")  # pyright: ignore[reportArgumentType]


def test_native_tagger_refuses_bad_arguments(taggers):
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    native = taggers[0]._native  # pyright: ignore[reportPrivateUsage]
    for probe in ([(0, "x")], [(0, 1, 2)], 5, ["ab"]):
        with pytest.raises(TypeError):
            native.tag("Anna Berg in Leeds", probe)
    lexicon = load_lexicon()
    model = crf_native.Model(b"\x00" * 32, b"\x00" * 32, ("O", "X"), [b"", b"b"])
    entities = {"": "PERSON"}  # "X"[2:], as spans_of reads a label
    good = (model, Token, NL, NL2, (("f", lexicon.first_names),), lexicon.first_names, {}, frozenset(), 10, 400, 2, entities)
    with pytest.raises(TypeError, match="tuple subclass"):
        crf_native.Tagger(model, dict, *good[2:])
    with pytest.raises(TypeError, match="letter, set"):
        crf_native.Tagger(*good[:4], (("fl", lexicon.first_names),), *good[5:])
    with pytest.raises(ValueError, match="positive limit"):
        crf_native.Tagger(*good[:8], 0, 400, 2, entities)
    with pytest.raises(ValueError, match="'X' has no entity"):
        crf_native.Tagger(*good[:11], {"PER": "PERSON"})
    with pytest.raises(RuntimeError, match="not initialised"):
        crf_native.Tagger(crf_native.Model.__new__(crf_native.Model), *good[1:])
    with pytest.raises(RuntimeError, match="not initialised"):
        crf_native.Tagger.__new__(crf_native.Tagger).tag("Anna", None)
    tagger = crf_native.Tagger(*good)
    with pytest.raises(RuntimeError, match="initialised once"):
        tagger.__init__(*good)
    tokens, labels, conf, spans = tagger.tag("Anna Berg", None)  # a model whose weights are all zero: labels "O"
    assert [t.text for t in tokens] == ["Anna", "Berg"] and labels == ["O", "O"] and conf == [0.5, 0.5] and spans == []


def test_the_native_word_cache_is_bounded(monkeypatch):
    lexicon = load_lexicon()
    monkeypatch.setattr(tagger_module.WordCache, "LIMIT", 50)
    small = NameTagger.load(lexicon, compiled=True)
    crfsuite = NameTagger.load(lexicon, compiled=False)
    for text in varied_texts()[:120]:  # many more distinct words than 50: the cache is cleared between texts
        a, b = small.tag(text), crfsuite.tag(text)
        assert a.labels == b.labels and max((abs(x - y) for x, y in zip(a.confidence, b.confidence)), default=0.0) <= 1e-9
