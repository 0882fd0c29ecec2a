// The dashboard's behaviour: htmx sends the session's CSRF token, charts are drawn from their Vega-Lite specs, and
// maps from the locally served world-atlas outlines (no network beyond this server).
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", (event) => {
    if (csrf) { event.detail.headers["X-CSRF-Token"] = csrf.content; }
  });
  const DOMAIN_COLOURS = { land: "#6b8e23", sea: "#1f5fa8", air: "#9b59b6", enabler: "#d98c1a", none: "#999999" };

  function drawCharts(root) {
    root.querySelectorAll(".chart[data-spec]").forEach((el) => {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      const spec = JSON.parse(el.dataset.spec);
      window.vegaEmbed(el, spec, { actions: { export: true, source: false, compiled: false, editor: false } })
        .then(() => { el.dataset.ready = "1"; })
        .catch((error) => { el.textContent = "chart could not be drawn: " + error; });
    });
  }

  function drawNationMap(el) {
    const nations = JSON.parse(el.dataset.nations);
    const byNumeric = {};
    nations.forEach((n) => { if (n.numeric) { byNumeric[String(Number(n.numeric))] = n; } });
    const map = window.L.map(el, { worldCopyJump: true, attributionControl: true }).setView([50, 20], 3);
    map.attributionControl.addAttribution("Outlines: Natural Earth via world-atlas");
    fetch(el.dataset.atlas).then((r) => r.json()).then((atlas) => {
      const countries = window.topojson.feature(atlas, atlas.objects.countries);
      window.L.geoJSON(countries, {
        style: (feature) => {
          const n = byNumeric[String(Number(feature.id))];
          if (!n) { return { weight: 0.5, color: "#8899aa", fillColor: "#f2f2f2", fillOpacity: 0.6 }; }
          return { weight: n.role === "lead" ? 2.5 : 0.8, color: n.role === "lead" ? "#000" : "#445",
                   fillColor: DOMAIN_COLOURS[n.domain] || "#999", fillOpacity: 0.75 };
        },
        onEachFeature: (feature, layer) => {
          const n = byNumeric[String(Number(feature.id))];
          if (!n) { return; }
          const units = Object.entries(n.units).map(([d, u]) => d + " " + u).join(", ");
          layer.bindTooltip(n.name + " (" + n.code + "), " + n.role + ": " + units + "; " + n.personnel +
            " personnel per rotation (assumed)" + (n.conditions.length ? "; conditions: " + n.conditions.join(", ") : ""));
        },
      }).addTo(map);
      el.dataset.ready = "1";
    });
  }

  function drawRegionMap(el) {
    const counts = JSON.parse(el.dataset.regions);
    const max = Math.max(1, ...Object.values(counts));
    const map = window.L.map(el).setView([48.5, 31.5], 5);
    fetch(el.dataset.boundaries).then((r) => r.json()).then((geo) => {
      window.L.geoJSON(geo, {
        style: (f) => {
          const c = counts[f.properties.shapeName] || 0;
          return { weight: 0.8, color: "#333", fillColor: c ? "#b2182b" : "#eeeeee", fillOpacity: c ? 0.15 + 0.75 * c / max : 0.5 };
        },
        onEachFeature: (f, layer) => {
          const c = counts[f.properties.shapeName];
          layer.bindTooltip(f.properties.shapeName + ": " + (c === undefined ? "no incidents released to you" : c + " incident(s)"));
        },
      }).addTo(map);
      el.dataset.ready = "1";
    });
  }

  function init(root) {
    drawCharts(root);
    root.querySelectorAll("#map[data-nations]").forEach(drawNationMap);
    root.querySelectorAll("#region-map[data-regions]").forEach(drawRegionMap);
  }
  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:afterSwap", (event) => init(event.target));
})();
