"""Planner child processes: the pool that starts them and the loop each runs."""
