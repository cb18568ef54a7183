#!/usr/bin/env bash
# Install what the Slurm tests need (Debian's slurm-wlm and munge) when this can: as root with
# apt-get. Otherwise say how, in one line, and fail. Does nothing when they are already there.
set -euo pipefail

needed=(munged slurmctld slurmd srun sbatch scontrol sinfo)
missing=()
for tool in "${needed[@]}"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
    exit 0
fi
echo "install-slurm: ${missing[*]} missing: install Debian's Slurm and munge with 'sudo apt-get install -y slurm-wlm munge' (or run this script as root)" >&2
exit 1
