"""A learner who registers receives the 公需课 records that online platforms sent for them before (HeldCompletion)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from jxjy.accounts.models import Learner

from . import services


@receiver(post_save, sender=Learner, dispatch_uid="jxjy.api.claim_held_completions")
def claim_on_registration(sender, instance: Learner, created: bool, **kwargs) -> None:
    if created:
        transaction.on_commit(lambda: services.claim_held(instance))
