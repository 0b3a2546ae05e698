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


def _cache_down(settings):
    from linju.core.tests.outage import OUTAGE_CACHES, DownCache

    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    return DownCache


def test_a_held_copy_is_kept_while_the_cache_does_not_answer(monkeypatch, settings):
    clock = [0.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: clock[0])
    loads = []
    down = _cache_down(settings)
    down.down = False
    versioned.held("t4", lambda: loads.append(1))
    down.down = True
    try:
        for _ in range(3):  # looked at again each second, refused each time: the last version stays
            clock[0] += versioned.CHECK_EVERY + 0.01
            versioned.held("t4", lambda: loads.append(1))
        assert len(loads) == 1
    finally:
        down.down = False


def test_with_no_cache_a_process_loads_its_own_copy_and_a_writer_sees_its_change(db, settings):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    down = _cache_down(settings)
    try:
        assert versioned.held("t5", load) == 1  # nothing held, no version: from the database
        assert versioned.held("t5", load) == 1
        versioned.changed("t5")  # the bump cannot reach the cache: owed
        assert versioned.held("t5", load) == 2
        assert "t5" in versioned._owed
    finally:
        down.down = False


def test_a_bump_owed_during_the_outage_reaches_the_cache_when_it_answers(db, monkeypatch, settings):
    clock = [0.0]
    monkeypatch.setattr(versioned.time, "monotonic", lambda: clock[0])
    down = _cache_down(settings)
    down.down = False
    versioned.held("t6", lambda: None)
    before = cache.get(versioned._key("t6"))
    down.down = True
    try:
        versioned.changed("t6")
    finally:
        down.down = False
    assert cache.get(versioned._key("t6")) == before  # nothing reached the cache yet
    clock[0] += versioned.CHECK_EVERY + 0.01
    versioned.held("t6", lambda: None)
    assert cache.get(versioned._key("t6")) not in (None, before)  # the other workers will load again
    assert "t6" not in versioned._owed


def test_answers_are_built_when_the_cache_does_not_answer(settings):
    down = _cache_down(settings)
    try:
        assert versioned.answer("linju:answer:k", 60, lambda: "built") == "built"
    finally:
        down.down = False
