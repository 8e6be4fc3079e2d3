"""Figures of the forums app for the leaders' dashboards (raw counts, summable).

A fixed number of grouped queries whatever the number of communities: meetings held and joint
meetings held (one query), the musts done per month and kind (one query). Street-level forums
belong to no community and are not counted here.
"""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Forum, Meeting, MustActivity, MustKind
from .selectors import month_date, month_ended, month_key

FIGURES = [
    ("forum_meetings", _("议事会议"), _("期内召开（已记录纪要）的议事平台会议次数")),
    ("joint_meetings", _("三驾马车联席会议"), _("期内召开的三驾马车联席会议次数")),
    (
        "musts_done",
        _("三必做完成项"),
        _("期内各月已开展的三必做类别数（每个居民区每月每类计一次）"),
    ),
    (
        "musts_missed_months",
        _("三必做缺项月份"),
        _("期内已结束、且三类中至少缺一类的居民区月份数"),
    ),
]
KEYS = [key for key, _label, _definition in FIGURES]


def figures_by_community(*, communities, period, now) -> dict[int, dict[str, int]]:
    ids = list(communities.values_list("pk", flat=True))
    figures = {cid: dict.fromkeys(KEYS, 0) for cid in ids}
    meetings = (
        Meeting.objects.held_between(period.start, period.end)
        .filter(forum__community_id__in=ids)
        .values("forum__community_id")
        .annotate(
            n=Count("pk"),
            joint=Count("pk", filter=Q(forum__kind=Forum.Kind.JOINT_MEETING)),
        )
        .order_by()
    )
    for row in meetings:
        figures[row["forum__community_id"]]["forum_meetings"] = row["n"]
        figures[row["forum__community_id"]]["joint_meetings"] = row["joint"]

    months = period.months
    done = defaultdict(set)
    rows = (
        MustActivity.objects.filter(community_id__in=ids, month__in=[month_date(m) for m in months])
        .values("community_id", "month", "kind")
        .distinct()
        .order_by()
    )
    for row in rows:
        done[(row["community_id"], month_key(row["month"]))].add(row["kind"])
    ended = [m for m in months if month_ended(m, now)]
    all_kinds = set(MustKind.values)
    for cid in ids:
        figures[cid]["musts_done"] = sum(len(done[(cid, m)]) for m in months)
        figures[cid]["musts_missed_months"] = sum(
            1 for m in ended if not all_kinds <= done[(cid, m)]
        )
    return figures
