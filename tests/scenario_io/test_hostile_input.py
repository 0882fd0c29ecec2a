"""Any input file gives a result or a clear error naming its place; a failed import writes nothing (issue 15)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reassure.core.errors import InputError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.scenarios.importing import import_document
from reassure.domains.sources.models import Claim, Source
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import Cli, raw_counts, who
from tests.scenario_io.samples import PLEDGE_TABLE, VALID

TABLES = (Scenario, Pledge, Source, Claim, AuditEntry)

CASES = [
    pytest.param(VALID.encode() + b"# \xff\xfe\n", "s.yaml", ["s.yaml:", "not UTF-8 text: byte 0xff"],
                 id="not-utf8-yaml"),
    pytest.param(PLEDGE_TABLE.encode() + b"X\xe9,FRA\n", "t.csv", ["not UTF-8 text: byte 0xe9"], id="not-utf8-csv"),
    pytest.param(b"", "t.xlsx", ["not a readable XLSX workbook (BadZipFile)"], id="empty-xlsx"),
    pytest.param(b"PK\x03\x04garbage", "t.xlsx", ["not a readable XLSX workbook"], id="broken-xlsx"),
    pytest.param(VALID.replace("quantity: 2\n", "quantity: 1000000000000000000000000000000\n", 1).encode(), "s.yaml",
                 ["quantity", "a count is at most 10,000,000"], id="huge-quantity"),
    pytest.param(VALID.replace("capability: fighter_squadron", "capability: {a: 1}", 1).encode(), "s.yaml",
                 ["capability", "unknown capability"], id="mapping-as-capability"),
    pytest.param(("[" * 2000 + "]" * 2000).encode(), "s.yaml", ["nested too deeply"], id="deep-nesting"),
    pytest.param(VALID.replace("  title: Small test scenario", "  title: Small test scenario\n  title: Again",
                               1).encode(), "s.yaml", ["s.yaml:6: title: duplicate key"], id="duplicate-key"),
    pytest.param(VALID.replace("sources: [src-1]", "sources: [src-1, src-1]", 1).encode(), "s.yaml",
                 ["source 'src-1' is cited twice"], id="source-cited-twice"),
    pytest.param(VALID.replace("demand: 2", "demand: 100000000000000000000000", 1).encode(), "s.yaml",
                 ["demand", "a whole number between -2,147,483,647 and 2,147,483,647"], id="huge-demand"),
    pytest.param(VALID.replace("title: Small test scenario", 'title: "Small\\0 test"', 1).encode(), "s.yaml",
                 ["scenario.title", "NUL character"], id="nul-in-text"),
    pytest.param(VALID.replace("title: Small test scenario", "title: " + "x" * 300, 1).encode(), "s.yaml",
                 ["scenario.title", "at most 200 characters"], id="text-longer-than-its-column"),
    pytest.param(VALID.encode() + b"\x00", "s.yaml", ["NUL character"], id="nul-byte"),
    # issue 21: a day outside 1900-01-01 … 2199-12-31, a whole number past ±2,147,483,647, a lone surrogate
    pytest.param(VALID.replace("published: 2025-09-04", "published: 9999-12-31", 1).encode(), "s.yaml",
                 ["sources[0] (src-1).published", "a day between 1900-01-01 and 2199-12-31"], id="far-future-day"),
    pytest.param(VALID.replace("{from: 2027-01-01, to: 2027-12-31}", "{from: 2027-01-01, to: 9999-12-31}", 1)
                 .encode(), "s.yaml", ["window", "2199-12-31"], id="far-future-window"),
    pytest.param(VALID.replace("start: 2027-01-01, period", "start: 1066-10-14, period", 1).encode(), "s.yaml",
                 ["horizon", "a day between 1900-01-01"], id="ancient-horizon"),
    pytest.param(PLEDGE_TABLE.replace("2027-12-31,6,6", "9999-12-31,6,6", 1).encode(), "t.csv",
                 ["t.csv, row 2", "available_to", "2199-12-31"], id="far-future-day-in-csv"),
    pytest.param(VALID.replace("priority: 3", "priority: 99999999999999999999", 1).encode(), "s.yaml",
                 ["priority"], id="huge-integer"),
    pytest.param(VALID.replace("title: Small test scenario", 'title: "Small\\ud800 test"', 1).encode(), "s.yaml",
                 ["scenario.title", "lone surrogate"], id="lone-surrogate-in-text"),
    pytest.param((PLEDGE_TABLE + "ITA-X,ITA,frigate,1,200,sea,2027-01-01,2027-12-31,6,6,,,,,,,,,,,,,,,,surplus\n")
                 .encode(), "t.csv", ["t.csv, row 4", "cells but the header names"], id="csv-extra-cells"),
]


@pytest.mark.parametrize("body,name,expected", CASES)
def test_hostile_files_get_a_clear_error_and_write_nothing(cli: Cli, tmp_path: Path, body: bytes, name: str,
                                                            expected: list[str]) -> None:
    base = VALID.replace("name: small", "name: base").encode()
    assert cli("import", str(_write(tmp_path, "base.yaml", base)))[0] == 0
    before = raw_counts(cli.url, *TABLES)
    args = ["import", str(_write(tmp_path, name, body))] + (["--scenario", "base"] if name != "s.yaml" else [])
    code, out, err = cli(*args)
    flat = " ".join(err.split())
    assert code == 2, (out, err)
    assert "Traceback" not in err and "nothing was written" in flat
    for fragment in expected:
        assert fragment in flat, f"{fragment!r} not in {flat!r}"
    assert raw_counts(cli.url, *TABLES) == before


def test_a_table_caveat_naming_an_unknown_task_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(_write(tmp_path, "base.yaml", VALID.encode())))[0] == 0
    table = PLEDGE_TABLE.splitlines()
    header, row = table[0], table[1]
    body = (header + ",caveats,caveat_tasks\n" + row + ",no patrols,NO-SUCH-TASK\n").encode()
    code, _, err = cli("import", str(_write(tmp_path, "t.csv", body)), "--scenario", "small")
    assert code == 2 and "caveat names unknown task 'NO-SUCH-TASK'" in err


def _write(folder: Path, name: str, body: bytes) -> Path:
    path = folder / name
    path.write_bytes(body)
    return path


# Mutations of the valid file: bytes dropped, inserted or replaced, and values swapped for hostile ones.
HOSTILE = ["", "-1", "1e308", "nan", "{a: 1}", "[1, [2, [3]]]", "'\\0'", "null", "~", "!!binary AAAA", "&a [*a]",
           "99999999999999999999999", "REL TO", "x" * 500, "2025-02-30", "true", "0x10", "'%'", "[src-1, src-1]"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "delete", "insert", "byte"]))
        lines = text.splitlines()
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(HOSTILE))}"
        elif kind == "delete":
            del lines[i]
        elif kind == "insert":
            lines.insert(i, draw(st.sampled_from(lines)))
        text = "\n".join(lines) + "\n"
        if kind == "byte":
            data = bytearray(text.encode())
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
            return bytes(data)
    return text.encode()


@settings(max_examples=60, deadline=None, derandomize=True,  # the same inputs on every CI run
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=mutated())
def test_any_mutation_of_a_scenario_file_imports_or_is_refused_whole(settings: Settings, body: bytes) -> None:
    """The importer never raises anything but InputError, and a refused file leaves the database as it was."""
    path = Path(tempfile.mkdtemp(prefix="reassure-fuzz-")) / "scenario.yaml"
    path.write_bytes(body)
    before = _stored(settings)
    try:
        with unit_of_work(settings, identity=who("GBR")) as db:
            import_document(load_document(path), db=db, origin=str(path))
    except InputError as error:
        assert error.problems and all(str(p) for p in error.problems)
        assert _stored(settings) == before  # a refusal may add a "denied" audit row, nothing else


def _stored(settings: Settings) -> tuple[int, ...]:
    from sqlalchemy import text

    from reassure.db.uow import engine_for

    with engine_for(settings).connect() as connection:
        done = connection.execute(text("SELECT count(*) FROM audit_log WHERE outcome = 'done'")).scalar_one()
    return (*raw_counts(settings.database_url, *TABLES[:-1]), int(done))


# Found while fuzzing (issue 27, docs/adr/0054): 466 bytes of nested aliases, each list ten aliases of the one before,
# name a billion values; the line locator walked every one of them (hours of a server thread for one upload).
BILLION_LAUGHS = "format: reassure-scenario/1\nmarking: PUBLIC\nxa: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"x{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


@pytest.mark.parametrize("tail", ["", "pledges: *i\n", "scenario: *i\n"], ids=["beside", "as-pledges", "as-scenario"])
def test_aliases_that_expand_to_a_billion_values_are_refused_at_once(tmp_path: Path, tail: str) -> None:
    import signal

    def too_slow(*_: object) -> None:
        raise TimeoutError("load_document still walking the aliases after 20 s")

    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS + tail, encoding="utf-8")
    assert len(path.read_bytes()) < 500
    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        with pytest.raises(InputError) as refused:
            load_document(path, follow_table=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [(p.file, p.where) for p in refused.value.problems] == [(str(path), "line 3")]
    assert "aliases (*name) repeat values more than 100,000 times" in str(refused.value)


def test_a_few_aliases_still_read(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text(VALID.replace("  - id: src-1", "  - id: &first src-1", 1).replace("sources: [src-1]",
                                                                                     "sources: [*first]", 1),
                    encoding="utf-8")
    assert "*first" in path.read_text(encoding="utf-8")
    assert [c.sources for c in load_document(path).claims] == [["src-1"]]
