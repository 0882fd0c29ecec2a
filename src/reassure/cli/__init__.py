"""Thin command-line adapter: parses arguments, opens a unit of work, calls services and actions."""
