"""The data the package ships: seed-article facts, reported positions, nation reference, a scenario."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from reassure.scenario_io.importer import ImportReport, import_document
from reassure.scenario_io.load import load_document

BUNDLED = (
    "reference/nations.yaml",
    "facts/seed_articles.yaml",
    "facts/reported_positions.yaml",
    "scenarios/illustrative.yaml",
)


def data_dir() -> Path:
    """Return the folder of bundled data files."""
    return Path(str(resources.files("reassure") / "data"))


def load_bundled(*, db: Session, on_file: Callable[[str], None] | None = None) -> list[ImportReport]:
    """Import every bundled file in the caller's transaction (idempotent; never deletes what users added)."""
    reports = []
    for name in BUNDLED:
        if on_file:
            on_file(name)
        document = load_document(data_dir() / name)
        reports.append(import_document(document, db=db, origin=f"bundled:{name}", prune=False))
    return reports
