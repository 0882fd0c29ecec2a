"""Incidents: what happened, each source's account of it, and the weapons counted."""
