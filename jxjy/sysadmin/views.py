"""系统管理 for the 系统管理员: thin views over sysadmin's selectors and services (and the accounts' and the api's
services where they have one); every other role gets the 403 page."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jxjy.accounts.models import AdminRequest, Organisation, Role, User
from jxjy.api import tokens
from jxjy.api.models import ApiToken
from jxjy.catalog.models import Series
from jxjy.core.errors import DomainError, show_on_form
from jxjy.core.inputs import bounded_int
from jxjy.core.lookups import get_or_404
from jxjy.core.paging import page_of
from jxjy.core.permissions import require
from jxjy.core.rules import BUSINESS_RULES

from . import selectors, services
from .forms import CATALOG_FORMS, AccountForm, OrganisationForm, RuleForm, TokenForm

PER_PAGE = 20


def sysadmin_only(view):
    """Signed in (else the login page) as the 系统管理员 (else the 403 page with its words)."""

    @login_required
    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        require(request.user, "sysadmin.use")
        return view(request, *args, **kwargs)

    return inner


def _refused_or_done(request, change, done: str = "") -> None:
    """Run `change()` and say `done` (or what `change()` returns); a refusal is shown as the page's message."""
    try:
        said = change()
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done or said)


@sysadmin_only
def index(request):
    """系统管理: the five screens, each with what it holds."""
    return render(request, "sysadmin/index.html", {"screens": selectors.screens()})


# ---- 单位 ----


@sysadmin_only
def organisations(request):
    page = page_of(selectors.organisations(request.GET), request, PER_PAGE)
    context = {"page": page, "query": request.GET, "kinds": Organisation.Kind.choices}
    return render(request, "sysadmin/organisations.html", context)


def _organisation_form(request, organisation: Organisation | None):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(form.save(commit=False), actor=request.user)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, (gettext("单位“%(name)s”已保存。") % {"name": saved.name}))
            return redirect("sysadmin:organisations")
    return render(request, "sysadmin/organisation_form.html", {"form": form, "organisation": organisation})


@sysadmin_only
def organisation_new(request):
    return _organisation_form(request, None)


@sysadmin_only
def organisation_edit(request, pk: int):
    return _organisation_form(request, get_or_404(Organisation.objects.all(), pk, gettext("单位")))


# ---- 账号 ----


@sysadmin_only
def accounts(request):
    """账号: by 姓名, 账号, 身份证号 or 手机号; by 状态 and 角色; learners by name, in Chinese roles."""
    page = page_of(selectors.accounts(request.GET), request, PER_PAGE)
    context = {
        "page": page, "rows": [selectors.account_row(u) for u in page], "query": request.GET,
        "states": selectors.STATES, "roles": [*Role.choices, (selectors.NO_ROLE, gettext("待授权"))],
        "organisation": selectors.filtered_organisation(request.GET),
    }  # fmt: skip
    return render(request, "sysadmin/accounts.html", context)


def _account(pk: int) -> User:
    return get_or_404(User.objects.select_related("organisation", "learner"), pk, gettext("账号"))


@sysadmin_only
def account_detail(request, pk: int):
    target = _account(pk)
    pending = AdminRequest.objects.filter(target=target, status=AdminRequest.Status.PENDING).order_by("-pk")
    context = {
        "target": target, "row": selectors.account_row(target), "learner": selectors.learner_of(target),
        "pending": pending, "dual_control": services.accounts.needs_second_person(target),
        "editable": services.account_editable(target),
    }  # fmt: skip
    return render(request, "sysadmin/account_detail.html", context)


@sysadmin_only
def account_new(request):
    """新建账号: no password is typed or shown; the holder sets it through the link e-mailed to them."""
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent_to = services.open_account(form.save(commit=False), actor=request.user)
        except DomainError as e:
            show_on_form(form, e)
        else:
            user = form.instance
            messages.success(
                request,
                (
                    gettext("账号 %(username)s 已开设，设置密码的链接已发送至本人邮箱 %(sent_to)s。")
                    % {"username": user.username, "sent_to": sent_to}
                ),
            )
            return redirect("sysadmin:account", user.pk)
    return render(request, "sysadmin/account_form.html", {"form": form, "target": None})


@sysadmin_only
def account_edit(request, pk: int):
    """修改账号: 账号, 姓名, 邮箱, 单位 of a staff account; the role is the 安全管理员's."""
    target = _account(pk)
    if not services.account_editable(target):
        messages.error(request, gettext("学员账号的资料由本人维护；三员账号的资料不能在此修改。"))
        return redirect("sysadmin:account", pk)
    shown = f"{target.display_name}（{target.username}）"  # as saved, whatever the form was sent with
    form = AccountForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_account(form.save(commit=False), actor=request.user)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, (gettext("账号 %(username)s 已保存。") % {"username": target.username}))
            return redirect("sysadmin:account", pk)
    context = {"form": form, "target": target, "shown": shown, "role": selectors.role_label(target)}
    return render(request, "sysadmin/account_form.html", context)


def _set_active(request, pk: int, *, active: bool):
    target = _account(pk)
    _refused_or_done(request, lambda: services.set_account_active(target, active=active, actor=request.user))
    return redirect("sysadmin:account", pk)


@require_POST
@sysadmin_only
def account_disable(request, pk: int):
    return _set_active(request, pk, active=False)


@require_POST
@sysadmin_only
def account_enable(request, pk: int):
    return _set_active(request, pk, active=True)


# ---- 培训范围目录 ----


@sysadmin_only
def catalog(request):
    """培训范围目录: each 系列 (the one asked for, else the first, opened) with its 专业 and 级别."""
    tree = selectors.catalogue()
    shown = bounded_int(request.GET, "series", label=gettext("系列")) or (tree[0].series.pk if tree else None)
    return render(request, "sysadmin/catalog.html", {"tree": tree, "open_series": shown})


def _back_to_catalog(entry):
    series = entry.pk if isinstance(entry, Series) else entry.series_id
    return redirect(f"{reverse('sysadmin:catalog')}?series={series}#series-{series}")


def _catalog_kind(kind: str):
    if kind not in CATALOG_FORMS:
        raise Http404(gettext("未找到该目录类别。"))
    return CATALOG_FORMS[kind]


def _catalog_form(request, kind: str, pk: int | None):
    model, form_class = _catalog_kind(kind)
    entry = get_or_404(model.objects.all(), pk, model._meta.verbose_name) if pk is not None else None
    initial = {"series": request.GET.get("series")} if entry is None and kind != "series" else None
    form = form_class(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.save_catalog_entry(form.save(commit=False), actor=request.user)
        messages.success(request, (gettext("“%(saved)s”已保存。") % {"saved": saved}))
        return _back_to_catalog(saved)
    context = {"form": form, "entry": entry, "what": model._meta.verbose_name}
    return render(request, "sysadmin/catalog_form.html", context)


@sysadmin_only
def catalog_new(request, kind: str):
    return _catalog_form(request, kind, None)


@sysadmin_only
def catalog_edit(request, kind: str, pk: int):
    return _catalog_form(request, kind, pk)


def _catalog_active(request, kind: str, pk: int, *, active: bool):
    model, _ = _catalog_kind(kind)
    entry = get_or_404(model.objects.all(), pk, model._meta.verbose_name)
    done = services.catalog_state(entry, active)
    _refused_or_done(request, lambda: services.set_catalog_entry_active(entry, active=active, actor=request.user), done)
    return _back_to_catalog(entry)


@require_POST
@sysadmin_only
def catalog_disable(request, kind: str, pk: int):
    return _catalog_active(request, kind, pk, active=False)


@require_POST
@sysadmin_only
def catalog_enable(request, kind: str, pk: int):
    return _catalog_active(request, kind, pk, active=True)


# ---- 规则设置 ----


@sysadmin_only
def rules(request):
    """规则设置: each rule's 当前值, 单位, 默认值, 取值范围 and what it does."""
    return render(request, "sysadmin/rules.html", {"rows": selectors.rule_rows()})


def _rule_row(key: str) -> selectors.RuleRow:
    if key not in BUSINESS_RULES:
        raise Http404(gettext("未找到该规则。"))
    return selectors.rule_row(key)


@sysadmin_only
def rule_edit(request, key: str):
    row = _rule_row(key)
    form = RuleForm(request.POST or None, key=key, rule=row.rule, unit=row.unit, initial={"value": row.value})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rule(key, str(form.cleaned_data["value"]), actor=request.user)
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(
                request,
                (
                    gettext("“%(label)s”已修改为 %(value)s，立即生效。")
                    % {"label": row.rule.label, "value": form.cleaned_data["value"]}
                ),
            )
            return redirect("sysadmin:rules")
    return render(request, "sysadmin/rule_form.html", {"form": form, "row": row})


@require_POST
@sysadmin_only
def rule_reset(request, key: str):
    row = _rule_row(key)
    done = gettext("“%(label)s”已恢复默认值 %(default)s。") % {"label": row.rule.label, "default": row.default}
    _refused_or_done(request, lambda: services.restore_rule_default(key, actor=request.user), done)
    return redirect("sysadmin:rules")


# ---- 接口令牌 ----


@sysadmin_only
def api_tokens(request):
    page = page_of(selectors.api_tokens(request.GET), request, PER_PAGE)
    return render(request, "sysadmin/tokens.html", {"page": page, "query": request.GET})


@sysadmin_only
def token_new(request):
    """新建接口令牌: the secret is shown on the answer to the POST, once, on a page no one may keep."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.create_token(**form.cleaned_data, actor=request.user)
        except DomainError as e:
            show_on_form(form, e)
        else:
            response = render(request, "sysadmin/token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store, private"
            return response
    return render(request, "sysadmin/token_form.html", {"form": form})


@require_POST
@sysadmin_only
def token_revoke(request, pk: int):
    token = get_or_404(ApiToken.objects.select_related("organisation"), pk, gettext("接口令牌"))
    done = gettext("令牌“%(name)s”已撤销，立即失效。") % {"name": token.name}
    _refused_or_done(request, lambda: tokens.revoke_token(token, actor=request.user), done)
    return redirect("sysadmin:tokens")
