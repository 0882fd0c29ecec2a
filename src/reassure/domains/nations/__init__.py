"""Nations domain."""
