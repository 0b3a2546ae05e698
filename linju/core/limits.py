"""Rate limits counted in the shared cache (django-ratelimit), with what each does when the cache
does not answer chosen where it is used:

- fail closed (`fail_open=False`): the limit is what keeps a stranger from guessing or from costing
  someone texts (the status look-up's four digits, texts sent to a typed phone). Without a count the
  request is refused: 503 in plain words with Retry-After (linju/core/errors.py `Unavailable`).
- fail open (`fail_open=True`): the limit only spares the server, and refusing would keep a resident
  from something that is theirs to ask (stopping the texts they receive). Without a count it goes on.
"""

from __future__ import annotations

import logging

from django_ratelimit.core import is_ratelimited

from .errors import unavailable
from .shared_cache import CacheDown, strict

logger = logging.getLogger("linju.cache")


def rate_limited(request, *, group: str, key: str, rate: str, fail_open: bool, method: str = "POST") -> bool:
    """Whether this request is over its rate (counting it); see the module for `fail_open`."""
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method=method, increment=True)
    except Exception:
        logger.warning(
            "Rate limit %s not counted (the cache does not answer): fail %s",
            group,
            "open" if fail_open else "closed",
            exc_info=True,
        )
        if fail_open:
            return False
        raise unavailable() from None


def try_take(key: str, *, window: int) -> int:
    """Count one try at a guarded answer (four digits standing between a stranger and a record) and
    say which try of the window it is. One `incr` of the shared cache decides, so two tries at the
    same moment never both read "nine so far" (`add` creates the count if it is not there yet; `incr`
    fails only if the count expired between the two). Strict: raises CacheDown when the cache does
    not answer, so the guard is never left open."""
    for _attempt in range(2):
        strict("add", key, 0, window)
        try:
            return strict("incr", key)
        except ValueError:
            continue
    strict("set", key, 1, window)
    return 1


def try_give_back(key: str) -> None:
    """A right answer gives its try back (nothing when the count expired meanwhile or the cache left)."""
    try:
        strict("decr", key)
    except (ValueError, CacheDown):
        pass
