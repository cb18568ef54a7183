"""`aircluster demo`: the main job, end to end, on embedded defaults."""
