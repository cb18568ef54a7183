"""aircluster: the software of an AI research supercluster.

Encrypted dataset store (AIRStore), privacy review gate, distributed trainer and cluster launcher.
Every module is usable as a library; the `aircluster` command is a thin layer over it.
"""

__version__ = "0.1.0"
