"""The name tagger's compiled CRF inference (aircluster/privacy/detect/crf_native.c), built when a C compiler
and Python's headers are present. `optional=True`: without them the install still succeeds and the tagger
uses its pure-Python path (python-crfsuite). Everything else about the package is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "aircluster.privacy.detect.crf_native",
            sources=["aircluster/privacy/detect/crf_native.c"],
            extra_compile_args=["-O2", "-Wall", "-Wextra"],
            optional=True,
        )
    ]
)
