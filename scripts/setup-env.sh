#!/usr/bin/env bash
# Creates (or refreshes) the project's virtualenv at .venv with pinned dependencies.
# Idempotent and quick when nothing changed: a stamp records what was installed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: aircluster needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv ..." >&2
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.aircluster-installed
want=$(cat pyproject.toml constraints.txt setup.py aircluster/privacy/detect/*.c | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing pinned dependencies into .venv (torch 2.13.0 CPU/CUDA build, no GPU needed) ..." >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test,evals]'
  echo "$want" > "$stamp"
fi
# The compiled parts are built inside the tree (setup.py): the name tagger's CRF (crf_native) and the detector's
# modules (mypyc). Build them again when they are gone (after a `git clean`, say) or when the detector's modules
# no longer match the sources they were built from (after an edit or a pull: the source runs meanwhile, see
# aircluster/privacy/detect/compiled.py), if a C compiler is here; without one the pure-Python paths run.
if command -v cc >/dev/null; then
  if ! compgen -G "aircluster/privacy/detect/crf_native*.so" >/dev/null \
    || ! AIRCLUSTER_DETECT_SOURCE= .venv/bin/python -c 'import sys, aircluster.privacy.detect as d; sys.exit(not d.COMPILED)' 2>/dev/null; then
    echo "building the detector's compiled parts (about 5 minutes on one core) ..." >&2
    .venv/bin/python setup.py --quiet build_ext --inplace >/dev/null 2>&1 || echo "note: they did not build; the detector runs its Python source" >&2
  fi
fi
