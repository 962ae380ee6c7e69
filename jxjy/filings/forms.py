"""The 申报表 form: fields, the scope picker and the three tables.

Two modes: 临时保存 (`strict=False`) stores whatever is typed that fits its column; 保存 and 提交
(`strict=True`) also check formats here; the business rules are checked by the service.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.catalog.models import Level, Series, Specialty
from jxjy.core.identity import EMAIL_RE, POSTCODE_RE, normalize_mobile

from .models import Course, PreFiling, Teacher, Textbook
from .services import Content


def scope_choices() -> list[tuple[str, str]]:
    """Every valid (专业, 级别) pair as "specialty_id:level_id"; the level must be of the specialty's series."""
    levels: dict[int, list[Level]] = {}
    for level in Level.objects.filter(is_active=True):
        levels.setdefault(level.series_id, []).append(level)
    return [
        (f"{sp.pk}:{lv.pk}", f"{sp.series.shown} > {sp.shown} > {lv.shown}")
        for sp in Specialty.objects.filter(is_active=True, series__is_active=True).select_related("series")
        for lv in levels.get(sp.series_id, [])
    ]


def scope_tree(selected: list[str]) -> list[dict]:
    """The cascading picker's data: series → specialties → level checkboxes, with what is checked."""
    chosen = set(selected or [])
    tree = []
    for series in Series.objects.filter(is_active=True).prefetch_related("specialties", "levels"):
        levels = [lv for lv in series.levels.all() if lv.is_active]
        specialties = []
        for sp in series.specialties.all():
            if not sp.is_active:
                continue
            options = [
                {"value": f"{sp.pk}:{lv.pk}", "label": lv.name, "checked": f"{sp.pk}:{lv.pk}" in chosen}
                for lv in levels
            ]
            specialties.append(
                {"pk": sp.pk, "name": sp.name, "options": options, "checked": any(o["checked"] for o in options)}
            )
        tree.append(
            {
                "pk": series.pk,
                "name": series.shown,
                "specialties": specialties,
                "checked": any(sp["checked"] for sp in specialties),
            }
        )
    return tree


class PreFilingForm(forms.ModelForm):
    scope = forms.MultipleChoiceField(label=gettext_lazy("培训范围"), required=False)

    class Meta:
        model = PreFiling
        fields = PreFiling.FORM_FIELDS
        widgets = {
            "fill_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "fee_basis": forms.Textarea(attrs={"rows": 3}),
            "training_form": forms.RadioSelect,
            "subject_kind": forms.RadioSelect,
        }

    def __init__(self, *args, strict: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = strict
        self.fields["scope"].choices = scope_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["scope"] = [f"{i.specialty_id}:{i.level_id}" for i in self.instance.scope_items.all()]
        for name in ("training_form", "subject_kind"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        self.fields["total_hours"].widget.attrs.update(min="0.5", step="0.5")
        for name in ("leader_mobile", "contact_mobile"):
            # Let "+86 138-0013-8000" through the browser; the server normalises it to 11 digits.
            # The column's 11-character validator would refuse it first, so it goes too: _clean_mobile
            # decides, and the model still checks the normalised value.
            field = self.fields[name]
            field.max_length = 20
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.update(maxlength=20, inputmode="tel", **{"data-counter": 11})

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            raise ValidationError(_("请填写正确的年份"))
        return year

    def clean_total_hours(self):
        hours = self.cleaned_data.get("total_hours")
        if hours is not None and hours <= 0:
            raise ValidationError(_("总学时应大于0"))
        return hours

    def _clean_mobile(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return value
        try:
            return normalize_mobile(value)
        except ValidationError:
            if self.strict:
                raise
            if len(value) > 11:
                raise ValidationError(_("手机号最多11位数字")) from None
            return value

    def clean_leader_mobile(self):
        return self._clean_mobile("leader_mobile")

    def clean_contact_mobile(self):
        return self._clean_mobile("contact_mobile")

    def clean_email(self):
        value = self.cleaned_data.get("email", "").strip()
        if value and self.strict and not EMAIL_RE.fullmatch(value):
            raise ValidationError(_("请输入正确的邮箱地址"))
        return value

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "").strip()
        if value and self.strict and not POSTCODE_RE.fullmatch(value):
            raise ValidationError(_("邮编应为6位数字"))
        return value

    def scope_pairs(self) -> list[tuple[int, int]]:
        return [tuple(int(x) for x in v.split(":")) for v in self.cleaned_data.get("scope", [])]


class RowForm(forms.ModelForm):
    """A row of one of the three tables; 保存 needs every cell filled."""

    strict = False

    def clean(self):
        data = super().clean()
        if self.strict and not self.cleaned_data.get("DELETE"):
            for name in self._meta.fields:
                if data.get(name) in (None, ""):
                    self.add_error(
                        name,
                        (_("请填写%(get_field)s") % {"get_field": self._meta.model._meta.get_field(name).verbose_name}),
                    )
        hours = data.get("hours")
        if hours is not None and hours <= Decimal(0):
            self.add_error("hours", _("学时数应大于0"))
        return data


def _formset(model, fields, prefix):
    fs = inlineformset_factory(PreFiling, model, form=RowForm, fields=fields, extra=0, can_delete=True)
    fs.prefix_name = prefix
    return fs


CourseFormSet = _formset(Course, ["content", "hours"], "courses")
TeacherFormSet = _formset(Teacher, ["name", "education", "major", "title", "course"], "teachers")
TextbookFormSet = _formset(Textbook, ["name", "edition"], "textbooks")
FORMSETS = (("courses", CourseFormSet), ("teachers", TeacherFormSet), ("textbooks", TextbookFormSet))


def bind_formsets(data, instance: PreFiling, *, strict: bool) -> dict:
    result = {}
    for prefix, cls in FORMSETS:
        fs = cls(data, instance=instance, prefix=prefix) if data is not None else cls(instance=instance, prefix=prefix)
        for form in fs.forms:
            form.strict = strict
        result[prefix] = fs
    return result


class RecognitionForm(forms.ModelForm):
    """学时认定 申报: the class details the guide asks for (填写相关开班信息), the scope and the plan."""

    scope = forms.MultipleChoiceField(label=gettext_lazy("培训范围"), required=False)

    class Meta:
        model = PreFiling
        fields = ["class_name", "start_date", "end_date", "venue", "total_hours", "subject_kind", "planned_count"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "subject_kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["scope"] = [f"{i.specialty_id}:{i.level_id}" for i in self.instance.scope_items.all()]
        self.fields["subject_kind"].choices = [c for c in self.fields["subject_kind"].choices if c[0]]
        self.fields["total_hours"].widget.attrs.update(min="0.5", step="0.5")
        self.fields["planned_count"].widget.attrs.update(min=1)

    scope_pairs = PreFilingForm.scope_pairs


def content_of_form(form, formsets: dict | None, attachment_kinds: set[str]) -> Content:
    """What the bound form (and its tables) would make of the filing, for the completeness rules: what it
    refused is marked so, and the rules add to the form's messages instead of repeating them."""
    refused = set(form.errors)
    values = {name: form.cleaned_data.get(name) for name in form._meta.fields}
    tables = {}
    for prefix, fs in (formsets or {}).items():
        tables[prefix] = [
            {name: f.cleaned_data.get(name) for name in f._meta.fields} for f in _kept_rows(fs)
        ]  # fmt: skip
        if not fs.is_valid():
            refused.add(prefix)
    return Content(
        values=values, scope=bool(form.cleaned_data.get("scope")), tables=tables,
        attachment_kinds=attachment_kinds, refused=refused,
    )  # fmt: skip


def _kept_rows(fs) -> list:
    """The row forms a save of `fs` would keep: not deleted, and not a blank row added and left empty."""
    fs.is_valid()  # the rows are cleaned
    return [
        f
        for i, f in enumerate(fs.forms)
        if not f.cleaned_data.get("DELETE") and (i < fs.initial_form_count() or f.has_changed())
    ]
