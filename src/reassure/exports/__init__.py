"""Export formats other tools read: CSV tables, iCalendar (RFC 5545) events, GeoJSON features. Pure: plain rows in,
text out; the API, the web pages and the CLI choose what to export and check who may see it."""
