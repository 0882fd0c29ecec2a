"""The dashboard's icon: an SVG (static/favicon.svg, linked from every page) and, for browsers and tools that ask
for `/favicon.ico` (a JSON answer opened in a tab, the API docs page), the same picture as an ICO made from it at
first request (PNG images inside an ICO container, drawn by vl-convert's SVG renderer)."""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

SVG = Path(__file__).parent / "static" / "favicon.svg"
SIZES = (16, 32, 48)
router = APIRouter(include_in_schema=False)


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """Return an ICO file holding PNG images given as (size in pixels, PNG bytes)."""
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 (icon), count
    offset = len(header) + 16 * len(images)
    entries, data = b"", b""
    for size, png in images:
        # width and height (0 means 256), colours, reserved, planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


@lru_cache(maxsize=1)
def favicon_ico() -> bytes:
    """Return the icon as an ICO (16, 32 and 48 pixels), drawn once from the SVG."""
    import vl_convert

    svg = SVG.read_text(encoding="utf-8")
    return ico([(size, bytes(vl_convert.svg_to_png(svg, scale=size / 32))) for size in SIZES])


@router.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for by default (no identity needed: it says nothing about any record)."""
    return Response(favicon_ico(), media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})
