"""Durable Objects on localDisk: SQL API, persistence across runs, alarms across restarts, and the
on-disk format, which workerd-py shares with the real workerd (each reads what the other wrote).

disk.capnp/disk.js hold the JS side; each test names the `workerd test` filters it runs, with
`-d dodata=<tmp dir>`.
"""
from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest

from support import our_workerd, real_workerd

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "disk.capnp")


def runtime(which: str) -> list[str]:
    if which == "ours":
        return our_workerd()
    real = real_workerd()
    if real is None:
        pytest.skip("the real workerd is not available")
    return [real]


def run(cmd: list[str], test: str, directory) -> str:
    p = subprocess.run(cmd + ["test", CONFIG, f"do:{test}", "-d", f"dodata={directory}"],
                       capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    assert f"[ PASS ] do:{test}" in out and p.returncode == 0, f"{cmd[0]} do:{test}:\n{out[-4000:]}"
    return out


@pytest.mark.parametrize("which", ["ours", "real"])
def test_sql_api(which, tmp_path):
    run(runtime(which), "sqlApi", tmp_path)


@pytest.mark.parametrize("which", ["ours", "real"])
def test_many_objects(which, tmp_path):
    run(runtime(which), "manyObjects", tmp_path)
    assert len(os.listdir(tmp_path / "kv-key")) >= 300


PAIRS = [("ours", "ours"), ("real", "ours"), ("ours", "real"), ("real", "real")]


@pytest.mark.parametrize("writer,reader", PAIRS)
def test_values_persist(writer, reader, tmp_path):
    """Values of every supported type (V8 format) and the alarm time survive a restart."""
    run(runtime(writer), "persistWrite", tmp_path)
    run(runtime(reader), "persistRead", tmp_path)


@pytest.mark.parametrize("writer,reader", PAIRS)
def test_alarm_fires_after_restart(writer, reader, tmp_path):
    run(runtime(writer), "alarmWrite", tmp_path)
    run(runtime(reader), "alarmRead", tmp_path)


def _id(key: str, name: str) -> str:
    from workerd_py.server.durable_objects import id_from_name, namespace_key
    return id_from_name(namespace_key(key), name)


def test_layout(tmp_path):
    """<dir>/<uniqueKey>/<id>.sqlite with workerd's tables; metadata.sqlite indexes alarms."""
    run(our_workerd(), "persistWrite", tmp_path)
    hex_id = _id("kv-key", "persist")
    path = tmp_path / "kv-key" / f"{hex_id}.sqlite"
    assert path.exists(), sorted(os.listdir(tmp_path / "kv-key"))
    db = sqlite3.connect(path)
    tables = {r[0]: r[1] for r in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    assert set(tables) == {"_cf_KV", "_cf_METADATA"}
    assert re.sub(r"\s+", " ", tables["_cf_KV"]) == "CREATE TABLE _cf_KV ( key TEXT PRIMARY KEY, value BLOB ) WITHOUT ROWID"
    kv = dict(db.execute("SELECT key, value FROM _cf_KV"))
    assert kv["int"] == bytes.fromhex("ff0f4954")              # V8: version 15, Int32 42 (zigzag)
    assert kv["str"] == b"\xff\x0f\x22\x05h\xe9llo"            # one-byte string
    assert kv["date"] == bytes.fromhex("ff0f440000000000001c40")
    assert kv["map"] == bytes.fromhex("ff0f3b490222016122016b6f22017a49027b013a04")
    alarm_ns = db.execute("SELECT value FROM _cf_METADATA WHERE key = 1").fetchone()[0]
    assert alarm_ns == 4102444800000 * 1_000_000                 # 2100-01-01, in ns
    meta = sqlite3.connect(tmp_path / "kv-key" / "metadata.sqlite")
    assert meta.execute("SELECT actor_id, scheduled_time, actor_name FROM _cf_ALARM").fetchall() == \
        [(hex_id, alarm_ns, "persist")]


def test_sql_objects_have_their_own_files(tmp_path):
    run(our_workerd(), "sqlApi", tmp_path)
    files = sorted(os.listdir(tmp_path / "sql-key"))
    assert f"{_id('sql-key', 'api')}.sqlite" in files and f"{_id('sql-key', 'kv')}.sqlite" in files
    db = sqlite3.connect(tmp_path / "sql-key" / f"{_id('sql-key', 'api')}.sqlite")
    assert db.execute("SELECT a, b FROM t ORDER BY a").fetchall() == [(1, "x"), (2, "y"), (3, None)]
