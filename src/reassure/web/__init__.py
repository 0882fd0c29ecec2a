"""The dashboard (Jinja2 + htmx, Leaflet, Vega-Lite): pages for signed-in users over the same services as the API.
Every browser asset comes from pinned npm packages installed at set-up and served from here; nothing from a CDN."""
