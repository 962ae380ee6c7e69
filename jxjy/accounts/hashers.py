"""The password hasher: Argon2id at one of OWASP's recommended costs (PASSWORD_HASHERS lists it first)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class JxjyArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m = 7 MiB, t = 5, p = 1: the last of the five settings OWASP's Password Storage Cheat Sheet
    lists as giving an equal level of defence (m = 47 MiB t = 1, 19 MiB t = 2, 12 MiB t = 3, 9 MiB t = 4,
    7 MiB t = 5), "the only difference being a trade off between CPU and RAM usage".

    Of the five it costs the least CPU here and the least memory per login in flight (a morning's rush has
    dozens at once in every worker). Measured on the development machine (x86_64, 2 cores, Python 3.11,
    argon2-cffi 25.1.0; one check_password, median of 40, idle): 7 MiB t = 5 14.6 ms, 9 MiB t = 4 15.9 ms,
    19 MiB t = 2 20.6 ms, 47 MiB t = 1 60 ms. Django's own parameters (m = 100 MiB, p = 8) cost more memory
    per concurrent login than a worker should spend; PBKDF2 at Django's default (1,000,000 iterations) costs
    231 ms of CPU here.

    The hash keeps Django's form ("argon2$argon2id$v=19$m=7168,t=5,p=1$…"): changing these numbers makes
    every stored hash outdated, and it is rehashed at its owner's next login.
    """

    time_cost = 5
    memory_cost = 7 * 1024  # KiB
    parallelism = 1
