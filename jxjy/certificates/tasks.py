"""The worker's part in issuing: signing and storing the certificates' files (`services.store_signed`)."""

from django_tasks import task

from . import services


@task()
def sign_issued(ids: list[int]) -> None:
    services.store_signed(ids)


def signing_wanted(sender, ids: list[int], **kwargs) -> None:
    """Issuing wants these certificates' files signed (signals.signing_wanted, after the commit)."""
    sign_issued.enqueue(ids)
