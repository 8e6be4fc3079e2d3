"""Forums 议事平台, meetings and the monthly musts 三必做 on the demo street.

For the first two base communities, through forums.services as a worker would: a forum of every
kind (同心议事会, 业委会沙龙, 居委会下属委员会, 三驾马车联席会议) with members (residents, the
worker, named representatives of the owners' committee and the property company), and a
street-level 物业联盟 with the street admin; meetings held in past months with minutes,
attendance and decisions linked to the community's demo topics (some followed up), one
cancelled with its reason and one scheduled. The monthly musts for the last six months (the
current one still running) of every community a demo worker or the street admin writes for,
some linked to the held meetings, with one missed month per community so the flag shows.

The services stamp "now"; a demo needs a past, so right after a call the rows it wrote are
moved back with queryset `update()` (as the board's demo does).
"""

import datetime
import random
from collections import Counter

from django.utils import timezone

from forums import services
from forums.models import (
    Decision,
    Forum,
    ForumEvent,
    Meeting,
    MeetingEvent,
    MustKind,
    Represents,
)
from forums.selectors import month_key, musts_status
from proposals.models import Topic
from residents.models import Resident

from .. import data

KINDS = [
    (Forum.Kind.COUNCIL, "同心议事会"),
    (Forum.Kind.OWNERS_SALON, "业委会沙龙"),
    (Forum.Kind.SUB_COMMITTEE, "居委会环境和物业管理委员会"),
    (Forum.Kind.JOINT_MEETING, "三驾马车联席会议"),
]
AGENDAS = {
    Forum.Kind.COUNCIL: ("加装电梯意见协调", "楼道堆物清理方案", "停车位划线与收费"),
    Forum.Kind.OWNERS_SALON: ("维修资金使用说明", "业主大会筹备", "物业服务满意度"),
    Forum.Kind.SUB_COMMITTEE: ("垃圾分类督导排班", "绿化补种计划", "雨季排水隐患"),
    Forum.Kind.JOINT_MEETING: ("物业费调整听证", "电梯维保合同续签", "消防通道整治"),
    Forum.Kind.PROPERTY_ALLIANCE: ("各小区物业服务标准对标", "联合应急演练"),
}
MUST_TITLES = {
    MustKind.MORAL_REVIEW: "身边好人好事道德评议",
    MustKind.DELIBERATION: "居民议事会",
    MustKind.POLICY_TALK: "民法典进社区宣讲",
}


def build_forums(built, *, seed) -> dict:
    return ForumsBuilder(built, seed=seed).build()


class ForumsBuilder:
    def __init__(self, built, *, seed):
        self.built = built
        self.rng = random.Random(seed + 17)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.street_admin = built.users["street_admin"]
        self.communities = [c for c, _s, _r in built.communities[: len(data.BASE_COMMUNITIES)]]

    def build(self) -> dict:
        meetings = []
        for community in self.communities[:2]:
            meetings += self._community_forums(community)
        meetings += self._street_alliance()
        self._cancel_and_schedule(meetings)
        musts = self._musts()
        streets = self.built.streets
        forums = Forum.objects.filter(street__in=streets)
        all_meetings = Meeting.objects.filter(forum__in=forums)
        communities = [c for c, _s, _r in self.built.communities]
        months = [month_key(m) for m in self._months()[:-1]]  # ended months only
        statuses = musts_status(communities, months, now=self.now)
        return {
            "forums": dict(Counter(f.kind for f in forums)),
            "forum_meetings": dict(Counter(all_meetings.values_list("status", flat=True))),
            "forum_decisions": Decision.objects.filter(meeting__in=all_meetings).count(),
            "forum_topic_decisions": Decision.objects.filter(
                meeting__in=all_meetings, topic__isnull=False
            ).count(),
            "musts_recorded": musts,
            "musts_missed_months": sum(1 for s in statuses.values() if s.missed),
        }

    # -- helpers ------------------------------------------------------------------------------

    def _worker(self, community):
        return self.built.workers.get(community.pk) or (
            self.street_admin if community.street_id == self.built.streets[0].pk else None
        )

    def _months(self) -> list[datetime.date]:
        """The first days of the last six months, the current one last."""
        day = self.today.replace(day=1)
        months = [day]
        for _i in range(5):
            day = (day - datetime.timedelta(days=1)).replace(day=1)
            months.append(day)
        return list(reversed(months))

    def _residents(self, community, n):
        rows = list(
            Resident.objects.filter(community=community, status=Resident.Status.LIVING).order_by(
                "pk"
            )[:60]
        )
        return self.rng.sample(rows, min(n, len(rows)))

    def _backdate_forum(self, forum, on):
        Forum.objects.filter(pk=forum.pk).update(established_on=on)
        forum.members.update(joined_on=on)
        at = datetime.datetime.combine(on, datetime.time(9), tzinfo=timezone.get_current_timezone())
        ForumEvent.objects.filter(forum=forum).update(at=at)
        forum.refresh_from_db()

    # -- forums -------------------------------------------------------------------------------

    def _community_forums(self, community):
        worker = self._worker(community)
        base = community.name.removesuffix("居民区")
        topics = list(Topic.objects.filter(community=community).order_by("pk")[:12])
        established = self.today - datetime.timedelta(days=400)
        meetings = []
        for kind, label in KINDS:
            forum = services.forum_create(
                actor=worker,
                community=community,
                kind=kind,
                name=f"{base}{label}",
                description=f"{base}的{label}，每月议事。",
                established_on=self.today,
            )
            services.forum_member_add(
                actor=worker,
                forum=forum,
                account=worker,
                role="chair",
                represents=Represents.NEIGHBOURHOOD_COMMITTEE,
            )
            for resident in self._residents(community, 4):
                services.forum_member_add(
                    actor=worker, forum=forum, resident=resident, represents=Represents.RESIDENTS
                )
            if kind in (Forum.Kind.JOINT_MEETING, Forum.Kind.OWNERS_SALON):
                services.forum_member_add(
                    actor=worker,
                    forum=forum,
                    name="业委会 " + self.rng.choice(data.SURNAMES) + "主任",
                    organisation=f"{base}业主委员会",
                    role="vice_chair",
                    represents=Represents.OWNERS_COMMITTEE,
                )
            if kind == Forum.Kind.JOINT_MEETING:
                services.forum_member_add(
                    actor=worker,
                    forum=forum,
                    name=self.rng.choice(data.SURNAMES) + "经理",
                    organisation=f"{base}物业服务中心",
                    represents=Represents.PROPERTY_COMPANY,
                )
            self._backdate_forum(forum, established)
            meetings += self._held_meetings(forum, worker, topics)
        return meetings

    def _street_alliance(self):
        street = self.built.streets[0]
        forum = services.forum_create(
            actor=self.street_admin,
            street=street,
            kind=Forum.Kind.PROPERTY_ALLIANCE,
            name=f"{street.name}物业联盟",
            description="街道内各物业服务企业的联盟，季度例会。",
            established_on=self.today,
        )
        services.forum_member_add(
            actor=self.street_admin,
            forum=forum,
            account=self.street_admin,
            role="chair",
            represents=Represents.OTHER,
        )
        for n, community in enumerate(self.communities[:4], 1):
            services.forum_member_add(
                actor=self.street_admin,
                forum=forum,
                name=self.rng.choice(data.SURNAMES) + "经理",
                organisation=community.name.removesuffix("居民区") + "物业",
                represents=Represents.PROPERTY_COMPANY,
                role="member" if n > 1 else "secretary",
            )
        self._backdate_forum(forum, self.today - datetime.timedelta(days=300))
        return self._held_meetings(forum, self.street_admin, [], count=2)

    def _held_meetings(self, forum, actor, topics, count=3):
        made = []
        agendas = AGENDAS[forum.kind]
        for n in range(count):
            days_ago = 20 + 35 * (count - 1 - n) + self.rng.randint(0, 6)
            held_at = self.now - datetime.timedelta(days=days_ago, hours=self.rng.randint(0, 5))
            agenda = agendas[n % len(agendas)]
            meeting = services.meeting_create(
                actor=actor,
                forum=forum,
                title=f"{forum.name}：{agenda}",
                held_at=held_at,
                place=f"{forum.community.name if forum.community else forum.street.name}会议室",
                agenda=f"1. {agenda}；2. 上次决定落实情况通报。",
            )
            members = list(forum.members.filter(left_on__isnull=True))
            present = [m for m in members if self.rng.random() < 0.8] or members[:1]
            at_table = {m.represents for m in present}
            guests = []
            if forum.kind == Forum.Kind.JOINT_MEETING:
                # The three bodies must sit at the table.
                present = [
                    m for m in members if m.represents != Represents.RESIDENTS or m in present
                ]
            elif Represents.PROPERTY_COMPANY not in at_table and self.rng.random() < 0.5:
                guests.append({"name": "物业项目经理", "represents": Represents.PROPERTY_COMPANY})
            decisions = [{"text": f"就“{agenda}”形成意见，由居委会牵头落实。", "topic": None}]
            if topics:
                topic = topics.pop(0)
                decisions.append(
                    {"text": f"议题“{topic.title}”提交议事会讨论后推进。", "topic": topic}
                )
            services.meeting_hold(
                actor=actor,
                meeting=meeting,
                minutes=f"<p>会议围绕“{agenda}”进行讨论。</p><p>与会人员充分发表意见，形成决定如下。</p>",
                present_members=present,
                guests=guests,
                decisions=decisions,
            )
            Meeting.objects.filter(pk=meeting.pk).update(
                created_at=held_at - datetime.timedelta(days=7),
                minutes_recorded_at=held_at + datetime.timedelta(hours=3),
            )
            MeetingEvent.objects.filter(meeting=meeting, verb="schedule").update(
                at=held_at - datetime.timedelta(days=7)
            )
            MeetingEvent.objects.filter(meeting=meeting, verb="hold").update(
                at=held_at + datetime.timedelta(hours=3)
            )
            if n < count - 1:
                for decision in meeting.decisions.all():
                    services.decision_follow_up(
                        actor=actor,
                        decision=decision,
                        follow_up=self.rng.choice(
                            [Decision.FollowUp.DONE, Decision.FollowUp.IN_PROGRESS]
                        ),
                        note="已按决定推进。",
                    )
            made.append(meeting)
        return made

    def _cancel_and_schedule(self, meetings):
        forum = meetings[0].forum
        actor = self._worker(forum.community)
        cancelled = services.meeting_create(
            actor=actor,
            forum=forum,
            title=f"{forum.name}：夏季纳凉点安排",
            held_at=self.now - datetime.timedelta(days=10),
            place=f"{forum.community.name}会议室",
            agenda="1. 纳凉点开放时间；2. 志愿者排班。",
        )
        services.meeting_cancel(actor=actor, meeting=cancelled, reason="台风预警，改期另行通知。")
        services.meeting_create(
            actor=actor,
            forum=forum,
            title=f"{forum.name}：{AGENDAS[forum.kind][0]}（续）",
            held_at=self.now + datetime.timedelta(days=6, hours=2),
            place=f"{forum.community.name}会议室",
            agenda="1. 听取上次会议决定的落实情况；2. 讨论下一步方案。",
        )

    # -- the monthly musts ------------------------------------------------------------------

    def _musts(self) -> int:
        made = 0
        months = self._months()
        for index, (community, _style, _road) in enumerate(self.built.communities):
            worker = self._worker(community)
            if worker is None:
                continue
            held = list(
                Meeting.objects.held()
                .filter(forum__community=community, forum__kind=Forum.Kind.COUNCIL)
                .order_by("held_at")
            )
            # One ended month per community misses a kind (a different one each time).
            missed_month = months[index % (len(months) - 1)]
            missed_kind = MustKind.values[index % len(MustKind.values)]
            for month in months:
                current = month == months[-1]
                for k, kind in enumerate(MustKind.values):
                    if month == missed_month and kind == missed_kind:
                        continue
                    if current and k == 2:
                        continue  # the running month is not finished yet
                    day = month.replace(day=min(5 + 7 * k + self.rng.randint(0, 4), 27))
                    if day > self.today:
                        continue
                    meeting = None
                    if kind == MustKind.DELIBERATION:
                        meeting = next(
                            (
                                m
                                for m in held
                                if month_key(timezone.localdate(m.held_at)) == month_key(month)
                            ),
                            None,
                        )
                    services.must_record(
                        actor=worker,
                        community=community,
                        kind=kind,
                        held_on=timezone.localdate(meeting.held_at) if meeting else day,
                        title=MUST_TITLES[kind],
                        note="参与居民约 30 人。",
                        meeting=meeting,
                    )
                    made += 1
        return made


def summary_lines(extra) -> list[str]:
    """The summary's lines about forums and the monthly musts, for load_demo."""
    forums = extra.get("forums")
    if forums is None:
        return []
    kinds = ", ".join(f"{Forum.Kind(k).label} {forums.get(k, 0)}" for k in Forum.Kind.values)
    meetings = extra.get("forum_meetings", {})
    states = ", ".join(
        f"{Meeting.Status(s).label} {meetings.get(s, 0)}" for s in Meeting.Status.values
    )
    return [
        f"  议事平台 / forums ({sum(forums.values())}): {kinds}",
        f"  会议 / meetings ({sum(meetings.values())}): {states}",
        f"  会议决定 / decisions: {extra.get('forum_decisions', 0)}"
        f"（关联议题 / linked to topics {extra.get('forum_topic_decisions', 0)}）",
        f"  三必做活动 / monthly musts recorded: {extra.get('musts_recorded', 0)}，"
        f"缺项月份 / missed months: {extra.get('musts_missed_months', 0)}",
    ]
