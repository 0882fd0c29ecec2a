"""`reassure plan` commands: outputs, exit codes, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reassure.cli.plan import app
from reassure.core.labels import reason_label
from reassure.planner.hard_rules.validate import validate
from reassure.planner.instance import Plan, dump_json, load_plan, load_problem

from .builders import problem, task, unit

runner = CliRunner()


def _files(tmp_path: Path) -> tuple[Path, Path]:
    p = problem(
        [unit("FRA-FS-1", max_tour=2, min_dwell=2), unit("GBR-FS-1", nation="GBR", max_tour=2, min_dwell=2)],
        [task("AIR-WEST", demand=2, priority=3)],
        periods=8,
    )
    prob = tmp_path / "problem.json"
    prob.write_text(dump_json(p))
    return prob, tmp_path / "plan.json"


def test_solve_writes_a_valid_plan_and_prints_gaps(tmp_path: Path) -> None:
    prob, out = _files(tmp_path)
    result = runner.invoke(
        app, ["solve", str(prob), "--time-limit", "2", "--seed", "1", "--workers", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "coverage 50.0%" in result.output and "AIR-WEST" in result.output
    assert reason_label("min_dwell") in result.output
    assert validate(load_problem(prob), load_plan(out)).valid


def test_validate_exit_codes(tmp_path: Path) -> None:
    prob, out = _files(tmp_path)
    runner.invoke(app, ["baseline", str(prob), "--out", str(out)])
    ok = runner.invoke(app, ["validate", str(prob), str(out)])
    assert ok.exit_code == 0 and "valid" in ok.output
    data = json.loads(out.read_text())
    data["tours"].append({"unit": "FRA-FS-1", "task": "AIR-WEST", "start": 0, "end": 7})
    out.write_text(json.dumps(data))
    bad = runner.invoke(app, ["validate", str(prob), str(out)])
    assert bad.exit_code == 1
    assert "max_tour" in bad.output and "unit_overlap" in bad.output and "reported_score" in bad.output


def test_bad_problem_file_names_file_and_field_and_writes_nothing(tmp_path: Path) -> None:
    prob, out = _files(tmp_path)
    data = json.loads(prob.read_text())
    data["units"][1]["colour"] = "blue"
    data["tasks"][0]["demand"] = [1, 2]
    prob.write_text(json.dumps(data))
    for args in (["solve", str(prob), "--out", str(out)], ["baseline", str(prob), "--out", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert str(prob) in result.output and "units.1.colour" in result.output
        assert not out.exists()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert runner.invoke(app, ["solve", str(broken)]).exit_code == 2
    missing = runner.invoke(app, ["validate", str(prob), str(tmp_path / "none.json")])
    assert missing.exit_code == 2


def test_bad_reference_is_reported_with_its_field(tmp_path: Path) -> None:
    prob, _ = _files(tmp_path)
    data = json.loads(prob.read_text())
    data["tasks"][0]["demand"] = [1, 2]
    prob.write_text(json.dumps(data))
    result = runner.invoke(app, ["solve", str(prob)])
    assert result.exit_code == 2 and "tasks.0.demand" in result.output


def test_whatif_prints_side_by_side_comparison(tmp_path: Path) -> None:
    prob, out = _files(tmp_path)
    runner.invoke(app, ["solve", str(prob), "--time-limit", "2", "--workers", "1", "--out", str(out)])
    new = tmp_path / "new.json"
    result = runner.invoke(
        app,
        [
            "whatif",
            str(prob),
            "--plan",
            str(out),
            "--withdraw",
            "GBR@4",
            "--surge",
            "AIR-WEST:6-7:+1",
            "--time-limit",
            "2",
            "--workers",
            "1",
            "--out",
            str(new),
        ],
    )
    assert result.exit_code == 0, result.output
    for label in ("coverage", "tours kept", "tours changed", "tours added", "tours removed", "changes from period 4"):
        assert label in result.output
    assert isinstance(load_plan(new), Plan)
    bad = runner.invoke(app, ["whatif", str(prob), "--plan", str(out), "--withdraw", "GBR-4"])
    assert bad.exit_code == 2 and "NATION@PERIOD" in bad.output
    none = runner.invoke(app, ["whatif", str(prob), "--plan", str(out)])
    assert none.exit_code == 2


def test_robustness_prints_distribution(tmp_path: Path) -> None:
    prob, out = _files(tmp_path)
    runner.invoke(app, ["baseline", str(prob), "--out", str(out)])
    result = runner.invoke(app, ["robustness", str(prob), str(out), "--samples", "500", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "percentiles 5/10/25/50/75/90/95" in result.output and "units whose loss hurts most" in result.output
    assert "nations whose withdrawal hurts most" in result.output
