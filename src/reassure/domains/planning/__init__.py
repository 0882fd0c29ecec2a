"""Planning: build planner problems from stored scenarios (the planner itself is pure, in reassure.planner)."""
