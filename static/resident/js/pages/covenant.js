/* /covenants/<id>/: one covenant 规约 — the text of its newest version (earlier versions fold
   away but stay readable), signing or voting for my household with an inline confirmation (or,
   when I may not, the reason in words), progress against the recorded threshold, the fund's
   public total, the discussion with add and report, and the public timeline.

   Everything comes from /api/v1/covenants/<id>/… ; the detail's `actions`, `can_sign` and
   `sign_refusal` say what the caller may do now. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const root = document.querySelector("[data-role=covenant]");
  const id = root.dataset.id;
  const base = `covenants/${id}/`;
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);

  const BADGE = {
    discussion: "badge--open",
    signing: "badge--warn",
    in_force: "badge--ok",
    not_adopted: "badge--closed",
    superseded: "badge--closed",
    repealed: "badge--danger",
    cancelled: "badge--closed",
  };
  const VERBS = {
    create: _("起草规约"),
    discussion_opened: _("公开征求意见"),
    signing_opened: _("开始签署表决"),
    adopted: _("达到门槛，规约生效"),
    not_adopted: _("未达到门槛，未通过"),
    amendment_created: _("起草修订稿"),
    superseded: _("被新版本取代"),
    repealed: _("废止"),
    cancelled: _("撤销"),
  };

  let covenant = null;

  function fill(role, ...children) {
    const el = P.clear($(role));
    children.forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return el;
  }

  function facts(pairs) {
    return pairs.filter(Boolean).flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value)]);
  }

  /* The text is the server's sanitised HTML (an allow-list of simple tags, no script, no
     event handlers): parsed into an inert document and its nodes moved in. */
  function html(text) {
    const doc = new DOMParser().parseFromString(text, "text/html");
    return Array.from(doc.body.childNodes);
  }

  function versionNumber(v) {
    return interpolate(_("第 %s 版"), [v.number]);
  }

  /* The text shown first: the amendment while it is discussed or signed, otherwise the
     version in force (a cancelled or rejected amendment changes nothing), otherwise the
     newest. Every other version folds away below, still readable. */
  function primaryVersion() {
    const newest = covenant.versions[0];
    const inForce = covenant.versions.find((v) => v.state === "in_force");
    return ["discussion", "signing"].includes(newest.state) || !inForce ? newest : inForce;
  }

  function renderHeader() {
    document.title = `${covenant.title} · ${document.title.split(" · ").pop()}`;
    const badges = [h("span", { class: `badge ${BADGE[covenant.status] || ""}` }, covenant.status_display)];
    if (covenant.stage !== covenant.status && ["discussion", "signing"].includes(covenant.stage)) {
      badges.push(
        h("span", { class: `badge ${BADGE[covenant.stage] || ""}` },
          interpolate(_("修订稿%s"), [covenant.stage_display])),
      );
    }
    if (covenant.my_household_signed) badges.push(h("span", { class: "badge badge--ok" }, _("我家已签署")));
    fill("badges", ...badges);
    fill("title", covenant.title);
    const current = primaryVersion();
    fill(
      "facts",
      ...facts([
        [_("适用范围"), covenant.target],
        [_("来源"), covenant.origin_display],
        [_("当前版本"), `${versionNumber(current)} · ${current.state_display}`],
        covenant.effective_on ? [_("生效日期"), P.fmt.date(covenant.effective_on)] : null,
        current.state === "discussion" && current.discussion_closes_at
          ? [_("讨论截止"), P.fmt.time(current.discussion_closes_at)] : null,
        current.state === "signing" && current.signing_closes_at
          ? [_("签署截止"), P.fmt.time(current.signing_closes_at)] : null,
        covenant.repeal_reason ? [_("废止原因"), covenant.repeal_reason] : null,
        current.cancel_reason ? [_("撤销原因"), current.cancel_reason] : null,
      ]),
    );
  }

  function renderText() {
    const current = primaryVersion();
    fill("text-title", interpolate(_("规约正文（%s）"), [versionNumber(current)]));
    fill("text-note", current.change_summary ? interpolate(_("修订说明：%s"), [current.change_summary]) : "");
    fill("text", ...html(current.text));
    const earlier = covenant.versions.filter((v) => v !== current);
    $("versions-box").hidden = !earlier.length;
    fill(
      "versions",
      ...earlier.map((v) =>
        h(
          "details",
          { class: "covenant-version" },
          h("summary", null, `${versionNumber(v)} · ${v.state_display}`,
            v.effective_on ? ` · ${interpolate(_("%s 起生效"), [P.fmt.date(v.effective_on)])}` : ""),
          v.change_summary ? h("p", { class: "muted" }, interpolate(_("修订说明：%s"), [v.change_summary])) : null,
          h("div", { class: "covenant-text" }, html(v.text)),
        ),
      ),
    );
  }

  function renderSigning() {
    const progress = covenant.progress;
    const current = covenant.versions[0];
    const open = current.state === "signing";
    $("sign-box").hidden = !progress;
    if (!progress) return;
    const vote = progress.method === "vote";
    fill(
      "progress",
      ...facts([
        [_("版本"), `${versionNumber(current)} · ${current.state_display}`],
        [_("通过方式"), current.signing_method_display],
        [_("通过门槛"), progress.threshold],
        [_("应参与户数"), progress.eligible],
        [vote ? _("赞成户数") : _("已签署户数"), progress.yes],
        vote ? [_("反对户数"), progress.no] : null,
        [_("达到门槛需要"), interpolate(_("%s 户同意"), [progress.needed])],
      ]),
    );
    const percent = progress.needed > 0 ? Math.min(100, Math.round((progress.yes / progress.needed) * 100)) : 0;
    fill(
      "progress-bar",
      h("div", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${percent}%` })),
    );
    $("choice-box").hidden = !vote;
    $("review").textContent = vote ? _("代表本户表决") : _("代表本户签署");
    $("sign-form").hidden = !covenant.can_sign;
    let status;
    if (covenant.my_household_signed) {
      status = _("您家已签署（每户一次，由一位家庭成员代表）。");
    } else if (covenant.can_sign) {
      status = _("每户由一位家庭成员代表签署一次。");
    } else if (open) {
      status = covenant.sign_refusal;
    } else {
      status = progress.met ? _("签署已结束，达到了通过门槛。") : _("签署已结束。");
    }
    fill("sign-status", status);
  }

  function renderFund() {
    $("fund-box").hidden = !covenant.fund;
    if (!covenant.fund) return;
    fill("fund-purpose", covenant.fund_purpose ? interpolate(_("用途：%s"), [covenant.fund_purpose]) : "");
    fill(
      "fund",
      ...facts([
        [_("认缴合计"), P.fmt.money(covenant.fund.pledged)],
        [_("实收合计"), P.fmt.money(covenant.fund.received)],
        [_("参与户数"), covenant.fund.households],
      ]),
    );
  }

  function renderTimeline() {
    const list = P.clear($("timeline"));
    covenant.events.forEach((event) => {
      const words = VERBS[event.verb] || event.verb;
      const version = event.version_number ? interpolate(_("（第 %s 版）"), [event.version_number]) : "";
      list.append(
        h(
          "li",
          null,
          h("p", { class: "meta" }, h("time", { datetime: event.at }, P.fmt.time(event.at)), h("span", null, event.actor_label)),
          h("p", null, h("strong", null, words + version), event.note ? `：${event.note}` : ""),
        ),
      );
    });
  }

  function renderCommentForm() {
    const can = covenant.actions.includes("comment");
    $("comment-form").hidden = !can;
    let status = "";
    if (!can) {
      status = covenant.stage === "discussion"
        ? _("实名核验通过的本居民区居民可以发表意见。")
        : _("规约不在征求意见期，讨论已关闭。");
    }
    fill("comment-status", status);
  }

  function renderComment(comment) {
    const report = comment.mine || comment.hidden
      ? null
      : h("button", { type: "button", class: "button", "data-role": "report" }, _("举报"));
    const node = h(
      "article",
      null,
      h("p", { class: "meta" }, h("span", null, comment.author_label), h("span", null, P.fmt.ago(comment.created_at))),
      comment.hidden
        ? h("p", { class: "muted" }, interpolate(_("这条评论已被隐藏。原因：%s"), [comment.hidden_reason]))
        : h("p", { class: "pre-line" }, comment.body),
      report,
    );
    if (report) {
      P.button(report, async () => {
        await P.api("POST", `covenant-comments/${comment.id}/report/`, { reason: "" });
        report.replaceWith(h("span", { class: "muted" }, _("已举报，工作人员会查看。")));
      }, { errorBox: $("comment-flash") });
    }
    return node;
  }

  let comments = null;

  async function load() {
    covenant = await P.api("GET", base);
    renderHeader();
    renderText();
    renderSigning();
    renderFund();
    renderCommentForm();
    renderTimeline();
    $("loading").hidden = true;
    $("body").hidden = false;
  }

  const signForm = $("sign-form");
  $("review").addEventListener("click", () => {
    $("review").hidden = true;
    $("confirm").hidden = false;
    $("confirm").querySelector("[type=submit]").focus();
  });
  $("back").addEventListener("click", () => {
    $("confirm").hidden = true;
    $("review").hidden = false;
    $("review").focus();
  });
  P.bindForm(signForm, async (data) => {
    const body = {};
    if (covenant.progress && covenant.progress.method === "vote") {
      if (!data.get("choice")) {
        $("confirm").hidden = true;
        $("review").hidden = false;
        throw new P.ApiError(400, _("请先选择同意或反对。"), "invalid", { choice: [_("请选择同意或反对。")] });
      }
      body.choice = data.get("choice");
    }
    await P.api("POST", `${base}sign/`, body);
    $("confirm").hidden = true;
    $("review").hidden = false;
    await load();
    P.flash(_("已代表本户签署，谢谢！"), "success", $("sign-flash"));
  });

  P.bindForm($("comment-form"), async (data, form) => {
    await P.api("POST", `${base}comments/`, { body: data.get("body") });
    form.reset();
    comments.reload();
    P.flash(_("意见已发表。"), "success", $("comment-flash"));
  });

  load()
    .then(() => {
      comments = P.list($("comments"), `${base}comments/`, renderComment, { empty: _("还没有意见。") });
    })
    .catch((err) => {
      $("loading").textContent = "";
      P.flash(P.message(err), "error");
    });
});
