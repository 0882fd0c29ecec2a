"""Incident monitoring: report extraction, ingestion and indicators."""
