/* 首页: my community at a glance: what to do, a few counts, the newest topics, and what the
   real-name status allows. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;

  function count(name, text) {
    var el = document.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = text;
  }

  Portal.me().then(function (me) {
    var community = (me.resident && me.resident.community) || me.claimed_community;
    if (community) {
      document.querySelector("[data-role=home-title]").textContent =
        interpolate(gettext("我的社区：%s"), [community.name]);
    }
    var box = document.querySelector("[data-role=home-status]");
    if (me.verification_status === "pending") {
      Portal.flash(gettext("您的实名身份正在核实中。核实通过前可以浏览，但还不能提议题或举手。"),
        "warning", box);
    } else if (me.verification_status === "rejected") {
      Portal.flash(gettext("您的实名核验没有通过，请到“我的”页面查看原因。"), "warning", box);
    }
  }).catch(function () {});

  Portal.api("GET", "topics/?page_size=3").then(function (data) {
    count("topics", interpolate(ngettext("共 %s 条", "共 %s 条", data.count), [data.count]));
    var list = document.querySelector("[data-role=latest-topics]");
    if (!data.results.length) {
      list.replaceWith(h("p", { class: "muted" }, gettext("还没有议题，来提第一个吧。")));
      return;
    }
    data.results.forEach(function (topic) { list.append(PortalTopics.item(topic)); });
  }).catch(function (err) { Portal.flash(Portal.message(err), "error"); });

  Portal.api("GET", "topics/?mine=true&page_size=1").then(function (data) {
    count("mine", interpolate(ngettext("共 %s 条", "共 %s 条", data.count), [data.count]));
  }).catch(function () {});

  Portal.api("GET", "notifications/unread-count/").then(function (data) {
    if (data.unread) {
      count("unread", interpolate(ngettext("%s条未读", "%s条未读", data.unread), [data.unread]));
    }
  }).catch(function () {});
});

/* 社区公告与意见征询 on the home page: the three newest notices addressed to me (pinned first,
   unread marked) and the consultations open now, as on the board (PortalBoard, board.js). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;

  function fill(role, url, render, empty) {
    var list = document.querySelector('[data-role="' + role + '"]');
    return Portal.api("GET", url).then(function (data) {
      if (!data.results.length) {
        list.replaceWith(h("p", { class: "muted" }, empty));
      } else {
        data.results.forEach(function (row) { list.append(render(row)); });
      }
      return data;
    }).catch(function () {
      list.replaceWith(h("p", { class: "muted" }, gettext("暂时无法加载，请稍后再试。")));
    });
  }

  fill("board-notices", "notices/?page_size=3", PortalBoard.noticeItem,
    gettext("暂时没有发给您的公告。"));
  fill("board-consultations", "consultations/?phase=open&page_size=3",
    PortalBoard.consultationItem, gettext("现在没有正在进行的意见征询。")).then(function (data) {
    if (!data) return;
    var waiting = data.results.filter(function (c) { return c.eligible && !c.my_response; }).length;
    var el = document.querySelector('[data-count="board"]');
    if (el && waiting) {
      el.textContent = interpolate(ngettext("%s项意见待参与", "%s项意见待参与", waiting), [waiting]);
    }
  });
});
