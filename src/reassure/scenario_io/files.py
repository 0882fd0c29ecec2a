"""Read an input file's bytes as text, with a size limit and errors that name the line of a bad byte."""

from __future__ import annotations

from pathlib import Path

from reassure.scenario_io.errors import Problem, ScenarioFileError

MAX_BYTES = 20_000_000  # a scenario of 35 nations and thousands of pledges is well under 5 MB


def read_text(path: Path) -> str:
    """Return a file's text, or raise ScenarioFileError naming the line of a byte that is not UTF-8 or a NUL."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ScenarioFileError([Problem(str(path), "", "", f"cannot read the file: {error.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise ScenarioFileError([Problem(str(path), "", "", f"the file is {len(data):,} bytes; at most "
                                         f"{MAX_BYTES:,} are read")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        message = f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be read (save the file as UTF-8)"
        raise ScenarioFileError([Problem(str(path), f"line {line}", "", message)]) from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise ScenarioFileError([Problem(str(path), f"line {line}", "", "the file contains a NUL character")])
    return text
