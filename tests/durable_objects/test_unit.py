"""Durable Objects, Python level: id derivation (vectors from workerd 2026-11-17), SQL splitting and
the per-object SQLite store."""
from __future__ import annotations

import asyncio
import re

import pytest

from workerd_py.server.durable_objects import (ObjectStore, StorageError, _split_sql, id_from_name,
                                               namespace_key, new_unique_id, valid_id)

VECTORS = [
    ("test-key", "foo", "1cf6edffe08a747ace2c6219cb305178399ab858e09fdc3b71ab8e53f43f9f6c"),
    ("test-key", "", "52a3be25fec9fb8abd032219c65ed1236df17e8a52966c238151f6e2e013e385"),
    ("test-key", "a", "2c326b0d4bc6e7aab598945ae506f7cb64ec92191bab81d851bab1efc73400e1"),
    ("sq-key", "a", "e46d6fa0b028d0f718f105fb6011607d3e6787cb3dc43e5fdfa37e478643ec7a"),
    ("plain-key", "foo", "8677f32017464f78b5da7555f1a5b4b81d5fb7947be539e3ba25b72362d94d98"),
]


@pytest.mark.parametrize("key,name,expected", VECTORS)
def test_id_from_name(key, name, expected):
    assert id_from_name(namespace_key(key), name) == expected


def test_unique_ids():
    k = namespace_key("test-key")
    ids = {new_unique_id(k) for _ in range(50)}
    assert len(ids) == 50 and all(re.fullmatch(r"[0-9a-f]{64}", i) for i in ids)
    assert all(valid_id(k, i) for i in ids)
    # a unique id recorded from workerd validates; one flipped bit does not; another key does not
    real = "0221ae1e1456b2e09484bd18326e0ad5b6e9ef8c1942ea9450d70d42bd234dd2"
    assert valid_id(k, real)
    assert not valid_id(k, real[:-1] + "3")
    assert not valid_id(namespace_key("other"), real)
    assert not valid_id(k, "zz" * 32) and not valid_id(k, "00" * 16)


def test_split_sql():
    assert _split_sql("SELECT 1") == ["SELECT 1"]
    assert _split_sql("SELECT 1; SELECT 2;") == ["SELECT 1;", " SELECT 2;"]
    assert _split_sql("SELECT ';'; SELECT 2") == ["SELECT ';';", " SELECT 2"]
    assert _split_sql("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END; SELECT 3") == \
        ["CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;", " SELECT 3"]
    assert _split_sql(" ; ;") == []


@pytest.fixture
def store():
    loop = asyncio.new_event_loop()
    s = ObjectStore(None, loop)
    yield s
    s.close()
    loop.close()


def test_store_kv(store):
    assert store.get(["a"]) == [None]                       # no table yet: reads are empty
    assert store.list(None, None, None, None, False, None) == []
    store.put(["b", "a", "\uffff", "\U0001F600", "ab"], [b"1", b"2", b"3", b"4", b"5"])
    assert store.get(["a", "zz"]) == [b"2", None]
    assert store.get_sorted(["b", "a", "zz"]) == ["a", b"2", "b", b"1"]
    keys = store.list(None, None, None, None, False, None)[::2]
    assert keys == ["a", "ab", "b", "\uffff", "\U0001F600"]  # UTF-8 byte order, as SQLite sorts
    assert store.list(None, None, None, "a", True, None)[::2] == ["ab", "a"]
    assert store.list("ab", None, "\uffff", None, False, 5)[::2] == ["ab", "b"]
    assert store.list(None, "a", None, None, False, 1)[::2] == ["ab"]
    assert store.delete(["a", "a", "nope"]) == 1
    store.set_alarm(1234)
    assert store.get_alarm() == 1234
    store.delete_all()
    assert store.list(None, None, None, None, False, None) == []
    assert store.get_alarm() == 1234                         # deleteAll keeps the alarm


def test_store_savepoints(store):
    store.put(["k"], [b"1"])
    store.begin()
    store.put(["k"], [b"2"])
    store.begin()
    store.delete(["k"])
    store.end(False)                                         # inner rollback
    assert store.get(["k"]) == [b"2"]
    store.end(False)                                         # outer rollback
    assert store.get(["k"]) == [b"1"]
    store.begin()
    store.put(["j"], [b"3"])
    store.end(True)
    assert store.get(["j"]) == [b"3"]


def test_store_sql(store):
    names, rows, reads, written = store.sql("CREATE TABLE t (a); INSERT INTO t VALUES (?), (?)", [1, b"\x00"])
    assert (names, rows, written) == ([], [], 2)
    names, rows, reads, written = store.sql("SELECT a FROM t ORDER BY a", [])
    assert names == ["a"] and rows == [[1], [b"\x00"]] and reads is True and written == 0
    with pytest.raises(StorageError, match="no such table: _cf_KV"):
        store.put(["x"], [b"1"])
        store.sql("SELECT * FROM _cf_KV", [])
    with pytest.raises(StorageError, match="Wrong number of parameter bindings"):
        store.sql("SELECT ?", [])


def test_commit_at_end_of_turn(tmp_path):
    """Writes of one turn are one SQLite transaction, committed by a call_soon callback."""
    import sqlite3
    path = str(tmp_path / "o.sqlite")

    async def main():
        s = ObjectStore(path, asyncio.get_running_loop())
        s.put(["a"], [b"1"])
        other = sqlite3.connect(path)
        assert s.db.in_transaction
        await asyncio.sleep(0)
        assert not s.db.in_transaction
        assert other.execute("SELECT value FROM _cf_KV").fetchall() == [(b"1",)]
        s.close()
    asyncio.run(main())
