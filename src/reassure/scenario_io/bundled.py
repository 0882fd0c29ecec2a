"""The data the package ships: seed-article facts, reported positions, nation reference, a scenario."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED = (
    "reference/nations.yaml",
    "facts/seed_articles.yaml",
    "facts/reported_positions.yaml",
    "scenarios/illustrative.yaml",
)


def data_dir() -> Path:
    """Return the folder of bundled data files."""
    return Path(str(resources.files("reassure") / "data"))
