"""Time `reassure brief` on the demo data (target: under 20 s), as PDF and HTML, for the demo admin's nation and,
held out (not looked at while tuning), the PUBLIC-only brief; then what tagging costs: the same brief HTML written as
an untagged PDF and as the tagged PDF/UA-1 the brief now is, in this process, alternately.

Run: .venv/bin/python benchmarks/brief.py [--data ../shared/data] [--repeat 3]
Figures: wall seconds of each run and the CPU seconds of the command, with the load average; for tagging, wall and
CPU seconds of each PDF write and its size.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 20.0


def run(db: str, *args: str) -> tuple[float, float]:
    """Run the CLI; return (wall seconds, CPU seconds of the child)."""
    env = {**os.environ, "REASSURE_DATABASE_URL": db, "COLUMNS": "200"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reassure", *args], env=env, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"reassure {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=default_data if default_data.is_dir() else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reassure-brief-bench-"))
    db = f"sqlite:///{folder / 'bench.sqlite'}"
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; data: "
          f"{args.data or 'bundled facts only'}")
    wall, cpu = run(db, "demo", "--plan-seconds", "4", "--brief-dir", str(folder / "demo"),
                    *(["--data", str(args.data)] if args.data else ["--data", "/nonexistent"]))
    print(f"demo database built (with its stored plan, what-if and first brief) in {wall:.1f} s")
    boundaries = args.data / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson" if args.data else None
    if boundaries is not None and boundaries.is_file():
        os.environ["REASSURE_BOUNDARIES"] = str(boundaries)
    print(f"{'brief':34} {'set':9} {'run':>4} {'wall s':>8} {'CPU s':>8} {'load':>6}")
    for label, group, extra in (("PDF for FRA (demo admin)", "tuned", ["--out", str(folder / "fra.pdf")]),
                                ("HTML for FRA", "tuned", ["--out", str(folder / "fra.html")]),
                                ("PDF, PUBLIC only", "held-out", ["--out", str(folder / "public.pdf"), "--public"])):
        for number in range(1, args.repeat + 1):
            load = os.getloadavg()[0]
            wall, cpu = run(db, "--user", "demo-admin", "brief", *extra)
            flag = "" if wall < TARGET_SECONDS else "  over target"
            print(f"{label:34} {group:9} {number:>4} {wall:8.2f} {cpu:8.2f} {load:6.2f}{flag}")
    tagging(folder / "fra.html", args.repeat)


def tagging(html_file: Path, repeat: int) -> None:
    """Write one brief's HTML as an untagged and as a tagged PDF, alternately, and print what each took."""
    sys.path.insert(0, str(ROOT / "src"))
    from weasyprint import HTML

    from reassure.brief.render import HERE, PDF_VARIANT

    html = html_file.read_text(encoding="utf-8")
    print(f"{'PDF write of the FRA brief':34} {'options':14} {'run':>4} {'wall s':>8} {'CPU s':>8} {'KB':>6} "
          f"{'load':>6}")
    for number in range(1, repeat + 1):
        for label, options in (("untagged", {}), (PDF_VARIANT, {"pdf_variant": PDF_VARIANT})):
            load = os.getloadavg()[0]
            started, cpu = time.perf_counter(), time.process_time()
            pdf = HTML(string=html, base_url=str(HERE)).write_pdf(**options)
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            print(f"{'':34} {label:14} {number:>4} {wall:8.2f} {used:8.2f} {len(pdf) / 1024:6.0f} {load:6.2f}")


if __name__ == "__main__":
    main()
