"""Incident monitoring: report extraction, ingestion and indicators.

- ``extraction/``: free-text air-attack reports → an AirAttackReport (``extract_report``).
- ``feeds/``: structured feed readers (Air Force attack CSV, UCDP GED) → accounts, and the dedup rule.
- ``indicators/``: the incident frame and the indicators over it (counts, rates, series for the rules).
- ``report.py``: the shared model (counts, weapon lines, the §4 report) the three subpackages build on;
  they import it, never each other.
"""
