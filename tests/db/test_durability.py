"""Durability settings (docs/adr/0050), as far as this machine can test them: the setting is in force on every
connection the engine hands out (SQLite `synchronous=FULL`; PostgreSQL `synchronous_commit=on` even where the server
or role says off), and a write acknowledged by its commit is read by a fresh process after the writer is SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from reassure.db.engine import durability_problems, make_engine

WRITER = """
import sys, time
from sqlalchemy import text
from reassure.db.engine import make_engine
engine = make_engine(sys.argv[1])
with engine.connect() as connection:
    connection.execute(text("CREATE TABLE acknowledged (id INTEGER PRIMARY KEY, body VARCHAR(40))"))
    connection.commit()
    for number in range(10):
        connection.execute(text("INSERT INTO acknowledged VALUES (:i, 'written')"), {"i": number})
        connection.commit()
    print("committed", flush=True)
    connection.execute(text("INSERT INTO acknowledged VALUES (999, 'never committed')"))
    time.sleep(60)
"""


def test_the_setting_is_in_force_on_every_connection(empty_db_url: str) -> None:
    url = empty_db_url
    if url.startswith("postgresql"):  # the server's default for this session says off: the engine turns it on
        url = (url.replace("options=", "options=-csynchronous_commit%3Doff%20", 1) if "options=" in url
               else url + ("&" if "?" in url else "?") + "options=-csynchronous_commit%3Doff")
    engine = make_engine(url)
    try:
        connections = [engine.connect() for _ in range(3)]
        try:
            for connection in connections:
                if engine.dialect.name == "sqlite":
                    assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                else:
                    assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
        finally:
            for connection in connections:
                connection.close()
        assert durability_problems(engine) == []
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_committed_write_survives_the_writer_killed(empty_db_url: str) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, empty_db_url], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "committed", writer.stderr
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
    reader = subprocess.run([sys.executable, "-c", "import sys; from sqlalchemy import text; from reassure.db.engine "
                             "import make_engine; c = make_engine(sys.argv[1]).connect(); print(c.execute(text("
                             "'SELECT count(*), max(id) FROM acknowledged')).one())", empty_db_url],
                            env=env, capture_output=True, text=True, timeout=60, check=True)
    assert reader.stdout.strip() == "(10, 9)"  # every acknowledged commit, and not the one left open
    engine = make_engine(empty_db_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE acknowledged"))
    engine.dispose()
