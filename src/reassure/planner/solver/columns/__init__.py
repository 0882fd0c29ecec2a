"""Column generation: schedules priced against an LP master, plans by columns, and their rounding."""
