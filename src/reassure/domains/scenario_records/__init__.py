"""The scenario record and its lookup by name: below every domain that hangs parts on a scenario (docs/adr/0029)."""
