#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up .venv (and Slurm's packages when root), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
if [ -f scripts/install-slurm.sh ]; then
  bash scripts/install-slurm.sh
fi
exec .venv/bin/python -m pytest -ra "$@"
