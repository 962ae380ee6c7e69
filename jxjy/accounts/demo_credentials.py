"""The demo's published credentials (README): the demo loader (demo/accounts.py) gives them to its accounts, and
`manage.py check_accounts` (checks.py) refuses them in production data."""

from base64 import b32decode

from django.utils.translation import gettext_lazy

# bandit B105 accepted: the demo accounts' published password (README), for the demo database only.
DEMO_PASSWORD = "Demo@2026"  # nosec B105
# The demo's administrators and HR reviewers pass the second factor with an authenticator app set up
# with this published secret (README). `manage.py check_accounts` refuses it in production.
# bandit B105 accepted: the published demo secret, refused in production by check_accounts.
DEMO_TOTP_SECRET = "JXJYDEMOJXJYDEMOJXJYDEMOJXJYDEMO"  # nosec B105
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
# The demo's learners (name, 身份证号 = username, 手机号, 工作单位).
LEARNERS = [
    (gettext_lazy("张三"), "650102199001011239", "13899110001", gettext_lazy("新疆水利水电勘测设计研究院")),
    (gettext_lazy("李四"), "650102198803150025", "13899110002", gettext_lazy("乌鲁木齐市水务局")),
]
