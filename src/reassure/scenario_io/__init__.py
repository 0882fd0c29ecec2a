"""Scenario files: YAML (whole scenario or facts) and CSV/XLSX pledge tables, validated before any write."""
