"""Import errors that name the file, the line or row, and the field, and say what was expected."""

from __future__ import annotations

from reassure.core.errors import Problem
from reassure.core.text_files import InputFileError

__all__ = ["Problem", "ScenarioFileError"]

# A file that cannot be imported; carries every problem found, and nothing was written. The same class as
# core's InputFileError, which the feed readers (monitoring) raise, so one `except ScenarioFileError` catches both.
ScenarioFileError = InputFileError
