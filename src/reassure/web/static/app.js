// The dashboard's behaviour: htmx sends the session's CSRF token, charts are drawn from their Vega-Lite specs, and
// maps from the locally served world-atlas outlines (no network beyond this server).
//
// Data is never code: every value from the server reaches the page as text. Tooltips are DOM nodes filled with
// textContent, never HTML strings; Vega evaluates expressions with its interpreter (no eval), so the
// Content-Security-Policy needs neither 'unsafe-inline' nor 'unsafe-eval' (docs/adr/0013).
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", (event) => {
    if (csrf) { event.detail.headers["X-CSRF-Token"] = csrf.content; }
  });
  // A select marked data-submit-on-change (the plan picker) opens its choice at once (no inline handler).
  document.addEventListener("change", (event) => {
    const field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
      field.form.requestSubmit();
    }
  });
  const DOMAIN_COLOURS = { land: "#6b8e23", sea: "#1f5fa8", air: "#9b59b6", enabler: "#d98c1a", none: "#999999" };

  // An element holding text (never parsed as HTML).
  function textNode(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) { el.className = className; }
    return el;
  }

  // --- charts --------------------------------------------------------------------------------------------------

  let tooltip = null;
  // Vega's tooltip handler: the tooltip's fields as rows of text, next to the pointer. Replaces vega-tooltip, whose
  // formatter builds an HTML string (escaping only & and <, and putting a field titled "image" in <img src>).
  function chartTooltip(_handler, event, _item, value) {
    if (!tooltip) {
      tooltip = textNode("div", "", "chart-tooltip");
      tooltip.id = "vg-tooltip-element";
      tooltip.setAttribute("role", "tooltip");
      document.body.append(tooltip);
    }
    if (value === null || value === undefined || value === "") {
      tooltip.classList.remove("visible");
      return;
    }
    tooltip.replaceChildren();
    if (typeof value === "object") {
      const { title, ...fields } = value;
      if (title !== undefined) { tooltip.append(textNode("p", String(title), "title")); }
      const table = document.createElement("table");
      Object.entries(fields).forEach(([key, field]) => {
        if (field === undefined) { return; }
        const row = document.createElement("tr");
        row.append(textNode("th", key), textNode("td", typeof field === "object" ? JSON.stringify(field) : String(field)));
        table.append(row);
      });
      tooltip.append(table);
    } else {
      tooltip.append(textNode("p", String(value)));
    }
    tooltip.classList.add("visible");
    const x = Math.min(event.clientX + 12, window.innerWidth - tooltip.offsetWidth - 4);
    const y = event.clientY + 12 + tooltip.offsetHeight > window.innerHeight ?
      event.clientY - tooltip.offsetHeight - 12 : event.clientY + 12;
    tooltip.style.left = Math.max(0, x) + "px";
    tooltip.style.top = Math.max(0, y) + "px";
  }

  const EMBED = {
    renderer: "canvas",
    ast: true, // expressions parsed to a tree and run by vega.expressionInterpreter: no eval, no Function()
    expr: window.vega && window.vega.expressionInterpreter,
    defaultStyle: false, // no <style> element: the embed's styles are in app.css; actions shown as plain links
    tooltip: chartTooltip,
    actions: { export: true, source: false, compiled: false, editor: false },
    i18n: { PNG_ACTION: "Save the chart as PNG", SVG_ACTION: "Save the chart as SVG" },
  };

  // A faceted chart (the Gantt) cannot take its container's width in Vega-Lite (its panels would be as wide as the
  // container, plus its row headers and axis labels): its panels start as wide as the container and are narrowed,
  // once drawn, by what sticks out. Any chart still wider scrolls inside its own box (app.css).
  function fitChart(el, view) {
    const over = el.scrollWidth - el.clientWidth;
    if (over <= 1) { return undefined; }
    let width;
    try { width = view.signal("child_width"); } catch (_error) { return undefined; }
    if (typeof width !== "number") { return undefined; }
    view.signal("child_width", Math.max(100, width - over - 2));
    return view.resize().runAsync();
  }

  function drawCharts(root) {
    root.querySelectorAll(".chart[data-spec]").forEach((el) => {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      const spec = JSON.parse(el.dataset.spec);
      if (spec.facet && spec.spec && spec.spec.width === "container") {
        spec.spec.width = Math.max(160, el.clientWidth);  // a number, narrowed to fit once drawn (fitChart)
      }
      // A map (docs/adr/0039) takes its box's width and the height its projection needs (usermeta.aspect), and is
      // drawn as SVG (data-renderer) so that its names and shapes' descriptions are text in the page.
      const aspect = spec.usermeta && spec.usermeta.aspect;
      if (typeof aspect === "number") {
        spec.width = Math.max(160, el.clientWidth - 16);
        spec.height = Math.max(80, Math.round(spec.width * aspect));
      }
      const options = el.dataset.renderer === "svg" ? Object.assign({}, EMBED, { renderer: "svg" }) : EMBED;
      window.vegaEmbed(el, spec, options)
        .then((result) => fitChart(el, result.view))
        .then(() => { el.dataset.ready = "1"; })
        .catch((error) => { el.textContent = "chart could not be drawn: " + error; });
    });
  }

  // --- maps ----------------------------------------------------------------------------------------------------

  function nationTooltip(n) {
    const box = document.createElement("div");
    const units = Object.entries(n.units).map(([d, u]) => d + " " + u).join(", ");
    box.append(textNode("strong", n.name + " (" + n.code + ")"),
               document.createTextNode(", " + n.role + ": " + units + "; " + n.personnel +
                                       " personnel per rotation (assumed)"));
    if (n.conditions.length) {
      box.append(document.createTextNode("; conditions: " + n.conditions.join(", ")));
    }
    return box;
  }

  function drawNationMap(el) {
    const nations = JSON.parse(el.dataset.nations);
    const byNumeric = {};
    nations.forEach((n) => { if (n.numeric) { byNumeric[String(Number(n.numeric))] = n; } });
    // The whole world (the Americas and Oceania included: contributors are not only European), fitted to the box.
    const map = window.L.map(el, { worldCopyJump: true, attributionControl: true, zoomSnap: 0.25 })
      .fitBounds([[-47, -170], [72, 180]]);
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
          layer.bindTooltip(() => nationTooltip(n));
        },
      }).addTo(map);
      el.dataset.ready = "1";
    });
  }

  // --- tables and the menu at every width (docs/adr/0034) ------------------------------------------------------

  // The table's name for its scroll box: its caption if short, else the heading before it, else its caption.
  function tableName(table) {
    const caption = table.caption ? table.caption.textContent.trim().replace(/\s+/g, " ") : "";
    if (caption && caption.length <= 80) { return caption; }
    for (let el = table.parentElement; el && el.tagName !== "MAIN" && el !== document.body; el = el.parentElement) {
      for (let prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        const headings = /^H[1-6]$/.test(prev.tagName) ? [prev] : prev.querySelectorAll("h1, h2, h3, h4");
        if (headings.length) { return headings[headings.length - 1].textContent.trim().replace(/\s+/g, " "); }
      }
    }
    return caption ? caption.slice(0, 80) + "…" : "table";
  }

  // A wrapped table's box is a named, keyboard-focusable region only while it scrolls (no idle tab stops).
  function markScrolling() {
    document.querySelectorAll(".table-scroll").forEach((box) => {
      const table = box.querySelector("table");
      if (table && box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(table) + " (table, scrolls sideways)");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // Each table of the page in a box of its own that scrolls sideways, so the page never does; a table marked
  // "cards" gets each cell's column name (data-label) to show when it stacks as cards at phone width.
  function fitTables(root) {
    root.querySelectorAll("main table").forEach((table) => {
      if (table.closest(".chart, .chart-tooltip, .leaflet-container")) { return; }
      if (table.classList.contains("cards")) {
        const names = Array.from(table.querySelectorAll("thead th"), (th) => th.textContent.trim());
        table.querySelectorAll("tbody tr").forEach((row) => {
          if (row.children.length !== names.length) { return; }  // a row spanning the columns ("no pledge ...")
          Array.from(row.children).forEach((cell, i) => { if (names[i]) { cell.dataset.label = names[i]; } });
        });
      }
      if (!table.parentElement.classList.contains("table-scroll")) {
        const box = document.createElement("div");
        box.className = "table-scroll";
        table.before(box);
        box.append(table);
      }
    });
    markScrolling();
  }
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(markScrolling, 100);
  });

  // The menu is a <details>: app.css shows its content at desktop width (::details-content). A browser without
  // that selector gets the menu opened at desktop width and closed at phone width instead.
  function fitMenu() {
    const menu = document.getElementById("menu");
    if (!menu || (window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) { return; }
    const wide = window.matchMedia("(min-width: 761px)");
    const apply = () => { menu.open = wide.matches; };
    apply();
    wide.addEventListener("change", apply);
  }

  function init(root) {
    fitTables(root);
    drawCharts(root);
    root.querySelectorAll("#map[data-nations]").forEach(drawNationMap);
  }
  document.addEventListener("DOMContentLoaded", () => { fitMenu(); init(document); });
  document.addEventListener("htmx:afterSwap", (event) => init(event.target));
})();
