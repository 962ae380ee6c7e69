from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxjy.core import clock
from jxjy.core.identity import hours_text
from jxjy.filings.models import PreFiling
from jxjy.filings.models import PreFilingStatus as FS

from .models import CompletionFiling
from .services import approved_registrations_count, classes_for_completion


def _label(c) -> str:
    """A class as step ① offers it, with its registration window in Asia/Shanghai dates (the stored instants
    are UTC: a window opening at 00:20 on 1 January would otherwise read 31 December)."""
    start, end = localdate(c.reg_start), localdate(c.reg_end)
    return _("%(class_name)s（报名 %(start)s 至 %(end)s）") % {
        "class_name": c.pre_filing.class_name,
        "start": format(start, "%Y-%m-%d"),
        "end": format(end, "%Y-%m-%d"),
    }


class ClassSelect(forms.Select):
    """培训信息 of step ①: each option names its 培训前备案 (data-parent), and the page offers only the chosen
    filing's classes (static/js/app.js, select[data-follows]); the form checks the pair again."""

    def __init__(self, parents: dict[str, str]):
        super().__init__(attrs={"data-follows": "pre_filing"})
        self.parents = parents

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.parents:
            option["attrs"]["data-parent"] = self.parents[str(value)]
        return option


class ChooseClassForm(forms.Form):
    """① 选择培训信息."""

    name = forms.CharField(label=gettext_lazy("培训后备案名称"), max_length=50)
    year = forms.TypedChoiceField(label=gettext_lazy("备案年度"), coerce=int)
    pre_filing = forms.ModelChoiceField(label=gettext_lazy("培训前备案"), queryset=PreFiling.objects.none(),
                                        empty_label=gettext_lazy("请选择培训前备案"))  # fmt: skip
    training_class = forms.ChoiceField(label=gettext_lazy("培训信息"))

    def __init__(self, *args, base, **kwargs):
        super().__init__(*args, **kwargs)
        this = clock.this_year()
        self.fields["year"].choices = [(y, (_("%(y)s年") % {"y": y})) for y in range(this, this - 3, -1)]
        self.fields["pre_filing"].queryset = PreFiling.objects.filter(base=base, status=FS.APPROVED).order_by("-id")
        self.classes = list(classes_for_completion(base))
        self.fields["training_class"].choices = [("", _("请选择培训信息"))] + [(c.pk, _label(c)) for c in self.classes]
        self.fields["training_class"].widget = ClassSelect({str(c.pk): str(c.pre_filing_id) for c in self.classes})
        self.fields["training_class"].widget.choices = self.fields["training_class"].choices
        for field in self.fields.values():
            field.error_messages["required"] = _("%(label)s不能为空") % {"label": field.label}

    def clean(self):
        data = super().clean()
        filing, class_id = data.get("pre_filing"), data.get("training_class")
        chosen = next((c for c in self.classes if str(c.pk) == str(class_id)), None)
        if class_id and chosen is None:
            self.add_error("training_class", _("请选择审核通过的培训信息"))
        elif chosen and filing and chosen.pre_filing_id != filing.pk:
            self.add_error("training_class", _("培训信息须属于所选的培训前备案"))
        data["class_obj"] = chosen
        return data


class DetailsForm(forms.ModelForm):
    """② 填写备案."""

    class Meta:
        model = CompletionFiling
        fields = ["actual_start", "actual_end", "actual_hours", "trained_count", "summary"]
        widgets = {
            "actual_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "actual_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
            field.error_messages["required"] = _("%(label)s不能为空") % {"label": field.label}
        approved = self.instance.training_class.pre_filing.total_hours
        self.fields["actual_hours"].widget.attrs.update(min="0.5", max=hours_text(approved), step="0.5")
        self.fields["actual_hours"].help_text = _("不超过培训前备案批准的总学时 %(hours_text)s 学时") % {
            "hours_text": hours_text(approved)
        }
        learners = approved_registrations_count(self.instance.training_class)
        self.fields["trained_count"].widget.attrs.update(min=0)
        self.fields["trained_count"].help_text = _("本班审核通过的学员 %(learners)s 人") % {"learners": learners}


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=gettext_lazy("成绩"), min_value=0, max_value=100, decimal_places=1)
    passed = forms.TypedChoiceField(
        label=gettext_lazy("是否合格"),
        choices=[("1", gettext_lazy("合格")), ("0", gettext_lazy("不合格"))],
        coerce=lambda v: v == "1",
    )
    remark = forms.CharField(label=gettext_lazy("备注"), max_length=100, required=False)


class ScoresUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("成绩文件"), error_messages={"required": gettext_lazy("请选择要导入的成绩文件")}
    )
