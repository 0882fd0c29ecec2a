"""Background jobs: their rows, state and progress, whatever their kind (the kinds: services/job_kinds.py)."""
