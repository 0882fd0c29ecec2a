"""Pledges domain."""
