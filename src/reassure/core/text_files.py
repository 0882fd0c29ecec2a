"""Read an input file's bytes as text, with a size limit and errors that name the line of a bad byte.

Shared by the file formats (scenario_io) and the feed readers (monitoring): both refuse a file whole with an
InputFileError that lists every problem found.
"""

from __future__ import annotations

from pathlib import Path

from reassure.core.errors import InputError, Problem

# A scenario of 35 nations and thousands of pledges is well under 5 MB; the air-attack and UCDP feeds under 2 MB.
MAX_BYTES = 20_000_000


class InputFileError(InputError):
    """A file that cannot be imported; carries every problem found, and nothing was written."""


def read_text(path: Path) -> str:
    """Return a file's text, or raise InputFileError naming the line of a byte that is not UTF-8 or a NUL."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputFileError([Problem(str(path), "", "", f"cannot read the file: {error.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise InputFileError([Problem(str(path), "", "", f"the file is {len(data):,} bytes; at most "
                                      f"{MAX_BYTES:,} are read")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        message = f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be read (save the file as UTF-8)"
        raise InputFileError([Problem(str(path), f"line {line}", "", message)]) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputFileError([Problem(str(path), f"line {line}", "", "the file contains a NUL character")])
    return text
