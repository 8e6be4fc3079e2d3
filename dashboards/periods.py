"""The period a dashboard covers: a month, a quarter, a year, or custom days.

Every period is a whole number of local days in Asia/Shanghai: `[start, end)` runs from local
midnight of the first day to local midnight after the last day, so a topic raised at 23:30 on
the last evening of a month (15:30 UTC) belongs to that month, as the community lived it.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A custom period is at most five years: the trend then has at most 60 monthly points.
MAX_CUSTOM_DAYS = 5 * 366
EARLIEST = datetime.date(2000, 1, 1)


class Kind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"
    ALL = (MONTH, QUARTER, YEAR, CUSTOM)


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: datetime.date
    last_day: datetime.date

    @property
    def start(self) -> datetime.datetime:
        """Local midnight of the first day (aware)."""
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime.datetime:
        """Local midnight after the last day (aware, exclusive)."""
        return datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
        )

    @property
    def years(self) -> range:
        return range(self.first_day.year, self.last_day.year + 1)

    @property
    def months(self) -> list[str]:
        """The months the period touches, as "YYYY-MM", in order."""
        months, year, month = [], self.first_day.year, self.first_day.month
        while (year, month) <= (self.last_day.year, self.last_day.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    @property
    def key(self) -> str:
        """The `date` parameter that names this period again (custom: the two days)."""
        d = self.first_day
        if self.kind == Kind.MONTH:
            return f"{d.year:04d}-{d.month:02d}"
        if self.kind == Kind.QUARTER:
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.kind == Kind.YEAR:
            return f"{d.year:04d}"
        return f"{d.isoformat()}_{self.last_day.isoformat()}"

    @property
    def label(self) -> str:
        d = self.first_day
        if self.kind == Kind.MONTH:
            return _("%(year)d年%(month)d月") % {"year": d.year, "month": d.month}
        if self.kind == Kind.QUARTER:
            return _("%(year)d年第%(quarter)d季度") % {
                "year": d.year,
                "quarter": (d.month - 1) // 3 + 1,
            }
        if self.kind == Kind.YEAR:
            return _("%(year)d年") % {"year": d.year}
        return _("%(first)s 至 %(last)s") % {
            "first": d.isoformat(),
            "last": self.last_day.isoformat(),
        }


class PeriodError(ValueError):
    """Bad period input; `fields` maps the query parameter to its message."""

    def __init__(self, fields):
        super().__init__(fields)
        self.fields = fields


def _month_end(year, month) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER_RE = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
YEAR_RE = re.compile(r"^(\d{4})$")


def parse_period(kind, date=None, date_from=None, date_to=None, *, today=None) -> Period:
    """A Period from the query parameters: `period` (`kind`) and `date`, or `from`/`to` for a
    custom period. `date` is "2026-11" for a month, "2026-Q4" for a quarter, "2026" for a
    year; left out, it is the current one (local today). Raises PeriodError."""
    today = today or timezone.localdate()
    kind = kind or Kind.MONTH
    if kind not in Kind.ALL:
        raise PeriodError({"period": _("期间须为 month、quarter、year 或 custom。")})
    if kind == Kind.CUSTOM:
        return _custom(date_from, date_to)
    if date in (None, ""):
        year, month = today.year, today.month
        if kind == Kind.MONTH:
            return _checked(Period(kind, datetime.date(year, month, 1), _month_end(year, month)))
        if kind == Kind.QUARTER:
            first = (month - 1) // 3 * 3 + 1
            return _checked(
                Period(kind, datetime.date(year, first, 1), _month_end(year, first + 2))
            )
        return _checked(Period(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    date = str(date).strip()
    if kind == Kind.MONTH:
        match = MONTH_RE.match(date)
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError({"date": _("月份格式应为 YYYY-MM，如 2026-11。")})
        year, month = int(match[1]), int(match[2])
        return _checked(Period(kind, datetime.date(year, month, 1), _month_end(year, month)))
    if kind == Kind.QUARTER:
        match = QUARTER_RE.match(date)
        if not match:
            raise PeriodError({"date": _("季度格式应为 YYYY-Qn，如 2026-Q4。")})
        year, first = int(match[1]), (int(match[2]) - 1) * 3 + 1
        return _checked(Period(kind, datetime.date(year, first, 1), _month_end(year, first + 2)))
    match = YEAR_RE.match(date)
    if not match:
        raise PeriodError({"date": _("年份格式应为 YYYY，如 2026。")})
    year = int(match[1])
    return _checked(Period(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31)))


def _day(value, field):
    if value in (None, ""):
        raise PeriodError({field: _("自定义期间须填写开始和结束日期。")})
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PeriodError({field: _("日期格式应为 YYYY-MM-DD。")}) from None


def _custom(date_from, date_to) -> Period:
    errors = {}
    days = {}
    for field, value in (("from", date_from), ("to", date_to)):
        try:
            days[field] = _day(value, field)
        except PeriodError as exc:
            errors.update(exc.fields)
    if errors:
        raise PeriodError(errors)
    if days["to"] < days["from"]:
        raise PeriodError({"to": _("结束日期不能早于开始日期。")})
    if (days["to"] - days["from"]).days >= MAX_CUSTOM_DAYS:
        raise PeriodError({"to": _("自定义期间最长五年。")})
    return _checked(Period(Kind.CUSTOM, days["from"], days["to"]))


def _checked(period: Period) -> Period:
    field = "from" if period.kind == Kind.CUSTOM else "date"
    if period.first_day < EARLIEST or period.last_day.year > 2100:
        raise PeriodError({field: _("期间须在 2000 年至 2100 年之间。")})
    return period
