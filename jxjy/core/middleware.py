from .audit import current_ip


class RequestContextMiddleware:
    """Make the client's address available to the audit trail without threading the request through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
