"""Scenarios domain."""
