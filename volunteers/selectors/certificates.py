"""The certificate of volunteer hours 志愿服务时长证明: what it states, read once for every
form it takes (the printable page, the Excel sheet, the resident's API).

Only approved attendance counts; a year, when asked for, is the calendar year of the activity's
start in Asia/Shanghai. The total is the sum of the listed rows, so the page can never state a
total that its own table does not add up to.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ..models import Attendance, VolunteerProfile


@dataclass
class CertificateRow:
    activity_id: int
    title: str
    place: str
    community: str
    team: str
    date: object  # datetime.date, local
    starts_at: object  # aware datetimes
    ends_at: object
    hours: Decimal


@dataclass
class Certificate:
    profile: VolunteerProfile
    name: str
    community: object  # grids.Community
    issuer: str
    year: int | None
    issued_on: object  # datetime.date, local
    rows: list = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((row.hours for row in self.rows), start=Decimal("0"))

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def first_date(self):
        return self.rows[0].date if self.rows else None

    @property
    def last_date(self):
        return self.rows[-1].date if self.rows else None


def _issuer(community) -> str:
    # The committee signs and seals it (its full name when the street recorded one).
    return community.committee_name or community.name


def certificates_for(profiles, *, year=None) -> list[Certificate]:
    """One certificate per profile (in the given order), with two queries whatever the count:
    the profiles' communities are expected loaded (select_related) by the caller's selector."""
    profiles = list(profiles)
    by_user = {p.user_id: [] for p in profiles}
    attendance = (
        Attendance.objects.filter(user_id__in=list(by_user), status=Attendance.Status.APPROVED)
        .select_related("activity__community", "activity__team")
        .order_by("activity__starts_at", "pk")
    )
    if year is not None:
        attendance = attendance.filter(activity__starts_at__year=year)
    for row in attendance:
        activity = row.activity
        by_user[row.user_id].append(
            CertificateRow(
                activity_id=activity.pk,
                title=activity.title,
                place=activity.place,
                community=activity.community.name,
                team=activity.team.name if activity.team_id else "",
                date=timezone.localtime(activity.starts_at).date(),
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                hours=row.hours or Decimal("0"),
            )
        )
    today = timezone.localdate()
    return [
        Certificate(
            profile=profile,
            name=profile.user.get_full_name(),
            community=profile.community,
            issuer=_issuer(profile.community),
            year=year,
            issued_on=today,
            rows=by_user[profile.user_id],
        )
        for profile in profiles
    ]


def certificate_for(profile, *, year=None) -> Certificate:
    return certificates_for([profile], year=year)[0]
