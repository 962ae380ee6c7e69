"""Forms of 培训信息 (the base) and 学员报名 (the learner)."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.inputs import IdsChoiceField
from jxjy.filings.models import ScopeItem

from .models import PackageCourse, Registration, TrainingClass
from .services import approved_filings_for

DATETIME = {"type": "datetime-local"}
DT_FORMAT = "%Y-%m-%dT%H:%M"


def year_choices() -> list[tuple[int, str]]:
    """This year and the past five (make-up study), plus next year."""
    this = clock.this_year()
    return [(y, (_("%(y)s年") % {"y": y})) for y in range(this + 1, this - 6, -1)]


class TrainingClassForm(forms.ModelForm):
    scope_items = IdsChoiceField(
        label=gettext_lazy("培训专业"), queryset=ScopeItem.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请选择培训专业")},
    )  # fmt: skip
    years = forms.TypedMultipleChoiceField(
        label=gettext_lazy("年度范围"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请选择年度范围")},
    )
    has_package = forms.TypedChoiceField(
        label=gettext_lazy("是否选择课程包"),
        choices=[(False, gettext_lazy("否")), (True, gettext_lazy("是"))],
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
        initial=False,
    )

    class Meta:
        model = TrainingClass
        fields = [
            "pre_filing", "reg_start", "reg_end", "resubmit_deadline", "has_package", "seat_limit",
            "report_place", "class_place", "contact", "contact_phone", "notes",
        ]  # fmt: skip
        widgets = {
            "reg_start": forms.DateTimeInput(attrs=DATETIME, format=DT_FORMAT),
            "reg_end": forms.DateTimeInput(attrs=DATETIME, format=DT_FORMAT),
            "resubmit_deadline": forms.DateTimeInput(attrs=DATETIME, format=DT_FORMAT),
            "notes": forms.TextInput(),
        }

    def __init__(self, *args, base, **kwargs):
        super().__init__(*args, **kwargs)
        filings = approved_filings_for(base)
        self.fields["pre_filing"].queryset = filings
        self.fields["pre_filing"].empty_label = _("请选择审核通过的培训前备案")
        self.fields["pre_filing"].error_messages["required"] = _("请选择培训前备案")
        self.fields["scope_items"].queryset = ScopeItem.objects.filter(filing__in=filings).select_related(
            "specialty__series", "level", "filing"
        )
        self.fields["years"].choices = year_choices()
        self.fields["seat_limit"].widget.attrs.update(min=0, step=1)
        for name in ("reg_start", "reg_end", "resubmit_deadline"):
            self.fields[name].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if not self.is_bound:
            if self.instance.pk:
                self.initial["years"] = self.instance.years
                chosen = {(s.specialty_id, s.level_id) for s in self.instance.specialties.all()}
                self.initial["scope_items"] = [
                    i.pk for i in self.fields["scope_items"].queryset.filter(filing=self.instance.pre_filing_id)
                    if (i.specialty_id, i.level_id) in chosen
                ]  # fmt: skip
            else:
                self.initial["years"] = [clock.this_year()]
        for name, field in self.fields.items():
            if field.required and name not in ("scope_items", "years", "pre_filing"):
                field.error_messages["required"] = _("%(label)s不能为空") % {"label": field.label}

    def clean(self):
        data = super().clean()
        filing = data.get("pre_filing")
        items = data.get("scope_items") or []
        if filing and any(i.filing_id != filing.pk for i in items):
            self.add_error("scope_items", _("培训专业只能从所选培训前备案的培训范围中选择"))
        start, end, deadline = data.get("reg_start"), data.get("reg_end"), data.get("resubmit_deadline")
        if start and end and not start < end:
            self.add_error("reg_end", _("报名结束时间须晚于报名开始时间"))
        if end and deadline and not end < deadline:
            self.add_error("resubmit_deadline", _("退回再次提交截止时间须晚于报名结束时间"))
        return data


PackageFormSet = inlineformset_factory(
    TrainingClass, PackageCourse, fields=["name", "hours"], extra=0, can_delete=True,
    labels={"name": gettext_lazy("课程名称"), "hours": gettext_lazy("课时数")},
)  # fmt: skip


class RegistrationForm(forms.ModelForm):
    """Step 3 of 我要报名: personal information; 姓名, 身份证号, 手机号 come from the account."""

    year = forms.TypedChoiceField(label=gettext_lazy("参训年度"), coerce=int)
    package_courses = forms.ModelMultipleChoiceField(
        label=gettext_lazy("选择课程"),
        queryset=PackageCourse.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Registration
        fields = ["work_unit", "current_title", "year", "package_courses"]
        widgets = {"work_unit": forms.TextInput(attrs={"maxlength": 100})}

    def __init__(self, *args, training_class: TrainingClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (y, (_("%(y)s年") % {"y": y})) for y in sorted(training_class.years, reverse=True)
        ]
        self.fields["package_courses"].queryset = training_class.package_courses.all()
        if not training_class.has_package:
            del self.fields["package_courses"]
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = _("%(label)s不能为空") % {"label": field.label}

    def details(self) -> dict:
        d = self.cleaned_data
        return {"work_unit": d["work_unit"], "current_title": d["current_title"], "year": d["year"]}

    def course_ids(self) -> list[int]:
        return [c.pk for c in self.cleaned_data.get("package_courses", [])]
