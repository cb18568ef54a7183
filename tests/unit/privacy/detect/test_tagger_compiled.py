"""The name tagger's compiled inference (crf_native.c) against its python-crfsuite path: the same labels,
confidences within 1e-9 and the same spans on varied text and edge cases; the pure-Python path runs when
the extension is absent or turned off; the C module refuses malformed input with an exception, not a crash."""

from __future__ import annotations

import json
import os
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
    NameTagger,
    TaggerError,
    read_model,
    read_weights,
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


def packed(counts: list[int], ids: list[int]) -> bytes:
    return struct.pack(f"={len(counts) + len(ids)}i", *counts, *ids)


@pytest.fixture(scope="module")
def native():
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    state = struct.pack("=6d", 0.0, 0.0, 1.0, -1.0, 0.5, 2.0)  # 3 attributes x 2 labels
    trans = struct.pack("=4d", 0.1, -0.2, 0.3, 0.0)
    return crf_native.Model(state, trans, ("O", "X"), 1)


def test_native_model_tags_a_small_chain(native):
    empty = packed([0] * 5, [])
    word = packed([1, 1, 0, 0, 0], [2, 0])
    assert native.tag([empty] * 4, []) == ([], [])
    labels, margs = native.tag([empty, empty, word, word, empty, empty], [[], [2]])
    assert labels == ["O", "X"]
    assert all(0.0 < p <= 1.0 for p in margs)


@pytest.mark.parametrize(
    "words, extras, error",
    [
        ([b""] * 5, [[]], "too short"),
        ([b"\x00" * 21] * 5, [[]], "too short or not whole"),
        ([packed([2, 0, 0, 0, 0], [1])] * 5, [[]], "counts exceed"),
        ([packed([-1, 0, 0, 0, 0], [])] * 5, [[]], "counts exceed"),
        ([packed([1, 0, 0, 0, 0], [3])] * 5, [[]], "outside the model"),
        ([packed([1, 0, 0, 0, 0], [-5])] * 5, [[]], "outside the model"),
        ([packed([0] * 5, [])] * 5, [[7]], "outside the model"),
        ([packed([0] * 5, [])] * 5, [[-1]], "outside the model"),
        ([packed([0] * 5, [])] * 5, [["b"]], "integer"),
        ([packed([0] * 5, [])] * 5, [(1,)], "list of ids or None"),
        ([packed([0] * 5, [])] * 4, [[]], "len\\(words\\) == len\\(extras\\) \\+ 4"),
        (["word"] * 5, [[]], "must be bytes"),
    ],
)
def test_native_model_refuses_malformed_input(native, words, extras, error):
    with pytest.raises((ValueError, TypeError), match=error):
        native.tag(words, extras)


def test_native_model_checks_its_tables():
    from aircluster.privacy.detect import crf_native

    assert crf_native is not None
    with pytest.raises(ValueError, match="do not match"):
        crf_native.Model(b"\x00" * 24, b"\x00" * 8, ("O", "X"), 0)
    with pytest.raises(ValueError, match="1 to 1000 labels"):
        crf_native.Model(b"", b"", (), 0)
    with pytest.raises(ValueError, match="bias"):
        crf_native.Model(b"\x00" * 16, b"\x00" * 32, ("O", "X"), 1)
    with pytest.raises(RuntimeError, match="not initialised"):
        crf_native.Model.__new__(crf_native.Model).tag([], [])
