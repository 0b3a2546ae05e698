"""Held tables: read once, read again after a change, in this process at once and in another
within CHECK_EVERY seconds."""

from django.core.cache import cache

from linju.core import versioned


def test_held_reads_once_and_again_after_a_change(db):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert versioned.held("t", load) == 1
    assert versioned.held("t", load) == 1 and len(loads) == 1
    versioned.changed("t")  # this process: at once
    assert versioned.held("t", load) == 2


def test_another_worker_sees_a_change_within_the_check_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: clock[0])
    loads = []
    versioned.held("t2", lambda: loads.append(1))
    # another worker bumps the shared version (its own copy is not ours)
    cache.set(versioned._key("t2"), "someone-else", timeout=None)
    versioned.held("t2", lambda: loads.append(1))
    assert len(loads) == 1  # not looked yet
    clock[0] += versioned.CHECK_EVERY + 0.01
    versioned.held("t2", lambda: loads.append(1))
    assert len(loads) == 2
    clock[0] += versioned.CHECK_EVERY + 0.01
    versioned.held("t2", lambda: loads.append(1))
    assert len(loads) == 2  # looked, unchanged: no load


def test_a_lost_shared_version_means_read_again(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: clock[0])
    loads = []
    versioned.held("t3", lambda: loads.append(1))
    cache.clear()  # Redis restarted
    clock[0] += versioned.CHECK_EVERY + 0.01
    versioned.held("t3", lambda: loads.append(1))
    assert len(loads) == 2
