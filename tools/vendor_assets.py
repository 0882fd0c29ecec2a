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
}


def main() -> int:
    """Copy every asset; return 1 naming the missing ones."""
    missing = [source for source in FILES if not (MODULES / source).is_file()]
    if missing:
        print("missing browser assets (run `npm ci --prefix web-assets`): " + ", ".join(missing), file=sys.stderr)
        return 1
    for source, name in FILES.items():
        target = TARGET / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, target)
    print(f"{len(FILES)} browser assets copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
