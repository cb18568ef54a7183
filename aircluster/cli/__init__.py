"""The `aircluster` command: a thin layer that parses arguments, calls the library and prints."""

from aircluster.cli.main import main

__all__ = ["main"]
