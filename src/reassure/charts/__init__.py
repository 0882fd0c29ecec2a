"""Charts and maps shared by the dashboard and the brief: Vega-Lite specifications of read models (drawn by
vega-embed in the browser, by vl-convert as SVG in the brief), the brief's map of regions from offline boundaries
included."""
