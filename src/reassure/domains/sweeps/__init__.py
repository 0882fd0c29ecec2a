"""Scenario sweeps: many what-ifs of one scenario solved side by side, stored as plans of the sweep (docs/adr/0053)."""
