"""Talking to the aircluster server: the wire protocol and the client every other process uses."""
