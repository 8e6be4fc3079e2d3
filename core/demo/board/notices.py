"""The demo's notices: street-wide and pinned, asking for acknowledgement (with reads and
acknowledgements), expired, scheduled, withdrawn with a reason, a draft."""

import datetime

from board import services
from board.models import Notice, NoticeAck, NoticeEvent, NoticeRead
from grids.models import Building, Compound

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)

FIRE_CHECK = (
    "<p>为做好冬季火灾防控工作，街道将于本月组织各居民区开展消防安全检查，重点检查楼道堆物、"
    "电动自行车违规停放充电和消防通道占用情况。</p>"
    "<ul><li>请居民自行清理楼道杂物；</li><li>电动自行车请到集中充电棚充电；</li>"
    "<li>发现隐患可拨打居委会电话。</li></ul>"
)
GAS_CHECK = (
    "<p>燃气公司将于下周一至周五 9:00–17:00 入户检查燃气管道和灶具，请家中留人配合。"
    "检查人员均佩戴工作证，不收取任何费用。</p><p>阅读后请点击“已知晓”。</p>"
)
WATER_OFF = "<p>因管道维修，本小区将于周三 8:00–14:00 停水，请提前储水。</p>"
PAINTING = "<p>楼道粉刷将于下周开始，施工期间请注意通行安全，保持楼道通风。</p>"
RUBBISH = "<p>自下月起，湿垃圾投放时间调整为每天 7:00–9:00、18:00–20:00。</p>"
PARTY = "<p>元旦联欢会节目征集中，欢迎居民报名表演。</p>"
PARKING = (
    "<p>小区地面停车位重新划线，施工期间车辆请停放到临时停车区。</p>"
    "<p>详情请见附件或咨询物业服务中心。</p>"
)


class NoticesMixin:
    # -- notices ------------------------------------------------------------------------------

    def _publish(self, actor, notice, *, at, expires_at=None):
        services.notice_publish(actor=actor, notice=notice)
        Notice.objects.filter(pk=notice.pk).update(
            publish_at=at, published_at=at, expires_at=expires_at
        )
        NoticeEvent.objects.filter(notice=notice, verb="publish").update(at=at)
        notice.refresh_from_db()
        return notice

    def _notices(self, first, second):
        street = self.built.streets[0]
        worker = self._worker(first)
        compounds = list(Compound.objects.filter(community=first).order_by("name"))
        buildings = list(Building.objects.filter(community=first).order_by("name"))
        now = self.now

        fire = services.notice_create(
            actor=self.street_admin,
            audience="street",
            street=street,
            title="临江街道关于开展冬季消防安全检查的通告",
            body=FIRE_CHECK,
            pinned=True,
        )
        self._publish(self.street_admin, fire, at=now - 5 * D, expires_at=now + 25 * D)

        gas = services.notice_create(
            actor=worker,
            audience="community",
            community=first,
            title=f"{first.name}燃气安全入户检查通知",
            body=GAS_CHECK,
            requires_ack=True,
        )
        gas = self._publish(worker, gas, at=now - 2 * D, expires_at=now + 12 * D)
        readers = self._accounts(first)
        for n, user in enumerate(readers[:20]):
            services.notice_mark_read(actor=user, notice=gas)
            if n < 12:
                services.notice_acknowledge(actor=user, notice=gas)
        moved = now - 2 * D + 3 * H
        NoticeRead.objects.filter(notice=gas).update(read_at=moved)
        NoticeAck.objects.filter(notice=gas).update(acked_at=moved + H)

        if compounds:
            water = services.notice_create(
                actor=worker,
                audience="compound",
                compound=compounds[-1],
                title=f"{compounds[-1].name}停水通知",
                body=WATER_OFF,
            )
            self._publish(worker, water, at=now - 12 * D, expires_at=now - 10 * D)

        if buildings:
            painting = services.notice_create(
                actor=worker,
                audience="building",
                building=buildings[0],
                title=f"{buildings[0].name}楼道粉刷施工通知",
                body=PAINTING,
                publish_at=now + 2 * D,
            )
            services.notice_publish(actor=worker, notice=painting)

        rubbish = services.notice_create(
            actor=worker,
            audience="community",
            community=first,
            title="关于调整湿垃圾投放时间的通知",
            body=RUBBISH,
        )
        self._publish(worker, rubbish, at=now - 4 * D)
        services.notice_withdraw(
            actor=worker, notice=rubbish, reason="投放时间与物业排班冲突，调整后另行通知。"
        )
        Notice.objects.filter(pk=rubbish.pk).update(withdrawn_at=now - 3 * D)
        NoticeEvent.objects.filter(notice=rubbish, verb="withdraw").update(at=now - 3 * D)

        services.notice_create(
            actor=worker,
            audience="community",
            community=first,
            title="元旦联欢会节目征集（草稿）",
            body=PARTY,
        )

        other_worker = self._worker(second)
        parking = services.notice_create(
            actor=other_worker,
            audience="community",
            community=second,
            title=f"{second.name}地面停车位重新划线通知",
            body=PARKING,
            pinned=True,
            requires_ack=True,
        )
        parking = self._publish(other_worker, parking, at=now - 1 * D, expires_at=now + 6 * D)
        for user in self._accounts(second)[:4]:
            services.notice_acknowledge(actor=user, notice=parking)
