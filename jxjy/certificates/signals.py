"""What issuing and revoking announce, inside their transaction, to the apps that keep in step with the
certificates: the 学时档案 (hours) writes and voids its ledger lines, the statistics (stats) count them, and the
task module queues the signing of the files once the transaction commits."""

from django.dispatch import Signal

# certs: the certificates just issued; sources: each one's 来源 (培训后备案 / 学时认定 / …) by its source_key.
issued = Signal()
# cert: the locked certificate, still valid, about to be revoked (its ledger lines still count).
revoking = Signal()
# cert: the certificate just revoked.
revoked = Signal()
# ids: certificates whose signed files are to be made and stored, after the commit.
signing_wanted = Signal()
