"""Asks to nations and their answers (issue 26, docs/adr/0041)."""
