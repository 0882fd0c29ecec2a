"""Read and validate a scenario file (YAML, or a CSV/XLSX pledge table) without touching the database."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from reassure.core.errors import Problem
from reassure.core.text_files import InputFileError, read_text
from reassure.scenario_io.checks import cross_check
from reassure.scenario_io.locate import Locator, mark_yaml_lines
from reassure.scenario_io.schema import PledgeEntry, ScenarioDocument
from reassure.scenario_io.tables import COLUMNS, FIELD_TO_COLUMN, clean_row, mark_rows, read_rows, row_to_pledge

YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = (".csv", ".xlsx")
# The field a check of the whole pledge entry is about, by a word of its message (schema.py's model validators).
WHOLE_ENTRY = (("grade", "grade"), ("source", "sources"), ("capability", "domain"))


def load_document(path: Path, *, follow_table: bool = True) -> ScenarioDocument:
    """Parse and validate a file; raise InputFileError listing every problem with its place.

    `follow_table=False` refuses a YAML file naming a pledge table to read beside it (a file uploaded alone: the
    name would be a path on the server)."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError([Problem(str(path), "", "", "file not found")])
    locator = Locator(str(path))
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        raw = _read_yaml(path, locator)
    elif suffix in TABLE_SUFFIXES:
        raw = {"pledges": _read_table(path, locator, 0)}
    else:
        raise InputFileError([Problem(str(path), "", "", "expected a .yaml, .yml, .csv or .xlsx file")])
    if "pledges_table" in raw and not follow_table:
        raise InputFileError([Problem(str(path), locator.find(("pledges_table",))[1], "pledges_table",
                                      "an uploaded scenario cannot name a pledge table to read beside it: list its "
                                      "pledges in the file, or upload the table on its own after the scenario")])
    if isinstance(raw.get("pledges_table"), str):
        table = path.parent / raw["pledges_table"]
        listed = raw.get("pledges")
        existing: list[Any] = listed if isinstance(listed, list) else []
        raw["pledges"] = existing + _read_table(table, locator, len(existing))
    try:
        document = ScenarioDocument.model_validate(raw)
    except ValidationError as error:
        raise InputFileError(_problems(error, raw, locator)) from None
    except RecursionError:
        raise InputFileError([Problem(str(path), "", "", "the document is nested too deeply")]) from None
    problems = cross_check(document, raw, locator, table_only=suffix in TABLE_SUFFIXES)
    if problems:
        raise InputFileError(problems)
    return document


def load_pledge_row(row: dict[str, Any]) -> PledgeEntry:
    """Validate one pledge given as a pledge table's columns (a form's or the CLI's fields: text, blank meaning
    absent); raise InputFileError naming the column of every problem."""
    unknown = [Problem("", "", name, "unknown field") for name in row if name not in COLUMNS]
    if unknown:
        raise InputFileError(unknown)
    raw = row_to_pledge(clean_row(row))
    try:
        return PledgeEntry.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(str(step) for step in item["loc"])
            message = _message(item, ("pledges", 0, *item["loc"]))
            column = FIELD_TO_COLUMN.get(loc) or FIELD_TO_COLUMN.get(loc[:1]) or (str(loc[0]) if loc else next(
                (name for word, name in WHOLE_ENTRY if word in message), "pledge"))
            problems.append(Problem("", "", column, message))
        raise InputFileError(problems) from None


def _read_yaml(path: Path, locator: Locator) -> dict[str, Any]:
    text = read_text(path)
    try:
        raw = yaml.safe_load(text)
        duplicates = mark_yaml_lines(text, str(path), locator)
    except RecursionError:
        raise InputFileError([Problem(str(path), "", "", "the YAML is nested too deeply")]) from None
    except (ValueError, TypeError, OverflowError) as error:  # PyYAML's constructors, e.g. a date of 2025-02-30
        raise InputFileError([Problem(str(path), "", "", f"not valid YAML: a value cannot be read ({error})")]) \
            from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}" if mark else ""
        context = ""
        if error.context and error.context_mark:
            context = f" ({error.context} on line {error.context_mark.line + 1})"
        raise InputFileError([Problem(str(path), line, "", f"not valid YAML: {error.problem}{context}")]) from None
    except yaml.YAMLError as error:
        raise InputFileError([Problem(str(path), "", "", f"not valid YAML: {error}")]) from None
    if duplicates:
        raise InputFileError([Problem(str(path), f"line {line}", key, "duplicate key: it is given twice in one "
                                         "mapping (the second would silently win)") for line, key in duplicates])
    if raw is None:
        raise InputFileError([Problem(str(path), "line 1", "", "the file is empty")])
    if not isinstance(raw, dict):
        raise InputFileError([Problem(str(path), "line 1", "", "expected a mapping of sections at the top")])
    return raw


def _read_table(path: Path, locator: Locator, first_index: int) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputFileError([Problem(str(path), "", "", "pledge table not found")])
    rows = read_rows(path)
    mark_rows(locator, str(path), first_index, rows)
    return [row_to_pledge(row) for row in rows]


def _problems(error: ValidationError, raw: dict[str, Any], locator: Locator) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        file, where = locator.find(loc)
        message = _message(item, loc)
        problems.append(Problem(file, where, locator.field_name(loc, raw), message))
    return problems


def _message(item: Any, loc: tuple[str | int, ...]) -> str:
    kind = item["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return f"unknown key {loc[-1]!r}" + (f"; expected one of {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required field is missing"
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return f"{message}, got {item.get('input')!r}"
    return message


def _allowed_keys(loc: tuple[str | int, ...]) -> list[str]:
    """Walk the document model along a path and list the keys allowed there."""
    model: Any = ScenarioDocument
    for step in loc:
        if isinstance(step, int):
            continue
        field = model.model_fields.get(step) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _inner_model(arg) if typing.get_args(arg) else None
        if inner is not None:
            return inner
    return None
