/* 我的消息: my inbox, newest first; open a message (marks it read) or mark them all read. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;
  var inbox = document.querySelector("[data-role=inbox]");
  var unreadOnly = document.querySelector("[data-role=unread-only]");

  // Messages point at the API or the admin; a resident is sent to the page about the same thing.
  var PAGES = {
    "proposals.topic": "/topics/",
    "projects.project": "/projects/",
    "volunteers.activity": "/activities/",
  };
  function pageFor(n) {
    if (PAGES[n.subject_type] && n.subject_id) return PAGES[n.subject_type] + n.subject_id + "/";
    if (n.subject_type === "volunteers.redemption" || n.subject_type === "volunteers.reward") {
      return "/rewards/";
    }
    if (n.subject_type.indexOf("volunteers.points") === 0) return "/points/";
    if (n.url && n.url.charAt(0) === "/" && !/^\/(api|admin)\//.test(n.url)) return n.url;
    return "";
  }

  function markRead(n, li) {
    if (n.is_read) return Promise.resolve();
    return Portal.api("POST", "notifications/" + n.id + "/read/").then(function () {
      n.is_read = true;
      li.classList.remove("is-unread");
      var badge = li.querySelector("[data-role=state]");
      badge.className = "badge badge--info";
      badge.textContent = gettext("已读");
      var btn = li.querySelector("[data-role=mark]");
      if (btn) btn.remove();
      Portal.refreshUnread();
    });
  }

  function render(n) {
    var target = pageFor(n);
    var li = h("li", { class: n.is_read ? "" : "is-unread", "data-notification": n.id });
    var mark = n.is_read ? null : h("button", { type: "button", class: "button", "data-role": "mark" },
      gettext("标为已读"));
    li.append(
      h("div", { class: "badges" },
        h("span", { class: "badge badge--" + (n.is_read ? "info" : "warn"), "data-role": "state" },
          n.is_read ? gettext("已读") : gettext("未读"))),
      h("p", { class: "item-title" }, target
        ? h("a", { href: target, onclick: function (event) {
          event.preventDefault();
          markRead(n, li).catch(function () {}).then(function () { window.location.assign(target); });
        } }, n.title)
        : n.title),
      n.body ? h("p", { class: "pre-line" }, n.body) : null,
      h("p", { class: "meta" }, h("span", null, Portal.fmt.time(n.created_at))),
      mark
    );
    if (mark) Portal.button(mark, function () { return markRead(n, li); });
    return li;
  }

  var list = Portal.list(inbox, "notifications/", render, { empty: gettext("没有消息。") });

  unreadOnly.addEventListener("change", function () {
    list.reload("notifications/" + (unreadOnly.checked ? "?unread=true" : ""));
  });

  Portal.button(document.querySelector("[data-role=read-all]"), function () {
    return Portal.api("POST", "notifications/read-all/").then(function (data) {
      Portal.flash(interpolate(ngettext("已将 %s 条消息标为已读。", "已将 %s 条消息标为已读。",
        data.marked), [data.marked]), "success");
      Portal.refreshUnread();
      list.reload();
    });
  });
});
