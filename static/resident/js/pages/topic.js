/* 议题详情: the topic, the community's responses, its public timeline, the live hand count
   with the raise/withdraw button, the raiser's confirmation, following, and comments.

   The hand count is polled every POLL_MS while the page is visible (and at once when it
   becomes visible again): hands come in from neighbours' phones, and a stale count would
   tell a resident their hand is still needed when the topic is already adoptable. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var POLL_MS = 15000;
  var h = Portal.h;
  var root = document.querySelector("[data-role=topic]");
  var id = root.dataset.topicId;
  var base = "topics/" + id + "/";
  var $ = function (role) { return root.querySelector("[data-role=" + role + "]"); };
  var topic = null;

  // Public responses: the moves a worker makes that answer the resident, with their words.
  var RESPONSE_VERBS = ["answer", "solve", "decline", "merge", "open_for_hands", "adopt", "lapse"];
  var VERBS = {
    event_file: gettext("上报网格事件"),
    event_dispatch: gettext("派给部门处置"),
    event_accept: gettext("部门受理"),
    event_handle: gettext("部门处置完毕"),
    event_check_pass: gettext("现场核查通过"),
    event_check_fail: gettext("核查未通过，重新处置"),
    event_cancel: gettext("事件撤销"),
    forum_decision: gettext("议事会议作出决定"),
    forum_decision_follow_up: gettext("会议决定落实情况"),
    raised: gettext("提出议题"),
    answer: gettext("社区回应"),
    solve: gettext("直接解决"),
    decline: gettext("不予采纳"),
    merge: gettext("合并到其他议题"),
    merged_from: gettext("合并了相同的议题"),
    open_for_hands: gettext("开放举手"),
    adopt: gettext("立项"),
    adopted: gettext("立项"),
    lapse: gettext("举手期满，未达到人数"),
    confirm: gettext("提出人确认已解决"),
    solution_confirmed: gettext("提出人确认已解决"),
    reopen: gettext("提出人表示还没解决，重新办理"),
    reopened: gettext("提出人表示还没解决，重新办理"),
    overdue: gettext("超过4小时未回应，已提醒上级"),
    threshold_reached: gettext("举手人数达到立项标准"),
    party_branch_hand: gettext("社区党组织举手支持"),
    deliberation: gettext("召开议事会"),
    comment_hidden: gettext("一条评论被隐藏"),
    comment_restored: gettext("一条评论恢复显示"),
  };

  function can(action) {
    return topic && topic.actions.indexOf(action) >= 0;
  }

  // --- The topic itself -----------------------------------------------------------------------

  function renderHead() {
    document.title = topic.title + " · " + document.title.split(" · ").pop();
    $("topic-title").textContent = topic.title;
    var badges = Portal.clear($("topic-badges"));
    badges.append(PortalTopics.stateBadge(topic));
    var response = PortalTopics.responseBadge(topic);
    if (response) badges.append(response);
    if (topic.mine) badges.append(h("span", { class: "badge badge--info" }, gettext("我提的")));
    var meta = Portal.clear($("topic-meta"));
    meta.append(
      h("span", null, topic.category.name),
      h("span", null, topic.community.name + (topic.grid ? " · " + topic.grid.name : "")),
      h("span", null, interpolate(gettext("%(when)s提出（%(at)s）"),
        { when: Portal.fmt.ago(topic.raised_at), at: Portal.fmt.time(topic.raised_at) }, true))
    );
    $("topic-body").textContent = topic.body;
    var photos = Portal.clear($("topic-photos"));
    photos.hidden = !topic.photos.length;
    topic.photos.forEach(function (photo, index) {
      var alt = interpolate(gettext("议题照片 %s（点击看大图）"), [index + 1]);
      var img = h("img", { src: photo.url, alt: alt, loading: "lazy" });
      var link = h("a", { href: photo.url, target: "_blank", rel: "noopener" }, img);
      // A photo that cannot load (slow network, moved file) says so instead of a broken icon.
      img.addEventListener("error", function () {
        link.replaceWith(h("span", { class: "photo-missing" },
          interpolate(gettext("照片 %s 暂时无法显示"), [index + 1])));
      });
      photos.append(h("li", null, link));
    });
  }

  function renderResponses() {
    var box = Portal.clear($("responses"));
    var responses = topic.timeline.filter(function (e) {
      return RESPONSE_VERBS.indexOf(e.verb) >= 0 && e.note;
    });
    responses.forEach(function (e) {
      box.append(h("div", { class: "card response" },
        h("p", { class: "response__label" }, (VERBS[e.verb] || gettext("社区回应")) + "："),
        h("p", { class: "pre-line" }, e.note),
        h("p", { class: "meta" }, h("span", null, e.actor_label), h("span", null,
          Portal.fmt.time(e.at)))));
    });
    if (!responses.length) {
      var text = topic.state === "raised"
        ? interpolate(gettext("社区还没有回应，承诺在 %s 前回应。"),
          [Portal.fmt.time(topic.first_response_due_at)])
        : gettext("暂无文字回应。");
      box.append(h("p", { class: "card muted" }, text));
    }
  }

  function renderTimeline() {
    var list = Portal.clear($("timeline"));
    topic.timeline.forEach(function (e) {
      list.append(h("li", null,
        h("p", { class: "meta" }, h("span", null, Portal.fmt.time(e.at)),
          e.actor_label ? h("span", null, e.actor_label) : null),
        h("p", null, h("strong", null, VERBS[e.verb] || gettext("动态"))),
        e.note ? h("p", { class: "pre-line" }, e.note) : null));
    });
  }

  // --- Hands ------------------------------------------------------------------------------------

  function renderHands() {
    var box = $("hands");
    var shown = topic.state === "open_for_hands" || topic.hand_count > 0 ||
      topic.state === "adopted" || topic.state === "lapsed";
    box.hidden = !shown;
    if (!shown) return;
    var count = topic.hands_threshold
      ? interpolate(gettext("已有 %(count)s 人举手，需要 %(threshold)s 人"),
        { count: topic.hand_count, threshold: topic.hands_threshold }, true)
      : interpolate(gettext("已有 %s 人举手"), [topic.hand_count]);
    if ($("hand-count").textContent !== count) $("hand-count").textContent = count;

    var note = "";
    if (topic.state === "open_for_hands" && topic.hands_deadline) {
      note = interpolate(gettext("举手截止：%s"), [Portal.fmt.time(topic.hands_deadline)]);
    } else if (topic.state === "adopted") {
      note = gettext("这个议题已经立项，会变成社区项目。");
    } else if (topic.state === "lapsed") {
      note = gettext("举手期已过，没有达到人数。");
    }
    $("hand-note").textContent = note;

    var adoptable = PortalTopics.adoptable(topic);
    $("hand-adoptable").hidden = !adoptable;
    $("hand-adoptable").textContent = adoptable
      ? (topic.party_branch_hand
        ? gettext("社区党组织已举手支持，可以立项，等待社区立项。")
        : gettext("举手人数已达到立项标准，等待社区立项。"))
      : "";

    var btn = $("hand-button");
    var raising = can("raise_hand");
    var withdrawing = can("withdraw_hand");
    btn.hidden = !(raising || withdrawing);
    $("hand-label").textContent = withdrawing ? gettext("撤回我的举手") : gettext("我要举手支持");
    btn.classList.toggle("button--primary", raising);
    if (withdrawing) btn.setAttribute("aria-describedby", "hand-mine");
    else btn.removeAttribute("aria-describedby");
    var why = $("hand-why");
    why.hidden = true;
    if (withdrawing) {
      why.hidden = false;
      why.id = "hand-mine";
      why.textContent = gettext("您已经举手支持了这个议题。");
    } else if (topic.state === "open_for_hands" && !raising) {
      Portal.me().then(function (me) {
        if (me.can.can_act || can("raise_hand")) return;
        why.hidden = false;
        why.textContent = gettext("实名核验通过的本社区居民才能举手。");
      }).catch(function () {});
    }
  }

  Portal.button($("hand-button"), function () {
    var method = can("withdraw_hand") ? "DELETE" : "POST";
    return Portal.api(method, base + "hand/").then(function (fresh) {
      show(fresh);
      Portal.flash(method === "POST" ? gettext("举手成功，谢谢您的支持。")
        : gettext("已撤回举手。"), "success", $("hand-flash"));
    });
  }, { pendingText: gettext("正在提交…"), errorBox: $("hand-flash") });

  // --- The raiser confirms a solution -------------------------------------------------------------

  function renderConfirm() {
    $("confirm").hidden = !can("confirm_solution");
  }

  function confirm(solved) {
    return function () {
      return Portal.api("POST", base + "confirm-solution/", { solved: solved }).then(function (fresh) {
        show(fresh);
        Portal.flash(solved ? gettext("谢谢确认。") : gettext("已告诉社区，会重新办理。"), "success");
      });
    };
  }
  Portal.button($("confirm-yes"), confirm(true), { errorBox: $("confirm-flash") });
  Portal.button($("confirm-no"), confirm(false), { errorBox: $("confirm-flash") });

  // --- Following ------------------------------------------------------------------------------------

  function renderFollow() {
    var btn = $("follow");
    btn.hidden = !(can("follow") || can("unfollow"));
    btn.textContent = can("unfollow") ? gettext("已关注（点这里取消关注）")
      : gettext("关注这个议题，有新进展时通知我");
    btn.setAttribute("aria-pressed", can("unfollow") ? "true" : "false");
  }
  Portal.button($("follow"), function () {
    return Portal.api(can("unfollow") ? "DELETE" : "POST", base + "follow/").then(show);
  });

  // --- Comments ------------------------------------------------------------------------------------

  function renderComment(c) {
    return h("li", { "data-comment": c.id },
      h("p", { class: "meta" },
        h("span", null, c.author_label),
        h("span", null, Portal.fmt.time(c.created_at)),
        c.mine ? h("span", { class: "badge badge--info" }, gettext("我的评论")) : null),
      c.hidden
        ? h("p", { class: "muted" }, gettext("这条评论已被隐藏") +
          (c.hidden_reason ? interpolate(gettext("（原因：%s）"), [c.hidden_reason]) : ""))
        : h("p", { class: "pre-line" }, c.body));
  }

  var commentList = $("comments");
  Portal.list(commentList, base + "comments/", renderComment, {
    empty: gettext("还没有评论。"),
  });

  function renderCommentForm() {
    var form = $("comment-form");
    var why = $("comment-why");
    form.hidden = !can("comment");
    why.hidden = true;
    if (!can("comment") && topic.state !== "merged") {
      Portal.me().then(function (me) {
        if (me.can.can_act) return;
        why.hidden = false;
        why.textContent = gettext("实名核验通过后才能发表评论。");
      }).catch(function () {});
    }
  }

  Portal.bindForm($("comment-form"), function (data, form) {
    return Portal.api("POST", base + "comments/", { body: String(data.get("body") || "").trim() })
      .then(function (comment) {
        var status = commentList.nextElementSibling;
        if (status && status.classList.contains("list-status")) status.textContent = "";
        commentList.append(renderComment(comment));
        form.reset();
        Portal.flash(gettext("评论已发表。"), "success");
      });
  }, { pendingText: gettext("正在发表…") });

  // --- Loading and the live count --------------------------------------------------------------------

  var shownAs = "";
  function show(fresh) {
    // A poll that brings nothing new changes nothing on screen (no flicker, no re-announce).
    var signature = JSON.stringify(fresh);
    if (signature === shownAs) return;
    shownAs = signature;
    topic = fresh;
    renderHead();
    renderHands();
    renderConfirm();
    renderResponses();
    renderTimeline();
    renderFollow();
    renderCommentForm();
    root.removeAttribute("aria-busy");
  }

  function load() {
    return Portal.api("GET", base).then(show);
  }

  load().then(function () {
    if (Portal.param("new")) {
      Portal.flash(gettext("议题已提交。社区承诺在4小时内回应，有回应时会通知您。"), "success");
    }
  }).catch(function (err) {
    $("topic-title").textContent = gettext("打不开这个议题");
    Portal.flash(Portal.message(err), "error");
    root.removeAttribute("aria-busy");
  });

  // Refresh only while someone is looking; a hidden tab costs the server nothing.
  var timer = null;
  function poll() {
    if (document.hidden || !topic) return;
    load().catch(function () { /* the next poll tries again; the page keeps what it has */ });
  }
  function schedule() {
    if (timer) window.clearInterval(timer);
    timer = document.hidden ? null : window.setInterval(poll, POLL_MS);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
    schedule();
  });
  schedule();
});
