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
