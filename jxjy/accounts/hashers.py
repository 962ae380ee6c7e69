"""The password hasher: Argon2id at OWASP's recommended cost (PASSWORD_HASHERS lists it first)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class JxjyArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's current minimum (Password Storage Cheat Sheet): m = 19 MiB, t = 2, p = 1.

    Django's own Argon2 parameters (m = 100 MiB, p = 8) cost more memory per concurrent login than a worker
    should spend; PBKDF2 at Django's default (1,000,000 iterations) costs 231 ms of CPU here (630 ms measured
    through the production server), so logins queued behind it.

    Measured on the development machine (x86_64, 2 cores, Python 3.11, argon2-cffi 25.1.0; median of 10,
    load average 1.2): one check_password costs 20 ms of CPU (t = 3 would cost 30 ms, m = 12 MiB 11 ms).
    The hash keeps Django's form ("argon2$argon2id$v=19$m=19456,t=2,p=1$…"): changing these numbers makes
    every stored hash outdated, and it is rehashed at its owner's next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
