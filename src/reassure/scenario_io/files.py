"""Read an input file's bytes as text: the checks live in core.text_files, shared with the feed readers."""

from __future__ import annotations

from reassure.core.text_files import MAX_BYTES, read_text

__all__ = ["MAX_BYTES", "read_text"]
