"""How plans print: status, coverage and gaps, a what-if beside its base, and planner JSON files read and written
(shared by `reassure plan`, `reassure plans` and the demo)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.markup import escape
from rich.table import Table

from reassure.cli.context import console, err_console
from reassure.planner.instance import Plan, dump_json

if TYPE_CHECKING:
    from reassure.planner.analysis.whatif import Comparison
    from reassure.services.planning import OpenedGap

M = TypeVar("M", bound=BaseModel)


def plan_error(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(code=2)


def load_json(path: Path, model: type[M]) -> M:
    """Read a JSON file into a model, or exit 2 naming the file and each bad field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise plan_error(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise plan_error(f"{path}:{line}: not UTF-8 text: byte 0x{exc.object[exc.start]:02x} cannot be read") from None
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        lines = [f"{path}: invalid {model.__name__.lower()}"]
        for e in exc.errors():
            where = ".".join(str(x) for x in e["loc"]) or "(top level)"
            lines.append(f"  {where}: {e['msg']}")
        raise plan_error("\n".join(lines)) from exc


def write_plan(plan: Plan, out: Path | None) -> None:
    if out is not None:
        out.write_text(dump_json(plan), encoding="utf-8")
        console.print(f"plan written to {out}")


def show_plan(plan: Plan, title: str) -> None:
    """Print status, coverage, bound and each gap with its reason."""
    console.print(
        f"[bold]{title}[/bold]: status {plan.status}, coverage {plan.coverage:.1%} "
        f"({plan.covered_weight}/{plan.demand_weight}), bound {plan.bound:.1%}, "
        f"{plan.tours_count} tours, {plan.solve_seconds:.1f} s",
        highlight=False,
    )
    if not plan.gaps:
        console.print("no gaps")
        return
    table = Table("task", "periods", "missing", "reason", show_lines=False)
    for g in plan.gaps:
        span = f"{g.periods[0]}–{g.periods[-1]}" if len(g.periods) > 1 else str(g.periods[0])
        table.add_row(g.task, span, str(g.missing), g.reason)
    console.print(table)


def show_comparison(c: Comparison) -> None:
    table = Table("", "base", "re-plan", title=f"what-if (changes from period {c.change_period})")
    table.add_row("coverage", f"{c.base_coverage:.1%}", f"{c.new_coverage:.1%}")
    table.add_row("tours", str(c.base_tours), str(c.new_tours))
    table.add_row("gaps", str(c.base_gaps), str(c.new_gaps))
    table.add_row("unit-periods short", str(c.base_missing), str(c.new_missing))
    table.add_row("tours kept", "", str(c.kept))
    table.add_row("tours changed", "", str(c.changed))
    table.add_row("tours added", "", str(c.added))
    table.add_row("tours removed", "", str(c.removed))
    console.print(table)




def show_opened(opened: tuple[OpenedGap, ...], title: str = "Where the force falls shorter after the change") -> None:
    """Print, per task, the gaps a what-if opened or widened, most unit-months first, with the rules' reason."""
    if not opened:
        console.print("the change opens no new gap")
        return
    table = Table(title=f"{title} (new or wider gaps)")
    table.add_column("task")
    table.add_column("unit-months short", justify="right")
    table.add_column("main reason (first gap)", overflow="fold")
    for gap in opened:
        reason = gap.reason if len(gap.reason) < 300 else gap.reason[:297] + "…"
        table.add_row(*escape_all(gap.task), str(gap.unit_months), *escape_all(reason))
    console.print(table)


def escape_all(*values: str) -> tuple[str, ...]:
    """Return values as literal Rich text."""
    return tuple(escape(v) for v in values)
