"""Test support: callers racing each other, as two tablets or two schedulers do on a real server.

    results = run_together([take, take, take])   # each in a thread and connection of its own

Each function waits at a barrier, so they start together; what one returns or raises stands in its
place in the list. Threads connect to the database for themselves: the tests that race need
PostgreSQL and `django_db(transaction=True)` (SQLite serialises writers)."""

import threading

from django.db import connections


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results
