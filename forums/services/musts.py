"""Recording the monthly musts 三必做."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Meeting, MustActivity, MustKind
from ._common import invalid, local_today, require, text


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def must_record(
    *,
    actor,
    community,
    kind: str,
    held_on: datetime.date,
    title: str,
    note: str = "",
    meeting=None,
    activity=None,
    topic=None,
) -> MustActivity:
    """A must is done by recording the activity that fulfilled it: a forum's held meeting, a
    volunteer activity or a topic's deliberation of the same community may be linked. Several
    activities of one kind in one month are all kept; the month counts as done once."""
    require(actor, "forums.record_must", community)
    if kind not in MustKind.values:
        raise invalid("kind", _("类别无效。"))
    if held_on is None:
        raise invalid("held_on", _("请填写开展日期。"))
    if held_on > local_today():
        raise invalid("held_on", _("开展日期不能晚于今天。"))
    if meeting is not None:
        # Re-read: the caller's copy may predate the meeting being held.
        meeting = Meeting.objects.select_related("forum").get(pk=meeting.pk)
        if meeting.forum.community_id != community.pk:
            raise invalid("meeting", _("关联会议须是本居民区议事平台的会议。"))
        if meeting.status != Meeting.Status.HELD:
            raise invalid("meeting", _("关联会议须已召开。"))
    if activity is not None and activity.community_id != community.pk:
        raise invalid("activity", _("关联志愿活动须属于本居民区。"))
    if topic is not None and topic.community_id != community.pk:
        raise invalid("topic", _("关联议题须属于本居民区。"))
    return MustActivity.objects.create(
        community=community,
        kind=kind,
        held_on=held_on,
        month=month_start(held_on),
        title=text(title, "title", max_length=100),
        note=text(note, "note", max_length=2000, required=False),
        meeting=meeting,
        activity=activity,
        topic=topic,
        recorded_by=actor,
    )
