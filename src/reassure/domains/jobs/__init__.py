"""Background jobs: plan solves, what-ifs, robustness runs and rule evaluations, with their state and progress."""
