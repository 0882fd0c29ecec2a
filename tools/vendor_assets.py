"""Copy the browser assets the dashboard serves from the pinned npm packages (web-assets/, `npm ci`) into
src/reassure/web/static/vendor/ (not committed). Run by `make`; fails naming any file that is missing."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "web-assets" / "node_modules"
TARGET = ROOT / "src" / "reassure" / "web" / "static" / "vendor"
FILES = {
    "leaflet/dist/leaflet.js": "leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet.css",
    "leaflet/dist/images/layers.png": "images/layers.png",
    "leaflet/dist/images/marker-icon.png": "images/marker-icon.png",
    "leaflet/dist/images/marker-shadow.png": "images/marker-shadow.png",
    "world-atlas/countries-110m.json": "countries-110m.json",
    "topojson-client/dist/topojson-client.min.js": "topojson-client.min.js",
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "vega/build/vega.min.js": "vega.min.js",
    "vega-lite/build/vega-lite.min.js": "vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js": "vega-embed.min.js",
    # The API's docs page (/api/v1/docs), served from here instead of a CDN.
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui.css",
}
# Test-only (not served): axe-core, which the accessibility tests inject into each page, is read by the tests from
# web-assets/node_modules/axe-core/axe.min.js.


# Vega expressions evaluated without eval or new Function, so the Content-Security-Policy needs no 'unsafe-eval'.
# The package ships only an ES module that imports three names from vega-util; the `vega` global already exports
# them, so it is served as a classic script that reads them from there and adds `vega.expressionInterpreter`.
INTERPRETER = "vega-interpreter/build/vega-interpreter.js"
INTERPRETER_IMPORT = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
INTERPRETER_EXPORT = "export { expression as expressionInterpreter };"


def classic_interpreter(module: str) -> str:
    """Return vega-interpreter's ES module as a classic script (fails loudly if the pinned file changed shape)."""
    if module.count(INTERPRETER_IMPORT) != 1 or module.count(INTERPRETER_EXPORT) != 1 or "\nimport " in module.replace(
            INTERPRETER_IMPORT, ""):
        raise SystemExit(f"{INTERPRETER} is not the shape tools/vendor_assets.py expects: review the wrapper")
    body = module.replace(INTERPRETER_IMPORT, "const { ascending, isString, DisallowedObjectProperties } = "
                                              "window.vega;").replace(INTERPRETER_EXPORT, "")
    return ("// vega-interpreter (pinned in web-assets/package.json) as a classic script; see tools/vendor_assets.py\n"
            "(function () {\n\"use strict\";\n" + body + "\nwindow.vega.expressionInterpreter = expression;\n})();\n")


def main() -> int:
    """Copy every asset; return 1 naming the missing ones."""
    missing = [source for source in [*FILES, INTERPRETER] if not (MODULES / source).is_file()]
    if missing:
        print("missing browser assets (run `npm ci --prefix web-assets`): " + ", ".join(missing), file=sys.stderr)
        return 1
    for source, name in FILES.items():
        target = TARGET / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, target)
    (TARGET / "vega-interpreter.js").write_text(classic_interpreter((MODULES / INTERPRETER).read_text("utf-8")),
                                                "utf-8")
    print(f"{len(FILES) + 1} browser assets copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
