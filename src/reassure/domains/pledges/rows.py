"""Turn a validated pledge entry (a scenario file's, a pledge table's row, a form's or an API body's) into the columns
of a pledge: the one place that knows both shapes, used by the import and by adding one pledge."""

from __future__ import annotations

from typing import Any

from reassure.core.grading import parse_grade
from reassure.scenario_io.schema import PledgeEntry


def pledge_values(entry: PledgeEntry) -> dict[str, Any]:
    """Columns of a pledge (its marking aside: the writer works that out)."""
    quantity = entry.quantity
    grade = parse_grade(entry.grade) if entry.grade else None
    assert entry.domain is not None
    return {"nation_code": entry.nation, "domain": entry.domain.value, "capability": entry.capability,
            "qty_kind": quantity.kind.value, "qty_value": quantity.value, "qty_low": quantity.low,
            "qty_high": quantity.high, "personnel_per_unit": entry.personnel_per_unit,
            "locations": [w.value for w in entry.where], "available_from": entry.window.start,
            "available_to": entry.window.end, "max_tour": entry.rotation.max_tour,
            "min_dwell": entry.rotation.min_dwell,
            "caveats": [c.model_dump(mode="json") for c in entry.caveats],
            "conditions": list(entry.conditions), "status": entry.status, "probability": entry.probability,
            "notice": entry.notice, "notes": entry.notes, "as_of": entry.as_of, "valid_to": entry.valid_to,
            "renew_by": entry.renew_by, "renewal": entry.renewal, "standing": entry.standing.value,
            "reliability": grade.reliability if grade else None, "credibility": grade.credibility if grade else None}
