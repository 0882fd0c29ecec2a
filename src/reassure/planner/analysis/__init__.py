"""Analyses over plans: what-if re-planning, robustness sampling and sustainability (rotation pools, burden).

The top layer of the planner: may import the solver, the hard rules and the data model, never the reverse.
"""
