"""Importing the detector must not let Presidio probe the GPU: its device detector creates a CUDA tensor
(a CUDA context, GPU memory) unless PRESIDIO_DEVICE names a device, and no Presidio NLP engine runs here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
PROBE = """
import aircluster.privacy.detect.patterns
from presidio_analyzer.nlp_engine import device_detector
print(device_detector.get_device(), device_detector._get_device_from_env())
"""


@pytest.mark.parametrize(("given", "expected"), [(None, "cpu cpu"), ("cuda:1", "cuda:1 cuda:1")])
def test_presidio_is_told_its_device_and_an_operators_choice_is_kept(given, expected):
    env = {k: v for k, v in os.environ.items() if k != "PRESIDIO_DEVICE"}
    if given is not None:
        env["PRESIDIO_DEVICE"] = given
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # from the environment, so the probe that creates a CUDA tensor never ran
    assert proc.stdout.split("\n")[-2] == expected
