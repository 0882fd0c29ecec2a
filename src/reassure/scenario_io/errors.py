"""Import errors that name the file, the line or row, and the field, and say what was expected."""

from __future__ import annotations

from reassure.core.errors import InputError, Problem

__all__ = ["Problem", "ScenarioFileError"]


class ScenarioFileError(InputError):
    """A file that cannot be imported; carries every problem found, and nothing was written."""
