"""The solver: the CP-SAT model, column generation and its LP, heuristics, and the child processes.

Imports only the hard rules and the data model. Nothing is imported here, so that `reassure.planner`
can load the greedy baseline without loading OR-Tools (HiGHS clashes with it in one process).
"""
