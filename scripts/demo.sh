#!/usr/bin/env bash
# The main job on a fresh machine: set up .venv, then `aircluster demo` on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-env.sh
exec .venv/bin/aircluster demo "$@"
