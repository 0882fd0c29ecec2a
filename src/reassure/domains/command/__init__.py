"""Command domain."""
