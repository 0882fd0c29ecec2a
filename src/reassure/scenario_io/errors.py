"""Import errors that name the file, the line or row, and the field, and say what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    where: str  # "line 12", "row 3", or "" when the whole file is at fault
    field: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.where.removeprefix('line ')}" if self.where.startswith("line ") else (
            f"{self.file}, {self.where}" if self.where else self.file)
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class ScenarioFileError(Exception):
    """A file that cannot be imported; carries every problem found, and nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
