/* What the board, the home page and a topic's page say about a topic, said the same way:
   the state in words (the colour only helps) and whether it was answered within 4 hours. */
(function () {
  "use strict";
  var h = Portal.h;

  var STATE_KIND = {
    raised: "warn",
    answered: "ok",
    solved: "ok",
    declined: "danger",
    merged: "info",
    open_for_hands: "info",
    adopted: "ok",
    lapsed: "info",
  };

  function stateBadge(topic) {
    return h("span", { class: "badge badge--" + (STATE_KIND[topic.state] || "info") },
      topic.state_display);
  }

  function hoursLeft(iso) {
    var minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60000);
    return Math.max(0, minutes);
  }

  /* The 4-hour promise: answered in time, answered late, overdue now, or time left. */
  function response(topic) {
    if (topic.first_responded_at) {
      return topic.responded_on_time
        ? { kind: "ok", text: gettext("4小时内已回应") }
        : { kind: "danger", text: gettext("超过4小时才回应") };
    }
    if (topic.state !== "raised") return null;
    if (topic.is_overdue) return { kind: "danger", text: gettext("已超过4小时，尚未回应") };
    var minutes = hoursLeft(topic.first_response_due_at);
    return {
      kind: "warn",
      text: interpolate(gettext("等待回应，还剩%s"), [Portal.fmt.duration(minutes * 60)]),
    };
  }

  function responseBadge(topic) {
    var r = response(topic);
    return r ? h("span", { class: "badge badge--" + r.kind }, r.text) : null;
  }

  function adoptable(topic) {
    return topic.state === "open_for_hands" && (
      topic.party_branch_hand ||
      (topic.hands_threshold !== null && topic.hand_count >= topic.hands_threshold)
    );
  }

  function handsLine(topic) {
    if (topic.state !== "open_for_hands" && topic.state !== "adopted" && topic.state !== "lapsed") {
      return null;
    }
    var text = topic.hands_threshold
      ? interpolate(gettext("举手 %(count)s / %(threshold)s 人"),
        { count: topic.hand_count, threshold: topic.hands_threshold }, true)
      : interpolate(gettext("举手 %s 人"), [topic.hand_count]);
    return h("span", null, text);
  }

  /* One row on the board. */
  function item(topic) {
    return h("li", { "data-topic": topic.id },
      h("div", { class: "badges" },
        stateBadge(topic),
        responseBadge(topic),
        topic.mine ? h("span", { class: "badge badge--info" }, gettext("我提的")) : null,
        adoptable(topic) ? h("span", { class: "badge badge--ok" }, gettext("已达立项标准")) : null
      ),
      h("p", { class: "item-title" }, h("a", { href: "/topics/" + topic.id + "/" }, topic.title)),
      h("p", { class: "meta" },
        h("span", null, topic.category.name),
        h("span", null, interpolate(gettext("%s提出"), [Portal.fmt.ago(topic.raised_at)])),
        handsLine(topic)
      )
    );
  }

  window.PortalTopics = {
    stateBadge: stateBadge,
    response: response,
    responseBadge: responseBadge,
    adoptable: adoptable,
    handsLine: handsLine,
    item: item,
  };
})();
