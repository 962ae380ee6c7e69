"""What accounts records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy


class AccountAction(models.TextChoices):
    LOGIN = "login", gettext_lazy("登录")
    LOGOUT = "logout", gettext_lazy("退出登录")
    LOGIN_FAILED = "login_failed", gettext_lazy("登录失败")
    LOCKED_OUT = "account_locked", gettext_lazy("账号锁定")
    TWO_FACTOR = "two_factor", gettext_lazy("二次验证")
    TWO_FACTOR_FAILED = "two_factor_failed", gettext_lazy("二次验证失败")
    BIND_AUTHENTICATOR = "bind_authenticator", gettext_lazy("绑定身份验证器")
    RESET_AUTHENTICATOR = "reset_authenticator", gettext_lazy("重置身份验证器")
    LEARNER_REGISTER = "learner_register", gettext_lazy("学员注册")
    DUPLICATE_ID_NUMBER = "duplicate_id_number", gettext_lazy("重复身份证号注册")
    CREATE_ACCOUNT = "create_account", gettext_lazy("新建账号")
    DISABLE_ACCOUNT = "disable_account", gettext_lazy("停用账号")
    ENABLE_ACCOUNT = "enable_account", gettext_lazy("启用账号")
    UNLOCK_ACCOUNT = "unlock_account", gettext_lazy("解锁账号")
    CHANGE_ROLE = "change_role", gettext_lazy("变更角色")
    CHANGE_PASSWORD = "change_password", gettext_lazy("修改密码")
    RESET_PASSWORD = "reset_password", gettext_lazy("重置密码")
    RECOVER_PASSWORD = "recover_password", gettext_lazy("找回密码")
    SEND_PASSWORD_LINK = "send_password_link", gettext_lazy("发送设置密码链接")
    SET_PASSWORD = "set_password", gettext_lazy("设置密码")
    CHANGE_SECURITY_POLICY = "change_security_policy", gettext_lazy("修改安全策略")
    ASK_SECOND_ADMIN = "ask_second_admin", gettext_lazy("提出双人审批申请")
    APPROVE_ADMIN_REQUEST = "approve_admin_request", gettext_lazy("批准双人审批申请")
    REJECT_ADMIN_REQUEST = "reject_admin_request", gettext_lazy("驳回双人审批申请")
    REVEAL_PERSONAL_DATA = "reveal_personal_data", gettext_lazy("查看完整个人信息")
    SUBMIT_APPEAL = "submit_appeal", gettext_lazy("提交身份申诉")
    APPEAL_TRANSFER = "appeal_transfer_account", gettext_lazy("申诉移交账号")
