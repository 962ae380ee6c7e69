"""培训信息管理 and 学员报名审核 (the base), and 继续教育专业课 报名 (the learner)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Subquery
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jxjy.accounts.predicates import is_learner
from jxjy.audit import trail as audit
from jxjy.catalog.models import Level, Series, Specialty
from jxjy.core import clock
from jxjy.core.errors import DomainError, NotEditable, show_on_form
from jxjy.core.form_keys import ALREADY_MADE, form_key, made_from
from jxjy.core.inputs import bounded_int, bounded_ints
from jxjy.core.listing import owner_list
from jxjy.core.lookups import get_or_404
from jxjy.core.paging import page_of
from jxjy.core.permissions import require
from jxjy.core.stale import stale_edit
from jxjy.filings.models import ScopeItem
from jxjy.review import engine

from . import seats, services
from .forms import PackageFormSet, RegistrationForm, TrainingClassForm
from .models import ClassSpecialty, ClassStatus, Registration, TrainingClass
from .models import RegistrationStatus as R
from .selectors import (
    access_registration,
    access_training_class,
    classes_visible_to,
    registrations_visible_to,
    with_seats_taken,
)

NO_CLASS_MESSAGE = gettext_lazy("根据您的选择的报名专业，暂未找到开始报名的继续教育基地")


# ---- 培训信息管理 (base) ----


@login_required
def class_list(request):
    require(request.user, "trainings.manage")
    classes = with_seats_taken(classes_visible_to(request.user))
    found = owner_list(request, classes, keyword_fields=["pre_filing__class_name"], statuses=ClassStatus.choices,
                       year_field="pre_filing__year")  # fmt: skip
    return render(request, "trainings/class_list.html", found)


def _write_class(form: TrainingClassForm, package):
    def apply(c: TrainingClass) -> None:
        form.instance = c
        c.years = sorted(form.cleaned_data["years"], reverse=True)
        c.years_start = min(c.years)
        form.save()
        c.specialties.all().delete()
        ClassSpecialty.objects.bulk_create(
            ClassSpecialty(training_class=c, specialty_id=i.specialty_id, level_id=i.level_id)
            for i in form.cleaned_data["scope_items"]
        )
        package.instance = c
        package.save()
        if not c.has_package:
            c.package_courses.all().delete()

    return apply


def _from_filing(request) -> dict:
    """学时认定 → 发布报名 arrives with its filing (?pre_filing=<id>): chosen, with its whole scope."""
    filing_id = bounded_int(request.GET, "pre_filing")
    if filing_id is None:
        return {}
    scope = ScopeItem.objects.filter(filing_id=filing_id, filing__base=request.user.organisation)
    return {"pre_filing": filing_id, "scope_items": list(scope.values_list("pk", flat=True))}


@login_required
def class_edit(request, pk: int | None = None):
    """新增 / 修改 培训信息; 确定 saves (提交 is on the list and details)."""
    require(request.user, "trainings.manage")
    if pk is None:
        c = services.new_class(actor=request.user)
    else:
        c = access_training_class(request.user, pk)
        if not c.is_editable:
            messages.error(request, _("该培训信息已提交，当前不可修改。"))
            return redirect("trainings:class_detail", pk=c.pk)
    base = request.user.organisation
    form = TrainingClassForm(request.POST or None, instance=c, base=base, initial=_from_filing(request))
    package = PackageFormSet(request.POST or None, instance=c, prefix="package")
    stale = stale_edit(request, c, form) if request.method == "POST" else None
    valid = request.method == "POST" and form.is_valid() and package.is_valid() and stale is None
    if valid and (saved := _save_class(request, c, form, package, pk)):
        return saved
    chosen = {str(v) for v in (form["scope_items"].value() or [])}
    scope_items = [(item, str(item.pk) in chosen) for item in form.fields["scope_items"].queryset]
    return render(
        request,
        "trainings/class_form.html",
        {"form": form, "package": package, "training_class": c, "scope_items": scope_items, "stale": stale},
    )


def _save_class(request, c: TrainingClass, form: TrainingClassForm, package, pk: int | None):
    """确定: saved, the redirect; refused, None and the messages are on the form (a new class unsaved again).
    The same 新增 page sent again (a double click, a replay) leads to the class it made."""
    if pk is None:
        if made_from(TrainingClass.objects.filter(base_id=c.base_id), request) is not None:
            messages.info(request, ALREADY_MADE)
            return redirect("trainings:class_list")
        c.form_key = form_key(request)
    try:
        services.save_class(c, actor=request.user, apply_changes=_write_class(form, package))
    except IntegrityError:
        if pk is None and made_from(TrainingClass.objects.filter(base_id=c.base_id), request) is not None:
            messages.info(request, ALREADY_MADE)  # sent twice at once: the other one saved it
            return redirect("trainings:class_list")
        raise
    except NotEditable as e:
        messages.error(request, e.message)
        return redirect("trainings:class_detail", pk=pk)
    except DomainError as e:
        show_on_form(form, e)
        if pk is None:
            c.pk = None
        return None
    messages.success(request, _("保存成功。请在列表中点击“提交”送审。"))
    return redirect("trainings:class_list")


@login_required
def class_detail(request, pk: int):
    c = get_or_404(with_seats_taken(classes_visible_to(request.user)), pk, _("培训信息"))
    moves = c.workflow.available(c, request.user)
    return render(
        request,
        "trainings/class_detail.html",
        {
            "c": c,
            "log": engine.log_for(c),
            "moves": [t for t in moves if not t.opinion_required],
            "opinion_moves": [t for t in moves if t.opinion_required],
            "is_owner": request.user.organisation_id == c.base_id,
        },
    )


@login_required
@require_POST
def class_publish(request, pk: int, publish: bool):
    require(request.user, "trainings.manage")
    c = access_training_class(request.user, pk)
    try:
        services.set_published(c, actor=request.user, published=publish)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已开启报名，学员现在可以报名。") if publish else _("已关闭报名。"))
    return redirect("trainings:class_list")


# ---- 学员报名审核 (base) ----


@login_required
def registration_review_list(request):
    require(request.user, "trainings.manage")
    classes = classes_visible_to(request.user).filter(submitted_at__isnull=False).order_by("-created_at")
    qs = seats.with_waiting_place(registrations_visible_to(request.user)).order_by("-submitted_at", "-id")
    if (class_id := bounded_int(request.GET, "class")) is not None:
        qs = qs.filter(training_class_id=class_id)
    status = request.GET.get("status", R.SUBMITTED)
    if status:
        qs = qs.filter(status=status)
    if status == R.WAITING:
        # 候补 is shown in its one order, the order of joining: the base sees the line and cannot reorder it.
        qs = qs.order_by("training_class_id", "queue_seq")
    page = page_of(qs, request, 50)
    statuses = [(v, label) for v, label in R.choices if v not in (R.DRAFT,)]
    return render(
        request,
        "trainings/registration_review_list.html",
        {"page": page, "classes": classes, "statuses": statuses, "query": request.GET, "status": status},
    )


@login_required
@require_POST
def registration_batch_approve(request):
    """Pass several registrations together; each is its own move with its own audit entry."""
    require(request.user, "trainings.manage")
    outcome = services.approve_registrations(bounded_ints(request.POST, "ids"), actor=request.user)
    if outcome.passed:
        messages.success(request, (_("已通过%(passed)s条报名。") % {"passed": outcome.passed}))
    for text in outcome.refused:
        messages.error(request, text)
    if not outcome.passed and not outcome.refused:
        messages.error(request, _("请先勾选待审核的报名。"))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("trainings:registration_review")


# ---- 继续教育专业课 (learner) ----


def _learner(request):
    require(request.user, "trainings.register")
    return request.user.learner


# What 继续教育专业课 shows of each registration (the learner's own record is not read for it).
MY_REGISTRATIONS_JOINED = ("training_class__pre_filing", "training_class__base", "specialty__series", "level")
MY_REGISTRATIONS_SHOWN = ("pk", "status", "year", "queue_seq", "training_class__pre_filing__class_name",
                          "training_class__base__name", "specialty__name", "specialty__series__name",
                          "level__name")  # fmt: skip


@login_required
def my_registrations(request):
    _learner(request)
    returned = audit.entries_of_outer(Registration).filter(state_after=R.RETURNED).order_by("-id")
    regs = list(
        registrations_visible_to(request.user)
        .select_related(None)
        .select_related(*MY_REGISTRATIONS_JOINED)
        .only(*MY_REGISTRATIONS_SHOWN)
        .annotate(last_opinion=Subquery(returned.values("opinion")[:1]))
        .order_by("-created_at", "-id")
    )
    seats.set_waiting_places(regs)
    return render(request, "trainings/my_registrations.html", {"registrations": regs})


@login_required
def register_step1(request):
    """我要报名 ① 选择报名专业 (系列 → 专业 → 级别)."""
    _learner(request)
    series = Series.objects.filter(is_active=True).prefetch_related("specialties", "levels")
    catalogue = [
        {
            "id": s.pk, "name": s.shown,
            "specialties": [{"id": sp.pk, "name": sp.shown} for sp in s.specialties.all() if sp.is_active],
            "levels": [{"id": lv.pk, "name": lv.shown} for lv in s.levels.all() if lv.is_active],
        }
        for s in series
    ]  # fmt: skip
    return render(request, "trainings/register_step1.html", {"catalogue": catalogue, "query": request.GET})


def _chosen_specialty(request):
    specialty_id, level_id = bounded_int(request.GET, "specialty"), bounded_int(request.GET, "level")
    try:
        specialty = Specialty.objects.select_related("series").get(pk=specialty_id)
        level = Level.objects.get(pk=level_id, series_id=specialty.series_id)
    except (Specialty.DoesNotExist, Level.DoesNotExist):
        return None, None
    return specialty, level


@login_required
def register_step2(request):
    """② the bases whose published class is open now for that specialty."""
    _learner(request)
    specialty, level = _chosen_specialty(request)
    if specialty is None:
        messages.error(request, _("请选择报名专业（含级别）。"))
        return redirect("trainings:register")
    classes = list(services.open_classes_for(specialty_id=specialty.pk, level_id=level.pk))
    for c in classes:
        # A full class is still offered: step ③ then puts the learner on its waiting list (候补).
        c.seats_left = seats.seats_free(c)
        c.waiting_count = seats.waiting(c.pk).count() if c.seats_left == 0 else 0
    return render(
        request,
        "trainings/register_step2.html",
        {"classes": classes, "specialty": specialty, "level": level, "no_class_message": NO_CLASS_MESSAGE},
    )


@login_required
def register_step3(request, class_pk: int):
    """③ 填写个人报名信息 → 保存."""
    learner = _learner(request)
    specialty, level = _chosen_specialty(request)
    c = get_or_404(TrainingClass.objects.select_related("base", "pre_filing"), class_pk, _("培训班"))
    if specialty is None or not c.is_open():
        messages.error(request, _("该培训班当前未开放报名，请重新选择。"))
        return redirect("trainings:register")
    form = RegistrationForm(
        request.POST or None, training_class=c, initial={"work_unit": learner.work_unit, "year": c.years[0]}
    )
    valid = request.method == "POST" and form.is_valid()
    if valid and (saved := _start_registration(request, learner, c, specialty, level, form)):
        return saved
    return render(
        request,
        "trainings/register_step3.html",
        {"form": form, "c": c, "learner": learner, "specialty": specialty, "level": level,
         "is_full": seats.seats_free(c) == 0},
    )  # fmt: skip


def _start_registration(request, learner, c: TrainingClass, specialty, level, form: RegistrationForm):
    """保存 (and 加入候补 when asked): the next page; refused, None and the message is on the form."""
    try:
        reg = services.start_registration(
            learner=learner, training_class=c, specialty_id=specialty.pk, level_id=level.pk,
            details=form.details(), package_course_ids=form.course_ids(),
        )  # fmt: skip
    except DomainError as e:
        show_on_form(form, e)
        return None
    if request.POST.get("then") == "wait":
        return _join_waiting(request, reg)
    messages.success(request, _("报名信息已保存。请核对后点击“提交”，等待培训机构审核。"))
    return redirect("trainings:registration_detail", pk=reg.pk)


@login_required
def registration_detail(request, pk: int):
    reg = access_registration(request.user, pk)
    moves = reg.workflow.available(reg, request.user)
    deadline_passed = reg.status == R.RETURNED and reg.training_class.resubmit_deadline < clock.now()
    return render(
        request,
        "trainings/registration_detail.html",
        {
            "reg": reg,
            "waiting_place": seats.waiting_place(reg),
            "is_full": reg.status == R.DRAFT and seats.seats_free(reg.training_class) == 0,
            "log": engine.log_for(reg),
            "moves": [t for t in moves if not t.opinion_required],
            "opinion_moves": [t for t in moves if t.opinion_required],
            "can_edit": is_learner(request.user) and reg.is_editable and not deadline_passed,
            "deadline_passed": deadline_passed,
        },
    )


@login_required
def registration_edit(request, pk: int):
    """修改 a saved or returned registration (the learner)."""
    _learner(request)
    reg = access_registration(request.user, pk)
    c = reg.training_class
    form = RegistrationForm(request.POST or None, instance=reg, training_class=c)
    stale = stale_edit(request, reg, form) if request.method == "POST" else None
    if request.method == "POST" and form.is_valid() and stale is None:
        try:
            services.update_registration(
                reg, actor=request.user, details=form.details(), package_course_ids=form.course_ids()
            )
        except DomainError as e:
            show_on_form(form, e)
        else:
            messages.success(request, _("报名信息已保存。"))
            return redirect("trainings:registration_detail", pk=reg.pk)
    elif not reg.is_editable:
        messages.error(request, _("该报名已提交，当前不可修改。"))
        return redirect("trainings:registration_detail", pk=reg.pk)
    return render(request, "trainings/register_step3.html", {"form": form, "c": c, "learner": reg.learner,
                  "specialty": reg.specialty, "level": reg.level, "reg": reg, "stale": stale})  # fmt: skip


@login_required
@require_POST
def registration_submit(request, pk: int):
    """提交 (the learner): the seat is taken here, under the class's lock."""
    # Only whether the user may see it: the move reads the row and what it needs under its lock.
    reg = get_or_404(registrations_visible_to(request.user).select_related(None).only("pk"), pk, _("报名"))
    try:
        services.submit_registration(reg, actor=request.user)
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("报名已提交，请等待培训机构（基地）审核。"))
    return redirect("trainings:registration_detail", pk=pk)


def _join_waiting(request, reg: Registration):
    try:
        reg = services.join_waiting_list(reg, actor=request.user)
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        if reg.status == R.WAITING:
            messages.success(
                request,
                (
                    _("已加入候补，当前为候补第 %(waiting_place)s 位。有名额空出时将按顺序自动递补。")
                    % {"waiting_place": seats.waiting_place(reg)}
                ),
            )
        else:
            messages.success(request, _("该培训班尚有名额，报名已直接提交，请等待培训机构（基地）审核。"))
    return redirect("trainings:registration_detail", pk=reg.pk)


@login_required
@require_POST
def registration_wait(request, pk: int):
    """加入候补 (the learner): a saved registration of a full class joins the back of the line."""
    _learner(request)
    return _join_waiting(request, access_registration(request.user, pk))


@login_required
@require_POST
def registration_withdraw(request, pk: int):
    """撤回 (the learner): leave the waiting list, or give up the seat, which goes to the first in line."""
    _learner(request)
    reg = access_registration(request.user, pk)
    try:
        services.withdraw_registration(reg, actor=request.user)
    except engine.ReviewPermissionDenied as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("报名已撤回。"))
    return redirect("trainings:registration_detail", pk=pk)


@login_required
@require_POST
def registration_delete(request, pk: int):
    """删除 (the learner): a saved registration that was never submitted."""
    _learner(request)
    reg = access_registration(request.user, pk)
    try:
        services.delete_draft(reg, actor=request.user)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("trainings:registration_detail", pk=pk)
    messages.success(request, _("报名已删除。"))
    return redirect("trainings:my_registrations")
