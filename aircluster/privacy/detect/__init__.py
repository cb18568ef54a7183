"""PII detection. `COMPILED`: whether this process runs the compiled build of the detector's modules
(compiled.py decides, before any of them is imported)."""

from aircluster.privacy.detect import compiled as _compiled

COMPILED = _compiled.choose()
