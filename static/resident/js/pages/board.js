/* 社区 (/board/): the notices addressed to me (pinned first, unread marked), the consultations
   open now, and the way to the self-governance pages.

   Also `window.PortalBoard`: how a notice or a consultation is shown in a list, said the same
   way on this page, the notices and consultations lists and the home page (which load this
   script first). States are in words; a colour only repeats them. */
(function () {
  "use strict";
  var h = Portal.h;
  var _ = window.gettext;

  var PHASE_BADGE = {
    upcoming: "badge--info",
    open: "badge--open",
    closed: "badge--closed",
    cancelled: "badge--danger",
    draft: "badge--info",
  };

  function badge(kind, text) {
    return h("span", { class: "badge " + kind }, text);
  }

  function noticeItem(notice) {
    var badges = [];
    if (notice.pinned) badges.push(badge("badge--warn", _("置顶")));
    badges.push(notice.my_read ? badge("badge--info", _("已读")) : badge("badge--warn", _("未读")));
    if (notice.requires_ack) {
      badges.push(notice.my_ack ? badge("badge--ok", _("已确认知晓")) : badge("badge--danger", _("需确认知晓")));
    }
    return h("li", { class: notice.my_read ? "" : "is-unread", "data-notice": notice.id },
      h("div", { class: "badges" }, badges),
      h("h3", { class: "item-title" }, h("a", { href: "/notices/" + notice.id + "/" }, notice.title)),
      notice.summary ? h("p", null, notice.summary) : null,
      h("p", { class: "meta" },
        h("span", null, notice.target),
        h("span", null, interpolate(_("发布于 %s"), [Portal.fmt.time(notice.publish_at)]))));
  }

  /* Whether I may still answer, in words: the list says it without opening the page. */
  function participation(c) {
    if (c.my_response) return badge("badge--ok", _("已参与"));
    if (c.phase === "open" && c.eligible) return badge("badge--warn", _("待参与"));
    if (c.phase === "open" || c.phase === "upcoming") {
      if (!c.eligible) return badge("badge--info", _("不在参与范围"));
    }
    return null;
  }

  function consultationItem(c) {
    var when;
    if (c.phase === "upcoming") when = interpolate(_("%s 开始"), [Portal.fmt.time(c.opens_at)]);
    else if (c.phase === "open") when = interpolate(_("%s 截止"), [Portal.fmt.time(c.closes_at)]);
    else when = interpolate(_("%s 结束"), [Portal.fmt.time(c.closes_at)]);
    var meta = [h("span", null, c.target), h("span", null, when), h("span", null, c.one_per_display)];
    if (c.response_count !== null && c.response_count !== undefined) {
      meta.push(h("span", null, interpolate(_("%s份答卷"), [c.response_count])));
    }
    return h("li", { "data-consultation": c.id },
      h("div", { class: "badges" },
        badge(PHASE_BADGE[c.phase] || "badge--info", c.phase_display),
        badge("badge--info", c.kind_display),
        participation(c)),
      h("h3", { class: "item-title" }, h("a", { href: "/consultations/" + c.id + "/" }, c.title)),
      h("p", { class: "meta" }, meta));
  }

  window.PortalBoard = {
    noticeItem: noticeItem,
    consultationItem: consultationItem,
    PHASE_BADGE: PHASE_BADGE,
  };

  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.page !== "board") return;
    Portal.list(document.querySelector("[data-role=notices]"), "notices/?page_size=5", noticeItem, {
      empty: _("暂时没有发给您的公告。"),
    });
    Portal.list(document.querySelector("[data-role=consultations]"),
      "consultations/?phase=open&page_size=5", consultationItem, {
        empty: _("现在没有正在进行的意见征询。"),
      });
  });
})();
