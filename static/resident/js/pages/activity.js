/* /activities/<id>/: one volunteer activity — details, places and the waiting list, sign up or
   cancel before the cut-off, check in with the code on the spot, check out, my hours.

   A poster's link /activities/<id>/?code=XXXXXX fills the check-in code in. The detail's
   `actions` says what the caller may do now; where an action is missing the page says why. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const root = document.querySelector("[data-role=activity]");
  const id = root.dataset.id;
  const base = `volunteer-activities/${id}/`;
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);

  // The API's check-in window: from an hour before the start to an hour after the end
  // (volunteers.services.activities.CHECKIN_MARGIN); said to the resident in words.
  const CHECKIN_MARGIN_MS = 3600 * 1000;
  const STATUS_BADGE = {
    published: "badge--open",
    finished: "badge--closed",
    cancelled: "badge--danger",
    draft: "badge--info",
  };
  const ATTENDANCE_WORDS = {
    checked_in: _("您已签到。服务结束时请点“签退”，时长从签到算到签退。"),
    checked_out: _("您已签退，服务时长正在等待社区审核，审核通过后发放积分。"),
    approved: _("这次服务时长已审核通过，积分已经发到您的账户。"),
    rejected: _("这次服务时长没有通过审核，如有疑问请联系社区。"),
  };

  let activity = null;
  let me = null;

  function fill(role, ...children) {
    const el = P.clear($(role));
    children.forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return el;
  }

  function notVerifiedReason() {
    if (me && me.verification_status === "verified") {
      return _("只有本居民区的居民可以报名这个活动。");
    }
    return me && me.verification_status === "pending"
      ? _("您的实名信息正在核验，核验通过后才能报名。")
      : _("实名核验通过后才能报名，请到“我的”页面查看核验状态。");
  }

  // --- Details and places ----------------------------------------------------------------------

  function renderDetails() {
    document.title = `${activity.title} · ${document.title.split(" · ").pop()}`;
    const badges = [
      h("span", { class: `badge ${STATUS_BADGE[activity.status] || ""}` }, activity.status_display),
      h("span", { class: "badge badge--info" }, activity.kind_display),
    ];
    if (activity.my_signup_status === "confirmed") {
      badges.push(h("span", { class: "badge badge--ok" }, _("我已报名")));
    } else if (activity.my_signup_status === "waitlisted") {
      badges.push(h("span", { class: "badge badge--warn" }, _("我在候补")));
    }
    fill("badges", ...badges);
    fill("title", activity.title);
    const facts = P.clear($("facts"));
    const fact = (term, value) => {
      if (value) facts.append(h("dt", null, term), h("dd", null, value));
    };
    fact(_("时间"), interpolate(_("%(start)s 至 %(end)s"), {
      start: P.fmt.time(activity.starts_at),
      end: P.fmt.time(activity.ends_at),
    }, true));
    fact(_("地点"), activity.place);
    fact(_("报名截止"), P.fmt.time(activity.signup_deadline));
    fact(_("居民区"), activity.community.name);
    fact(_("服务队"), activity.team && activity.team.name);
    fact(_("服务类别"), activity.category);
    fact(_("积分规则"), activity.points_rule && activity.points_rule.name);
    fill("description", activity.description);
    const link = $("project-link");
    link.hidden = !activity.project;
    if (activity.project) {
      fill("project-link", h("a", { href: `/projects/${activity.project}/` }, _("这是一个微项目的志愿活动，查看项目")));
    }
    if (activity.status === "cancelled") {
      fill("description", interpolate(_("活动已取消。原因：%s"), [activity.cancelled_reason]), "\n\n", activity.description);
    }
  }

  function renderPlaces() {
    const left = Math.max(0, activity.capacity - activity.confirmed_count);
    const taken = Math.min(100, Math.round((activity.confirmed_count / activity.capacity) * 100));
    const places = P.clear($("places"));
    places.append(
      left
        ? h("strong", null, interpolate(_("剩余 %s 个名额"), [left]))
        : h("strong", null, _("名额已满")),
      h("br"),
      interpolate(_("共 %(capacity)s 个名额，已报名 %(taken)s 人，候补 %(waiting)s 人。"), {
        capacity: activity.capacity,
        taken: activity.confirmed_count,
        waiting: activity.waitlist_count,
      }, true),
      h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${taken}%` })),
    );
  }

  // --- My sign-up ------------------------------------------------------------------------------

  function renderSignup() {
    const actions = activity.actions;
    const mine = activity.my_signup_status;
    const full = activity.confirmed_count >= activity.capacity;
    let status;
    if (mine === "confirmed") {
      status = _("您已报名，名额已确认。请按时到场。");
    } else if (mine === "waitlisted") {
      // The API may tell the place in the queue (my_waitlist_position); else the queue's length.
      status = typeof activity.my_waitlist_position === "number"
        ? interpolate(_("名额已满，您在候补名单第 %s 位。有人取消时按报名先后自动递补，递补成功会通知您。"), [
            activity.my_waitlist_position,
          ])
        : interpolate(_("名额已满，您在候补名单上（共 %s 人候补）。有人取消时按报名先后自动递补，递补成功会通知您。"), [
            activity.waitlist_count,
          ]);
    } else {
      status = _("您还没有报名。");
    }
    fill("signup-status", status);

    const signup = $("signup");
    signup.hidden = !actions.includes("signup");
    signup.textContent = full ? _("报名候补") : _("我要报名");
    $("cancel-signup").hidden = !actions.includes("cancel_signup");
    $("cancel-confirm").hidden = true;
    signup.parentElement.hidden = signup.hidden && $("cancel-signup").hidden;

    const now = Date.now();
    let note = "";
    if (actions.includes("signup") || actions.includes("cancel_signup")) {
      note = interpolate(_("报名截止到 %s，截止前可以取消。"), [P.fmt.time(activity.signup_deadline)]);
      if (actions.includes("signup") && full) {
        note = `${_("名额已满，现在报名会进入候补名单。")} ${note}`;
      }
    } else if (activity.status === "cancelled") {
      note = _("活动已取消，不能报名。");
    } else if (activity.status === "finished") {
      note = _("活动已经结束。");
    } else if (new Date(activity.signup_deadline).getTime() <= now) {
      note = mine
        ? interpolate(_("报名已于 %s 截止，截止后不能在网上取消；如不能到场请告诉社区。"), [
            P.fmt.time(activity.signup_deadline),
          ])
        : interpolate(_("报名已于 %s 截止。"), [P.fmt.time(activity.signup_deadline)]);
    } else {
      note = notVerifiedReason();
    }
    fill("signup-note", note);
  }

  // --- Check-in and check-out ------------------------------------------------------------------

  function checkinReason() {
    const now = Date.now();
    const opens = new Date(activity.starts_at).getTime() - CHECKIN_MARGIN_MS;
    const closes = new Date(activity.ends_at).getTime() + CHECKIN_MARGIN_MS;
    if (activity.my_signup_status === "waitlisted") {
      return _("候补中的志愿者还不能签到，递补成功后才能签到。");
    }
    if (activity.my_signup_status !== "confirmed") {
      return activity.status === "published" ? _("报名并确认名额后，活动当天才能签到。") : _("您没有报名这个活动。");
    }
    if (activity.status !== "published") return _("活动不在进行中，不能签到。");
    if (now < opens) {
      return interpolate(_("签到在活动开始前 1 小时开放（%s 起），到时请在现场输入签到码。"), [
        P.fmt.time(new Date(opens).toISOString()),
      ]);
    }
    if (now > closes) return _("签到时间已过。");
    return _("现在不能签到。");
  }

  function renderCheckin() {
    const actions = activity.actions;
    const attendance = activity.my_attendance_status;
    const form = $("checkin-form");
    form.hidden = !actions.includes("checkin");
    $("checkout").hidden = !actions.includes("checkout");
    let status;
    if (attendance) {
      status = ATTENDANCE_WORDS[attendance] || "";
    } else if (actions.includes("checkin")) {
      status = _("请输入现场的签到码完成签到。");
    } else {
      status = checkinReason();
    }
    fill("checkin-status", status);
  }

  // --- My hours --------------------------------------------------------------------------------

  async function renderHours() {
    const mine = await P.api("GET", "volunteers/me/");
    const box = P.clear($("hours"));
    box.append(
      h("p", null, interpolate(_("已审核的服务共 %(hours)s 小时，%(count)s 次。"), {
        hours: mine.total_hours,
        count: mine.total_count,
      }, true)),
    );
    if (mine.by_year.length) {
      box.append(
        h("ul", null, mine.by_year.map((row) =>
          h("li", null, interpolate(_("%(year)s 年：%(hours)s 小时，%(count)s 次"), row, true)))),
      );
    }
    box.append(h("p", null, h("a", { href: "/points/" }, _("查看我的积分"))));
  }

  // --- Loading and actions ---------------------------------------------------------------------

  async function load() {
    activity = await P.api("GET", base);
    renderDetails();
    renderPlaces();
    renderSignup();
    renderCheckin();
    $("loading").hidden = true;
    $("body").hidden = false;
  }

  P.button($("signup"), async () => {
    const signup = await P.api("POST", `${base}signup/`);
    await load();
    P.flash(
      signup.status === "waitlisted"
        ? _("名额已满，您已进入候补名单。有人取消时会自动递补并通知您。")
        : _("报名成功！请按时到场，现场输入签到码签到。"),
      "success",
      $("signup-flash"),
    );
  }, { errorBox: $("signup-flash"), pendingText: _("正在报名…") });

  // Cancelling asks first, in place (no pop-up): the question and both answers under the button.
  $("cancel-signup").addEventListener("click", () => {
    $("cancel-confirm").hidden = false;
    $("cancel-yes").focus();
  });
  $("cancel-no").addEventListener("click", () => {
    $("cancel-confirm").hidden = true;
    $("cancel-signup").focus();
  });
  P.button($("cancel-yes"), async () => {
    await P.api("DELETE", `${base}signup/`);
    await load();
    P.flash(_("已取消报名。"), "success", $("signup-flash"));
  }, { errorBox: $("signup-flash") });

  const codeInput = $("checkin-form").elements.code;
  codeInput.value = (P.param("code") || "").trim().toUpperCase();
  codeInput.addEventListener("input", () => {
    const caret = codeInput.selectionStart;
    codeInput.value = codeInput.value.toUpperCase();
    codeInput.setSelectionRange(caret, caret);
  });

  P.bindForm($("checkin-form"), async (data) => {
    const code = String(data.get("code") || "").trim();
    if (!code) {
      throw new P.ApiError(400, _("请输入签到码。"), "invalid", { code: [_("签到码在活动现场张贴，或问工作人员。")] });
    }
    await P.api("POST", `${base}checkin/`, { code });
    await load();
    P.flash(_("签到成功！感谢您参加志愿服务。"), "success", $("checkin-flash"));
  }, { pendingText: _("正在签到…") });

  P.button($("checkout"), async () => {
    const attendance = await P.api("POST", `${base}checkout/`);
    await load();
    fill(
      "checkout-result",
      h("p", { class: "flash flash--success", role: "status" }, interpolate(
        _("签退成功。本次服务计 %(hours)s 小时，审核通过后预计可得 %(points)s 积分。"),
        { hours: attendance.hours, points: attendance.expected_points },
        true,
      )),
    );
    renderHours().catch(() => {});
  }, { errorBox: $("checkin-flash"), pendingText: _("正在签退…") });

  P.me()
    .then((m) => { me = m; }, () => {})
    .then(load)
    .then(() => {
      if (P.param("code") && !$("checkin-form").hidden) {
        $("checkin-form").scrollIntoView({ block: "center" });
      }
      return renderHours();
    })
    .catch((err) => {
      $("loading").textContent = "";
      P.flash(P.message(err), "error");
    });
});
