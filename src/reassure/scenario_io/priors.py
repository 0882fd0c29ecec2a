"""Priors for pledges of undisclosed size (planning assumptions, docs/adr/0023): the bundled default table and a
scenario's own rows over it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import yaml

from reassure.core.quantities import NationSize, Prior
from reassure.scenario_io.bundled import data_dir

PRIORS_FILE = "reference/priors.yaml"
PriorTable = dict[tuple[str, NationSize], Prior]


@lru_cache(maxsize=1)
def _bundled() -> tuple[Prior, ...]:
    raw = yaml.safe_load((data_dir() / PRIORS_FILE).read_text(encoding="utf-8"))
    return tuple(Prior.model_validate(row) for row in raw["priors"])


def bundled_priors() -> PriorTable:
    """Return the bundled default table of priors, by capability and nation size."""
    return {(p.capability, p.size): p for p in _bundled()}


def prior_table(rows: Iterable[Mapping[str, Any] | Prior] = ()) -> PriorTable:
    """Return the bundled table with a scenario's own rows replacing those of the same capability and size."""
    table = bundled_priors()
    for row in rows:
        prior = row if isinstance(row, Prior) else Prior.model_validate(dict(row))
        table[(prior.capability, prior.size)] = prior
    return table
