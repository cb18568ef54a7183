"""Policy texts the store tests import with."""

ALLOW_ALL = """
# Store tests compare stored data with their input, so nothing may be transformed.
[defaults]
action = "allow"
"""
