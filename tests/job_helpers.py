"""Follow a started job to its file (the tests run jobs at once, inside the request)."""

from django.urls import resolve, reverse

from jxjy.jobs.models import Job


def job_of(response) -> Job:
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail"
    return Job.objects.get(pk=match.kwargs["pk"])


def job_file(client, response) -> bytes:
    """The file of the job that `response` (a POST that started it) redirected to."""
    job = job_of(response)
    assert job.status == "done", job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)
