"""What accounts records in the audit trail: the code each entry stores, and the words every page shows
for it (registered with the trail's names in AppConfig.ready)."""

from django.db import models


class AccountAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "account_locked", "账号锁定"
    TWO_FACTOR = "two_factor", "二次验证"
    TWO_FACTOR_FAILED = "two_factor_failed", "二次验证失败"
    BIND_AUTHENTICATOR = "bind_authenticator", "绑定身份验证器"
    RESET_AUTHENTICATOR = "reset_authenticator", "重置身份验证器"
    LEARNER_REGISTER = "learner_register", "学员注册"
    DUPLICATE_ID_NUMBER = "duplicate_id_number", "重复身份证号注册"
    CREATE_ACCOUNT = "create_account", "新建账号"
    DISABLE_ACCOUNT = "disable_account", "停用账号"
    ENABLE_ACCOUNT = "enable_account", "启用账号"
    UNLOCK_ACCOUNT = "unlock_account", "解锁账号"
    CHANGE_ROLE = "change_role", "变更角色"
    CHANGE_PASSWORD = "change_password", "修改密码"
    RESET_PASSWORD = "reset_password", "重置密码"
    RECOVER_PASSWORD = "recover_password", "找回密码"
    SEND_PASSWORD_LINK = "send_password_link", "发送设置密码链接"
    SET_PASSWORD = "set_password", "设置密码"
    CHANGE_SECURITY_POLICY = "change_security_policy", "修改安全策略"
    ASK_SECOND_ADMIN = "ask_second_admin", "提出双人审批申请"
    APPROVE_ADMIN_REQUEST = "approve_admin_request", "批准双人审批申请"
    REJECT_ADMIN_REQUEST = "reject_admin_request", "驳回双人审批申请"
    REVEAL_PERSONAL_DATA = "reveal_personal_data", "查看完整个人信息"
    SUBMIT_APPEAL = "submit_appeal", "提交身份申诉"
    APPEAL_TRANSFER = "appeal_transfer_account", "申诉移交账号"
