"""Coverage-guided fuzz targets (atheris, libFuzzer) for the readers of untrusted input (docs/adr/0054).

The contract each target checks: any input either parses, or raises the project's input error (InputError, each
problem naming its file, and its row or line when one is at fault); never another exception, never a hang (inputs are
bounded: MAX_INPUT bytes, and libFuzzer's -timeout stops a slow one). A broken contract is a crash: libFuzzer keeps the
input (crash-…) and the run exits non-zero.

Run one target, or all in turn (seeds come from the bundled data; extra arguments go to libFuzzer):
    PYTHONPATH=src python tests/fuzz/targets.py extract -max_total_time=600
    PYTHONPATH=src python tests/fuzz/targets.py all -max_total_time=120 -artifact_prefix=fuzz-
Targets: extract (report text → §4 report), scenario_yaml, pledge_csv (scenario import), air_attack_csv, ucdp_csv
(incident feeds). tests/fuzz/test_fuzz.py runs each for a few seconds (REASSURE_FUZZ_SECONDS lengthens it).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["reassure"]):
    from reassure.core.errors import InputError
    from reassure.monitoring.extraction import MAX_REPORT_CHARS, ReportTooLong, extract_report
    from reassure.monitoring.feeds.accounts import ParsedFeed
    from reassure.monitoring.feeds.air_attack_csv import read_air_attacks
    from reassure.monitoring.feeds.ucdp_csv import read_ucdp
    from reassure.monitoring.feeds.weapons import builtin_catalogue
    from reassure.monitoring.report import AirAttackReport
    from reassure.scenario_io.load import load_document
    from reassure.scenario_io.schema import ScenarioDocument

DATA = Path(__file__).resolve().parents[2] / "src" / "reassure" / "data"
MAX_INPUT = 16_384  # bytes: larger inputs only repeat what a small one reaches, and slow every execution
WORK = Path(tempfile.mkdtemp(prefix="reassure-fuzz-"))
MAIN = os.getpid()
atexit.register(lambda: os.getpid() == MAIN and shutil.rmtree(WORK, ignore_errors=True))  # not in a forked target
CATALOGUE = builtin_catalogue()


def _check_input_error(error: InputError, path: Path) -> None:
    """The input error names the file of every problem and says what is wrong."""
    for problem in error.problems:
        if problem.file != str(path):
            raise AssertionError(f"a problem that does not name the file: {problem!r}")
        if not problem.message.strip():
            raise AssertionError(f"a problem without a message: {problem!r}")


def _check_feed(parsed: ParsedFeed, path: Path) -> None:
    """A feed read with rejected rows names each one's file and row."""
    for problem in parsed.problems:
        if problem.file != str(path) or not problem.where.startswith("row "):
            raise AssertionError(f"a rejected row that does not name its file and row: {problem!r}")


def extract(data: bytes) -> None:
    text = data[:MAX_INPUT].decode("utf-8", "replace")
    try:
        report = extract_report(text)
    except ReportTooLong:
        if len(text) <= MAX_REPORT_CHARS:
            raise
        return
    if not isinstance(report, AirAttackReport):
        raise AssertionError(f"not a report: {type(report)}")
    report.model_dump_json()  # what the API and `reassure extract --json` write


def _file_target(suffix: str, read: Callable[[Path], object], check: Callable[[object, Path], None]) -> \
        Callable[[bytes], None]:
    path = WORK / f"input{suffix}"

    def target(data: bytes) -> None:
        path.write_bytes(data[:MAX_INPUT])
        try:
            result = read(path)
        except InputError as error:
            _check_input_error(error, path)
            return
        check(result, path)
    return target


def _document(result: object, path: Path) -> None:
    if not isinstance(result, ScenarioDocument):
        raise AssertionError(f"not a scenario document: {type(result)}")


def _feed(result: object, path: Path) -> None:
    if not isinstance(result, ParsedFeed):
        raise AssertionError(f"not a parsed feed: {type(result)}")
    _check_feed(result, path)


def _extract_seeds() -> list[bytes]:
    """Report texts of the bundled facts, and two short posts in the Air Force's English and Ukrainian forms."""
    import yaml

    accounts = yaml.safe_load((DATA / "facts" / "seed_attack_accounts.yaml").read_text(encoding="utf-8"))
    claims = yaml.safe_load((DATA / "facts" / "seed_articles.yaml").read_text(encoding="utf-8"))
    texts = [a["text"] for a in accounts["accounts"]] + [c["statement"] for c in claims.get("claims", [])]
    texts += ["Overnight on 13 September, from 18:00, the enemy attacked with 3 Iskander-M missiles and 57 Shahed "
              "drones; 2 missiles and about 40 drones were shot down, 9 were locationally lost. Hits in Kyiv and "
              "Odesa regions.",
              "У ніч на 4 вересня ворог атакував 112 ударними БпЛА.\nЗНИЩЕНО:\n- ударні БпЛА Shahed-136 – 84\n"
              "- крилаті ракети Х-101 – 2 од."]
    return [t.encode("utf-8") for t in texts]


def _scenario_seeds() -> list[bytes]:
    """The bundled scenario (its pledge table line dropped: an upload lists its pledges), the facts files, and a
    document of nested aliases."""
    scenario = (DATA / "scenarios" / "illustrative.yaml").read_text(encoding="utf-8")
    alone = "\n".join(line for line in scenario.splitlines() if not line.startswith("pledges_table:"))
    table = (DATA / "scenarios" / "illustrative_pledges.csv").read_text(encoding="utf-8").splitlines()
    return [alone.encode("utf-8"), scenario.encode("utf-8"), *((DATA / "facts" / name).read_bytes()
            for name in ("seed_articles.yaml", "seed_attack_accounts.yaml", "reported_positions.yaml")),
            "\n".join(table[:4]).encode("utf-8"), _ALIASES.encode("utf-8")]


# Anchors and aliases three lists deep (1,000 values): mutations that copy a line make them deeper (the alias bound in
# scenario_io/locate.py; a regression is a -timeout hang).
_ALIASES = "format: reassure-scenario/1\nmarking: PUBLIC\nxa: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"x{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("ab", "bc", strict=True))


def _pledge_seeds() -> list[bytes]:
    """The bundled pledge table, whole and its first rows."""
    table = (DATA / "scenarios" / "illustrative_pledges.csv").read_text(encoding="utf-8")
    lines = table.splitlines(keepends=True)
    return [table.encode("utf-8"), "".join(lines[:3]).encode("utf-8"), "".join(lines[:1]).encode("utf-8")]


def _air_attack_seeds() -> list[bytes]:
    """Rows in the Air Force dataset's columns (written here: the bundled data has no feed file)."""
    header = "time_start,time_end,model,target,launched,destroyed,not_reach_goal,source\n"
    return [(header + "2025-09-03 18:00,2025-09-04 09:00,Shahed-136/131 drone,Kyiv oblast,112,84,10,post-1\n"
             "2025-09-03 18:00,2025-09-04 08:30,Kh-101,\"Kyiv oblast, Lviv oblast\",4,3,,post-1\n"
             "2025-09-05,2025-09-05,Iskander-M,,2,0,,\n").encode("utf-8"),
            b"time_start,time_end,model,launched,destroyed\n2025-01-01,2025-01-01,Kalibr,3,1\n"]


def _ucdp_seeds() -> list[bytes]:
    """Events in UCDP GED's columns (written here: the bundled data has no feed file)."""
    header = ("id,type_of_violence,date_start,date_end,best,low,high,where_prec,event_clarity,number_of_sources,"
              "date_prec,code_status,latitude,longitude,adm_1,adm_2,where_description,side_a,side_b,dyad_name\n")
    return [(header + "900001,1,2023-02-01,2023-02-02,3,2,5,1,1,2,1,Clear,48.5,37.9,Donetsk oblast,Bakhmut,"
             "Bakhmut town,Government of Russia,Government of Ukraine,Russia - Ukraine\n"
             "900002,3,2023-02-03 00:00:00.000,2023-02-03 00:00:00.000,0,0,0,4,2,1,,Check,,,,,,,,\n").encode("utf-8")]


SEEDS: dict[str, Callable[[], list[bytes]]] = {
    "extract": _extract_seeds, "scenario_yaml": _scenario_seeds, "pledge_csv": _pledge_seeds,
    "air_attack_csv": _air_attack_seeds, "ucdp_csv": _ucdp_seeds,
}

TARGETS: dict[str, Callable[[bytes], None]] = {
    "extract": extract,
    # an uploaded scenario: a file on its own (a pledge table named beside it is refused, as on the web)
    "scenario_yaml": _file_target(".yaml", lambda p: load_document(p, follow_table=False), _document),
    "pledge_csv": _file_target(".csv", lambda p: load_document(p, follow_table=False), _document),
    "air_attack_csv": _file_target(".csv", lambda p: read_air_attacks(p, CATALOGUE), _feed),
    "ucdp_csv": _file_target(".csv", read_ucdp, _feed),
}


def fuzz(name: str, options: list[str]) -> None:
    """Fuzz one target in this process (libFuzzer exits it): from the corpus dirs given, else from its seeds."""
    rest = list(options)
    if not any(not a.startswith("-") for a in rest):
        corpus = WORK / f"corpus-{name}"
        corpus.mkdir()
        for number, seed in enumerate(SEEDS[name]()):
            (corpus / f"seed-{number:03d}").write_bytes(seed[:MAX_INPUT])
        rest.append(str(corpus))
    if not any(a.startswith("-max_len=") for a in rest):
        rest.insert(0, f"-max_len={MAX_INPUT}")
    atheris.Setup([sys.argv[0], *rest], TARGETS[name])
    atheris.Fuzz()


def fuzz_all(options: list[str]) -> int:
    """Fuzz every target in turn, each in a process forked from this one (imported and instrumented once); a crash
    input is kept as PREFIX<target>-crash-… (-artifact_prefix=PREFIX). Return how many targets failed."""
    prefix = next((a.split("=", 1)[1] for a in options if a.startswith("-artifact_prefix=")), "")
    common = [a for a in options if not a.startswith("-artifact_prefix=")]
    failed = 0
    for name in TARGETS:
        print(f"fuzzing {name}", file=sys.stderr, flush=True)
        child = os.fork()
        if child == 0:  # Fuzz() ends the process; a crash unwinds to an ordinary exit, where libFuzzer keeps the input
            try:
                fuzz(name, [*common, f"-artifact_prefix={prefix}{name}-"])
            except BaseException:
                traceback.print_exc()
                raise SystemExit(70) from None
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        print(f"{name}: exit {code}", file=sys.stderr, flush=True)
        failed += code != 0
    return failed


def main(argv: list[str]) -> None:
    """`targets.py NAME|all [libFuzzer options] [corpus dirs]`."""
    if len(argv) < 2 or argv[1] not in (*TARGETS, "all"):
        raise SystemExit(f"usage: {argv[0]} {{{','.join(TARGETS)},all}} [libFuzzer options] [corpus dir]")
    if argv[1] == "all":
        raise SystemExit(1 if fuzz_all(argv[2:]) else 0)
    fuzz(argv[1], argv[2:])


if __name__ == "__main__":
    main(sys.argv)
