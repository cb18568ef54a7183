#!/usr/bin/env bash
# The benchmark's own environment, .venv-bench: MosaicML Streaming beside the project's pinned CPU torch.
# mosaicml-streaming pins other torch/numpy versions, so it is installed with --no-deps, and the project's
# packages (torch==2.13.0 among them) are shared from .venv through a .pth file rather than reinstalled.
# Streaming imports transformers and torchvision at module level for code paths the benchmark never runs
# (its own DataLoader's tokenizer hooks, its vision datasets); torchvision cannot load beside this CPU
# torch build, so both are replaced by small stubs that define the imported names.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/.venv-bench"
[ -x "$bench/bin/python" ] || "$root/.venv/bin/python" -m venv "$bench"
py="$bench/bin/python"
site="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
main_site="$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "import site; site.addsitedir('$main_site')" > "$site/aircluster-main.pth"  # addsitedir: its .pth files (aircluster, editable) count too
"$py" -m pip install -q --no-deps "mosaicml-streaming==0.13.0"
"$py" -m pip install -q "xxhash>=3,<4" zstd python-snappy brotli filelock catalogue

stub() {  # stub FILE CONTENT
  mkdir -p "$(dirname "$site/$1")"
  printf '%s\n' "$2" > "$site/$1"
}
stub transformers/__init__.py '"""Stub for mosaicml-streaming imports (see bench/setup-env.sh)."""'
stub transformers/feature_extraction_utils.py 'class BatchFeature(dict): ...'
stub transformers/tokenization_utils_base.py 'class BatchEncoding(dict): ...'
stub transformers/models/__init__.py ''
stub transformers/models/auto/__init__.py ''
stub transformers/models/auto/tokenization_auto.py 'class AutoTokenizer: ...'
stub torchvision/__init__.py '"""Stub for mosaicml-streaming imports (see bench/setup-env.sh)."""'
stub torchvision/datasets/__init__.py $'class VisionDataset: ...\n\n\nclass CIFAR10(VisionDataset): ...'
stub torchvision/transforms/__init__.py ''
stub torchvision/transforms/functional.py $'def to_tensor(pic):\n    raise RuntimeError("torchvision is a stub in the benchmark environment")'

"$py" -c "import streaming, torch; assert torch.__version__.startswith('2.13.0'), torch.__version__; print('bench env: streaming', streaming.__version__, 'torch', torch.__version__)"
