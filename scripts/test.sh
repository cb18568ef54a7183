#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up .venv (and Slurm's packages when root), lint and
# type-check (ruff, basedpyright), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
if [ -f scripts/install-slurm.sh ]; then
  bash scripts/install-slurm.sh
fi
echo "ruff check, ruff format --check, basedpyright ..." >&2
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/basedpyright --level error
exec .venv/bin/python -m pytest -ra "$@"
