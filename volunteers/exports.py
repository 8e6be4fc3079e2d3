"""Excel exports for workers: a volunteer's certificate of hours 志愿服务时长证明 and a service
team's yearly record. Only approved attendance counts; totals are summed in the database."""

import io
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import Activity, Attendance, TeamMembership
from .selectors.certificates import certificates_for

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)


def _times(n):
    return ngettext("%(n)s 次", "%(n)s 次", n) % {"n": n}


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def _sheet_title(text, used):
    # Sheet titles: at most 31 characters, unique within the workbook.
    base = "".join(c for c in str(text) if c not in "[]:*?/\\")[:28] or "sheet"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base}{n}"
    used.add(title)
    return title


def _to_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def volunteer_certificate_xlsx(profiles, *, year=None) -> bytes:
    """One sheet per volunteer: their approved service (in `year`, or all of it) and the total,
    ready to print and stamp by the community (the same figures as the printable page)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for certificate in certificates_for(profiles, year=year):
        sheet = workbook.create_sheet(_sheet_title(certificate.name, used))
        total = certificate.total_hours
        sheet.append([_("志愿服务时长证明")])
        sheet["A1"].font = TITLE_FONT
        sheet.append([_("姓名"), certificate.name])
        sheet.append([_("服务居民区"), str(certificate.community)])
        sheet.append([_("统计期间"), str(year) if year else _("全部")])
        sheet.append([])
        sheet.append([_("日期"), _("活动"), _("地点"), _("服务时长(小时)")])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in certificate.rows:
            sheet.append([_local(row.starts_at), row.title, row.place, row.hours])
        sheet.append([_("合计"), _times(certificate.count), "", total])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        sheet.append([])
        sheet.append(
            [
                _("兹证明 %(name)s 同志在本居民区累计参加志愿服务 %(hours)s 小时。")
                % {"name": certificate.name, "hours": total}
            ]
        )
        sheet.append(
            [
                _("出具单位"),
                str(certificate.community),
                _("出具日期"),
                certificate.issued_on.isoformat(),
            ]
        )
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 30
        sheet.column_dimensions["C"].width = 20
        sheet.column_dimensions["D"].width = 16
    return _to_bytes(workbook)


def team_year_record_xlsx(team, *, year) -> bytes:
    """A team's year: its activities (with participants and approved hours) and its members'
    hours in the team's activities."""
    workbook = Workbook()
    activities_sheet = workbook.active
    activities_sheet.title = _("活动")
    approved = Q(attendances__status=Attendance.Status.APPROVED)
    activities = list(
        Activity.objects.filter(team=team, starts_at__year=year)
        .exclude(status=Activity.Status.CANCELLED)
        .annotate(
            participants=Count("attendances", filter=approved),
            hours=Sum("attendances__hours", filter=approved),
        )
        .order_by("starts_at", "pk")
    )
    activities_sheet.append([_("%(team)s %(year)s 年度服务记录") % {"team": team, "year": year}])
    activities_sheet["A1"].font = TITLE_FONT
    activities_sheet.append([_("日期"), _("活动"), _("地点"), _("参加人数"), _("服务时长(小时)")])
    for cell in activities_sheet[2]:
        cell.font = BOLD
    total_hours, total_people = Decimal("0"), 0
    for activity in activities:
        hours = activity.hours or Decimal("0")
        total_hours += hours
        total_people += activity.participants
        activities_sheet.append(
            [
                _local(activity.starts_at),
                activity.title,
                activity.place,
                activity.participants,
                hours,
            ]
        )
    activities_sheet.append(
        [
            _("合计"),
            ngettext("%(n)s 次活动", "%(n)s 次活动", len(activities)) % {"n": len(activities)},
            "",
            total_people,
            total_hours,
        ]
    )
    for cell in activities_sheet[activities_sheet.max_row]:
        cell.font = BOLD

    members_sheet = workbook.create_sheet(_("成员"))
    members_sheet.append(
        [_("姓名"), _("加入日期"), _("退出日期"), _("参加次数"), _("服务时长(小时)")]
    )
    for cell in members_sheet[1]:
        cell.font = BOLD
    team_attendance = Q(
        profile__user__volunteer_attendances__status=Attendance.Status.APPROVED,
        profile__user__volunteer_attendances__activity__team=team,
        profile__user__volunteer_attendances__activity__starts_at__year=year,
    )
    memberships = (
        TeamMembership.objects.filter(team=team, joined_on__year__lte=year)
        .filter(Q(left_on__isnull=True) | Q(left_on__year__gte=year))
        .select_related("profile__user")
        .annotate(
            count=Count("profile__user__volunteer_attendances", filter=team_attendance),
            hours=Sum("profile__user__volunteer_attendances__hours", filter=team_attendance),
        )
        .order_by("joined_on", "pk")
    )
    for membership in memberships:
        members_sheet.append(
            [
                membership.profile.user.get_full_name(),
                membership.joined_on.isoformat(),
                membership.left_on.isoformat() if membership.left_on else "",
                membership.count,
                membership.hours or Decimal("0"),
            ]
        )
    for sheet in (activities_sheet, members_sheet):
        for column in "ABCDE":
            sheet.column_dimensions[column].width = 20
        sheet["A1"].alignment = Alignment(wrap_text=False)
    return _to_bytes(workbook)
