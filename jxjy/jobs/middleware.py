"""A job refused because its owner has enough under way (services.TooManyJobs), wherever it was asked for
(证书打包, 统计导出, 审计日志导出): the message, on 我的下载任务, where the jobs under way are shown."""

from django.contrib import messages
from django.shortcuts import redirect

from .services import TooManyJobs


class TooManyJobsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TooManyJobs):
            return None
        messages.error(request, exception.message)
        return redirect("jobs:list")
