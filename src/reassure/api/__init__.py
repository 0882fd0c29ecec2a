"""The REST API (FastAPI, /api/v1): a thin adapter that resolves who asks, calls services and actions, and
renders their read models as JSON (or an export format). It computes nothing itself."""
