"""Cache entries are believed only when whole: checksum, key and shape are checked on every read."""

from __future__ import annotations

import pytest

from citations import cachefiles


@pytest.fixture(autouse=True)
def _clean():
    cachefiles.DAMAGED.clear()
    yield
    cachefiles.DAMAGED.clear()


def test_round_trip(tmp_path):
    path = tmp_path / "x" / "entry.json"
    cachefiles.write_entry(path, "k1", {"clusters": ["a"], "entries": []})
    assert cachefiles.read_entry(path, "k1") == {"clusters": ["a"], "entries": []}
    assert cachefiles.read_entry(tmp_path / "missing.json", "k1") is None
    assert cachefiles.DAMAGED == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data.replace(b'"a"', b'"b"'),  # edited, still valid JSON
        lambda data: b"",  # emptied
        lambda data: b"\xff\xfe" + data,  # not text
    ],
)
def test_damaged_entry_is_discarded_noted_and_deleted(tmp_path, damage):
    path = tmp_path / "entry.json"
    cachefiles.write_entry(path, "k1", {"clusters": ["a"], "entries": []})
    path.write_bytes(damage(path.read_bytes()))
    assert cachefiles.read_entry(path, "k1") is None
    assert [path] == cachefiles.DAMAGED and not path.exists()


def test_entry_for_another_key_or_of_the_wrong_shape_is_not_believed(tmp_path):
    path = tmp_path / "entry.json"
    cachefiles.write_entry(path, "k1", [1, 2])
    assert cachefiles.read_entry(path, "k2") is None
    cachefiles.write_entry(path, "k1", [1, 2])
    assert cachefiles.read_entry(path, "k1", lambda value: isinstance(value, dict)) is None
    assert len(cachefiles.DAMAGED) == 2
