"""The yearly ledger: 公需科目 and 专业科目 hours against the yearly requirement (DESIGN §6)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jxjy.accounts.models import Learner
from jxjy.catalog.models import SubjectKind
from jxjy.core.rules import rule

from .models import Credit

ZERO = Decimal(0)


def required_hours() -> tuple[Decimal, Decimal]:
    """(total, 专业科目) required a year; the share is rounded to 学时 tenths (0.6667 × 90 → 60.0)."""
    total = Decimal(rule("JXJY_YEARLY_HOURS"))
    professional = (total * Decimal(str(rule("JXJY_PROFESSIONAL_SHARE")))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return total, professional


@dataclass
class YearSummary:
    year: int
    public: Decimal = ZERO
    professional: Decimal = ZERO
    credits: list[Credit] = field(default_factory=list)
    # (total, 专业科目) required: read once per page, not once per figure shown.
    rules: tuple[Decimal, Decimal] = field(default_factory=required_hours)

    @property
    def total(self) -> Decimal:
        return self.public + self.professional

    @property
    def required(self) -> Decimal:
        return self.rules[0]

    @property
    def professional_required(self) -> Decimal:
        return self.rules[1]

    @property
    def met(self) -> bool:
        """达标: the yearly total and the 专业科目 share are both reached."""
        return self.total >= self.required and self.professional >= self.professional_required

    def percent(self, value: Decimal, of: Decimal) -> int:
        return min(100, int(value * 100 / of)) if of else 100

    @property
    def total_percent(self) -> int:
        return self.percent(self.total, self.required)

    @property
    def professional_percent(self) -> int:
        return self.percent(self.professional, self.professional_required)


def ledger(learner: Learner) -> list[YearSummary]:
    """Every year with credited hours, newest first; void credits (revoked certificates) don't count."""
    years: dict[int, YearSummary] = {}
    rules = required_hours()
    for credit in learner.credits.filter(is_void=False).select_related("certificate").order_by("-year", "-id"):
        summary = years.setdefault(credit.year, YearSummary(credit.year, rules=rules))
        summary.credits.append(credit)
        if credit.subject_kind == SubjectKind.PUBLIC:
            summary.public += credit.hours
        else:
            summary.professional += credit.hours
    return sorted(years.values(), key=lambda s: -s.year)


def year_summary(learner: Learner, year: int) -> YearSummary:
    return next((s for s in ledger(learner) if s.year == year), YearSummary(year))
