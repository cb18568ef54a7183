"""The compiled detector (setup.py, compiled.py): it runs only when built from the source beside it, and it
finds exactly what the source finds.

Each case runs in a fresh interpreter on a copy of the package, since which modules load is decided once per
process. The copy keeps the compiled files, so the cases need the build: on a machine that can build it
(mypyc and a C compiler) a missing build fails them, and a build that an edit made stale skips them (the
source runs there, which is what the edit's own tests check)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aircluster.privacy.detect import compiled

REPO = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.slow


def _build_state() -> str:
    """ "matches", "stale", or "missing"."""
    built = [p for p in compiled.PACKAGE_DIR.glob(f"{compiled.BUILT_FROM}.*.so")]
    if not built:
        return "missing"
    probe = _run(REPO, "import aircluster.privacy.detect as d; print(d.COMPILED)")
    return "matches" if probe.strip() == "True" else "stale"


def _can_build() -> bool:
    return importlib.util.find_spec("mypyc") is not None and shutil.which("cc") is not None


@pytest.fixture(scope="module")
def build() -> None:
    state = _build_state()
    if state == "missing" and _can_build() and os.environ.get("AIRCLUSTER_COMPILE") != "0":
        pytest.fail("the compiled detector was not built (python setup.py build_ext --inplace; scripts/setup-env.sh does)")
    if state != "matches":
        pytest.skip(f"the compiled detector is {state}: the source runs")


def _run(root: Path, code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "AIRCLUSTER_DETECT_SOURCE"}
    environment.update(PYTHONPATH=str(root), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="", **env)
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def copy(tmp_path: Path, build: None) -> Path:
    shutil.copytree(REPO / "aircluster", tmp_path / "aircluster", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


WHICH = """
import aircluster.privacy.detect as d
from aircluster.privacy.detect import names_places, detector
print(d.COMPILED, names_places.__file__.endswith('.so'), detector.__file__.endswith('.so'))
"""


def test_a_build_that_matches_its_source_runs(copy: Path) -> None:
    assert _run(copy, WHICH).split() == ["True", "True", "True"]


def test_an_edited_module_runs_every_module_from_source(copy: Path) -> None:
    # One module changed is enough: compiled modules call each other directly, so none of them may run.
    path = copy / "aircluster/privacy/detect/ages.py"
    path.write_text(path.read_text() + "\n# edited after the build\n")
    assert _run(copy, WHICH).split() == ["False", "False", "False"]


def test_a_missing_shared_library_runs_the_source(copy: Path) -> None:
    for library in (copy / "aircluster/privacy/detect").glob(f"{compiled.GROUP}__mypyc.*.so"):
        library.unlink()
    assert _run(copy, WHICH).split() == ["False", "False", "False"]


def test_the_environment_can_ask_for_the_source(copy: Path) -> None:
    assert _run(copy, WHICH, AIRCLUSTER_DETECT_SOURCE="1").split() == ["False", "False", "False"]


FINDINGS = """
import dataclasses, json, sys
sys.path.insert(0, {bench!r})
import scan_corpus
from aircluster.privacy.detect.detector import Detector
from evals.prose.score import PARTS, load, part_files
detector = Detector()
records = [*scan_corpus.posts(300, seed=3), *scan_corpus.documents(8, seed=3), *scan_corpus.forms(200, seed=3)]
records += [{{"text": doc.text}} for part in PARTS for path in part_files(part) for doc in load(path)[:12]]
# Values of every JSON type and then some (compiled code checks types where the source would not).
records += [
    {{"a": 1, "b": 2.5, "c": True, "d": None, "e": b"Anna Berg", "f": [1, "Anna Berg", [None, {{"x": "call 555-123-4567"}}]]}},
    {{"n": 2**80, "m": -0.0, "s": "", "t": " ", "u": "\\u0000\\ud800?", "v": {{"": "Paris"}}, 7: "key not a string"}},
    {{"deep": [[[[[["John Smith, 12 High Street, Leeds"]]]]]], "text": "x" * 10000 + " Anna Berg lives in Leeds"}},
    {{"ünï": "Zoë Saldaña García-López 😀 in São Paulo"}},
]
print(json.dumps([[dataclasses.astuple(f) for f in detector.scan_record(r)] for r in records]))
"""


def test_the_compiled_detector_finds_what_the_source_finds(build: None) -> None:
    code = FINDINGS.format(bench=str(REPO / "bench"))
    compiled_findings = json.loads(_run(REPO, code))
    source_findings = json.loads(_run(REPO, code, AIRCLUSTER_DETECT_SOURCE="1"))
    assert sum(map(len, compiled_findings)) > 1000
    assert compiled_findings == source_findings
