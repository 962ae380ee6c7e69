"""Every SMS the account pages send to a number: its event, its words, and its template's parameters.

An SMS provider in China sends only approved templates: each notice here is one template (its event), and
`params` names the values its {1}, {2} … take, in order (README: 短信与邮件). The console and test backends
send `text` as written.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from jxjy.notify import events, outbox

SIGN = gettext_lazy("【继续教育系统】")


@dataclass(frozen=True)
class Notice:
    event: str
    text: str  # with {named} values
    params: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        events.register_direct(self.event, self.params)  # the deploy check asks for its template

    def send(self, mobile: str, *, recipient=None, **values) -> None:
        outbox.send_sms(
            mobile, self.text.format(**values), event=self.event, recipient=recipient,
            params=[str(values[p]) for p in self.params],
        )  # fmt: skip


CODE_RESET = Notice(
    "sms_code_reset", SIGN + gettext_lazy("您正在找回密码，验证码{code}，5分钟内有效。如非本人操作请忽略。"), ("code",)
)
CODE_SIGNUP = Notice(
    "sms_code_signup",
    SIGN + gettext_lazy("您正在注册学员账号，验证码{code}，5分钟内有效。如非本人操作请忽略。"),
    ("code",),
)
CODE_APPEAL = Notice(
    "sms_code_appeal",
    SIGN + gettext_lazy("您正在提交身份申诉，验证码{code}，5分钟内有效。如非本人操作请忽略。"),
    ("code",),
)
MOBILE_TAKEN = Notice(
    "signup_mobile_taken",
    SIGN
    + gettext_lazy(
        "本手机号已注册继续教育系统账号，无需再次注册。如忘记密码，请在登录页点击“忘记密码”，用身份证号或本手机号找回。"
    ),
)
SIGNUP_CREATED = Notice(
    "signup_created", SIGN + gettext_lazy("注册成功。请在登录页用身份证号或本手机号及您设置的密码登录。")
)
ID_NOT_LEARNER = Notice(
    "signup_id_refused",
    SIGN + gettext_lazy("身份证号{id_number}无法注册学员账号，本次未创建账号。如有疑问请联系自治区人社厅专技处。"),
    ("id_number",),
)
ID_TAKEN = Notice(
    "signup_id_taken",
    SIGN
    + gettext_lazy(
        "身份证号{id_number}已被其他账号注册，本次未创建账号。如该身份证号是您本人的，"
        "请在{days}天内打开链接提交身份申诉，由自治区人社厅审核：{link}"
    ),
    ("id_number", "days", "link"),
)
ID_TRIED = Notice(
    "signup_id_tried",
    SIGN + gettext_lazy("有人尝试使用您的身份证号{id_number}注册学员账号，未成功。如非本人操作，您的账号不受影响。"),
    ("id_number",),
)
PASSWORD_RESET = Notice(
    "password_reset", SIGN + gettext_lazy("您的账号密码已通过短信验证码重新设置，所有已登录的设备已退出。")
)
APPEAL_APPROVED = Notice(
    "appeal_approved",
    SIGN
    + gettext_lazy(
        "您对身份证号{id_number}的身份申诉已通过，账号已绑定本手机号。请在登录页点击“忘记密码”，"
        "输入身份证号或本手机号，按短信验证码设置新密码后登录。"
    ),
    ("id_number",),
)
APPEAL_OLD_MOBILE = Notice(
    "appeal_old_mobile",
    SIGN
    + gettext_lazy("经自治区人社厅审核，身份证号{id_number}的学员账号已交还身份证号本人，本手机号已与该账号解除绑定。"),
    ("id_number",),
)
APPEAL_REJECTED = Notice(
    "appeal_rejected",
    SIGN + gettext_lazy("您对身份证号{id_number}的身份申诉未通过。审核意见：{opinion}"),
    ("id_number", "opinion"),
)

NOTICES = (
    CODE_RESET, CODE_SIGNUP, CODE_APPEAL, MOBILE_TAKEN, SIGNUP_CREATED, ID_NOT_LEARNER, ID_TAKEN, ID_TRIED,
    PASSWORD_RESET, APPEAL_APPROVED, APPEAL_OLD_MOBILE, APPEAL_REJECTED,
)  # fmt: skip
