"""The compiled parts of the detector, built in place when a C compiler and Python's headers are present.
Everything else about the package is in pyproject.toml.

- The name tagger's CRF inference (aircluster/privacy/detect/crf_native.c). `optional=True`: without a
  compiler the install still succeeds and the tagger uses its pure-Python path (python-crfsuite).
- The detector's own modules (`aircluster.privacy.detect.compiled.MODULES`), compiled by mypyc from the same
  typed Python source, with one generated module holding the hash of each source they were built from: the
  package loads them only when that build matches every .py, and otherwise runs the source (after an edit,
  say), so a stale build never runs (compiled.py). AIRCLUSTER_COMPILE=0 skips them; so does a machine without
  mypyc or a C compiler.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from setuptools import Extension, setup


def _load_compiled():
    """aircluster/privacy/detect/compiled.py (the module list and the hashes), read by path: through the package its
    __init__ would run, which chooses between the build and the source in the building process itself."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aircluster", "privacy", "detect", "compiled.py")
    spec = importlib.util.spec_from_file_location("aircluster_build_compiled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compiled = _load_compiled()

ext_modules = [
    Extension(
        "aircluster.privacy.detect.crf_native",
        sources=["aircluster/privacy/detect/crf_native.c"],
        extra_compile_args=["-O2", "-Wall", "-Wextra"],
        optional=True,
    )
]


def _mypyc_modules() -> list[Extension]:
    if os.environ.get("AIRCLUSTER_COMPILE", "1") == "0":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("note: mypyc is not installed; the detector runs from its Python source", file=sys.stderr)
        return []
    compiled.write_built_from()
    # One group, so calls between the modules are direct C calls. Whether they load is decided at import
    # (compiled.choose), so a group that failed to build just means the source runs.
    extensions = mypycify(
        [
            "--ignore-missing-imports",
            "--follow-imports=silent",  # patterns.py and tagger.py are imported, not compiled: not theirs to check
            *(f"aircluster/privacy/detect/{m}.py" for m in (*compiled.MODULES, compiled.BUILT_FROM)),
        ],
        opt_level="3",
        debug_level="0",
        group_name=f"{compiled.PACKAGE}.{compiled.GROUP}",
    )
    for extension in extensions:
        extension.optional = True
    return extensions


setup(ext_modules=ext_modules + _mypyc_modules())
