"""Charts and maps shared by the dashboard and the brief: Vega-Lite specifications of read models (drawn by
vega-embed in the browser, by vl-convert as SVG in the brief) and SVG maps from offline boundaries."""
