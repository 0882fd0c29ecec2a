"""The phases of a scenario (issue 26, docs/adr/0044)."""
