"""Verifications of pledged capabilities (docs/adr/0042): visits, readiness reports and exercises, with findings."""
