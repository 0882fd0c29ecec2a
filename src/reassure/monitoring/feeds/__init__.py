"""Structured feed readers: the Air Force attack CSV and UCDP GED rows → accounts, and the dedup rule."""
