"""What the current request tells code that is not handed the request: the client's address, set by
middleware.RequestContextMiddleware and written into each audit entry."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
