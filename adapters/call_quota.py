"""Per-app quotas on SOAP calls (SPEC 15): `rate_limit_per_minute`, counted in the throttle
storage (RATELIMIT_STORAGE_URI: Redis in production), so the limit holds across every API
process and machine. A moving window: no burst of twice the limit across a minute's edge."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute, storage, strategies

from domain.ports import QuotaAnswer


class CallQuota:
    def __init__(self, storage_uri: str, key_prefix: str) -> None:
        self.storage_uri = storage_uri
        self.prefix = key_prefix
        self._items: dict[int, RateLimitItemPerMinute] = {}
        self._limiter: strategies.MovingWindowRateLimiter | None = None

    @property
    def limiter(self) -> strategies.MovingWindowRateLimiter:
        """Connected at the first call: the API's start-up (api/limits.py) has checked the
        same URI by then, and says what is wrong with it in one line."""
        if self._limiter is None:
            backend = storage.storage_from_string(self.storage_uri)
            self._limiter = strategies.MovingWindowRateLimiter(backend)
        return self._limiter

    def hit(self, app_id: str, per_minute: int) -> QuotaAnswer:
        item = self._items.get(per_minute)
        if item is None:
            item = self._items[per_minute] = RateLimitItemPerMinute(per_minute)
        if self.limiter.hit(item, self.prefix, "app-calls", app_id):
            return QuotaAnswer(True, 0)
        reset = self.limiter.get_window_stats(item, self.prefix, "app-calls", app_id).reset_time
        return QuotaAnswer(False, max(1, math.ceil(reset - time.time())))
