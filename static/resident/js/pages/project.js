/* /projects/<id>/: one micro-project in full — stage, money line by line, progress with photos,
   members, the evaluation form in the review window, comments and the public timeline.

   Everything comes from /api/v1/projects/<id>/… . The detail's `actions` says what the caller
   may do now; where an action is missing the page says why in words, from the project's stage
   and the caller's real-name status, instead of a button that would only be refused. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const root = document.querySelector("[data-role=project]");
  const id = root.dataset.id;
  const base = `projects/${id}/`;
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);

  const STAGES = [
    ["planning", _("筹备中"), "planning_at"],
    ["in_progress", _("实施中"), "in_progress_at"],
    ["published", _("公示评价"), "published_at"],
    ["closed", _("已结项"), "closed_at"],
  ];
  const STAGE_BADGE = {
    planning: "badge--info",
    in_progress: "badge--warn",
    published: "badge--open",
    closed: "badge--closed",
    cancelled: "badge--danger",
  };
  // The public timeline's verbs, in words.
  const VERBS = {
    adopted: _("立项"),
    started: _("开始实施"),
    in_progress: _("开始实施"),
    published: _("公示成果与账目"),
    closed: _("结项"),
    cancelled: _("取消项目"),
    funds_released: _("退回未用的专项资金"),
    member_joined: _("报名参与"),
    member_left: _("退出项目"),
    milestone_added: _("新增进度节点"),
    milestone_done: _("完成进度节点"),
    plan_updated: _("更新项目方案"),
    progress_posted: _("发布进展"),
    budget_line_added: _("登记预算"),
    expense_recorded: _("登记支出"),
    covenant_published: _("发布规约"),
  };
  const OPEN_STAGES = ["planning", "in_progress"];

  let project = null;
  let me = null;

  // --- Money: decimal strings are summed in whole fen, never in floating yuan ---------------
  const fen = (value) => {
    const text = String(value || "0").trim();
    const negative = text.startsWith("-");
    const [whole, frac = ""] = text.replace("-", "").split(".");
    const n = Number(whole || 0) * 100 + Number((frac + "00").slice(0, 2));
    return negative ? -n : n;
  };
  const yuan = (cents) => {
    const sign = cents < 0 ? "-" : "";
    const abs = Math.abs(cents);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  };
  const share = (part, whole) => (whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0);
  const bar = (percent, over) =>
    h(
      "div",
      { class: over ? "bar bar--over" : "bar", "aria-hidden": "true" },
      h("span", { style: `width:${percent}%` }),
    );

  function fill(role, ...children) {
    const el = P.clear($(role));
    children.forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return el;
  }

  // --- Header and stage -----------------------------------------------------------------------

  function renderHeader() {
    document.title = `${project.title} · ${document.title.split(" · ").pop()}`;
    const badges = [
      h("span", { class: `badge ${STAGE_BADGE[project.stage] || ""}` }, project.stage_display),
    ];
    if (project.is_member) badges.push(h("span", { class: "badge badge--ok" }, _("我已参与")));
    fill("badges", ...badges);
    fill("title", project.title);
    const meta = P.clear($("meta"));
    meta.append(
      h("span", null, project.community.name),
      project.grid ? h("span", null, project.grid.name) : "",
      project.lead ? h("span", null, interpolate(_("主理人 %s"), [project.lead.name])) : "",
      h("span", null, interpolate(_("%s人参与"), [project.members_count])),
      h("a", { href: `/topics/${project.topic}/` }, _("查看来源议题")),
    );
    fill("summary", project.summary);
  }

  function renderStages() {
    const list = P.clear($("stages"));
    const cancelled = project.stage === "cancelled";
    const current = STAGES.findIndex(([key]) => key === project.stage);
    STAGES.forEach(([key, label, stamp], index) => {
      let state;
      let cls;
      if (cancelled) {
        state = project[stamp] ? _("已完成") : _("未进行");
        cls = project[stamp] ? "is-done" : "is-skipped";
      } else if (index < current) {
        state = _("已完成");
        cls = "is-done";
      } else if (index === current) {
        state = _("当前阶段");
        cls = "is-current";
      } else {
        state = _("未到");
        cls = "is-todo";
      }
      list.append(
        h(
          "li",
          { class: cls, "aria-current": index === current ? "step" : null },
          h("span", { class: "stage-steps__label" }, label),
          h("span", { class: "stage-steps__state" }, state),
          project[stamp] ? h("span", { class: "muted" }, P.fmt.date(project[stamp])) : null,
        ),
      );
    });
    let note = "";
    if (cancelled) {
      note = interpolate(_("项目已于 %(at)s 取消。原因：%(reason)s"), {
        at: P.fmt.date(project.cancelled_at),
        reason: project.cancelled_reason,
      }, true);
    } else if (project.stage === "published") {
      note = interpolate(_("公示评价期：%(from)s 至 %(to)s。请在此期间给项目打分。"), {
        from: P.fmt.time(project.review_opens_at || project.published_at),
        to: P.fmt.time(project.review_closes_at),
      }, true);
    } else if (project.stage === "closed" && project.satisfaction_score) {
      note = interpolate(_("项目已结项，居民满意度 %(score)s 分（%(n)s 人评价）。"), {
        score: project.satisfaction_score,
        n: project.evaluations_count,
      }, true);
    }
    fill("stage-note", note);
  }

  // --- Joining and leaving ---------------------------------------------------------------------

  function whyNot(kind) {
    const verified = me && me.verification_status === "verified";
    if (!OPEN_STAGES.includes(project.stage) && kind === "join") {
      return interpolate(_("项目已进入“%s”阶段，不再接受报名。"), [project.stage_display]);
    }
    if (!verified) {
      return me && me.verification_status === "pending"
        ? _("您的实名信息正在核验，核验通过后才能参与。")
        : _("实名核验通过后才能参与，请到“我的”页面查看核验状态。");
    }
    return _("只有本居民区的居民可以参与这个项目。");
  }

  function renderJoin() {
    const actions = project.actions;
    const status = $("join-status");
    $("join-form").hidden = !actions.includes("join");
    $("leave-box").hidden = !actions.includes("leave");
    if (project.is_member) {
      if (actions.includes("leave")) {
        status.textContent = _("您已报名参与本项目。不想参加了可以退出。");
      } else if (OPEN_STAGES.includes(project.stage)) {
        status.textContent = _("您是本项目的主理人。主理人不能自行退出，如需更换请联系社区工作者。");
      } else {
        status.textContent = _("您参与了本项目。项目已不在筹备或实施阶段，成员名单不再变动。");
      }
    } else if (actions.includes("join")) {
      status.textContent = _("欢迎报名参与，和邻居一起把事情办好。");
    } else {
      status.textContent = whyNot("join");
    }
  }

  // --- Plan, results, covenants ----------------------------------------------------------------

  function renderPlan() {
    $("plan-box").hidden = !project.plan && !project.milestones.length;
    fill("plan", project.plan);
    $("milestones-title").hidden = !project.milestones.length;
    const list = P.clear($("milestones"));
    project.milestones.forEach((m) => {
      const done = Boolean(m.done_at);
      list.append(
        h(
          "li",
          { class: done ? "is-done" : "" },
          h("span", { class: `badge ${done ? "badge--ok" : "badge--pending"}` }, done ? _("已完成") : _("未完成")),
          " ",
          m.title,
          m.due_on ? h("span", { class: "muted" }, " · ", interpolate(_("计划 %s"), [P.fmt.date(m.due_on)])) : null,
        ),
      );
    });
    $("results-box").hidden = !project.results;
    fill("results", project.results);
    $("covenants-box").hidden = !project.covenants.length;
    const covenants = P.clear($("covenants"));
    project.covenants.forEach((c) =>
      covenants.append(
        h("li", null, h("h3", { class: "item-title" }, c.title), h("p", { class: "pre-line" }, c.text),
          h("p", { class: "meta" }, interpolate(_("发布于 %s"), [P.fmt.date(c.published_at)]))),
      ),
    );
  }

  // --- Money -----------------------------------------------------------------------------------

  function renderMoney(expenses) {
    const budget = fen(project.budget_total);
    const spent = fen(project.spent_total);
    const totals = P.clear($("money-totals"));
    const pair = (term, value) => [h("dt", null, term), h("dd", null, value)];
    totals.append(
      ...pair(_("预算合计"), P.fmt.money(project.budget_total)),
      ...pair(_("已经支出"), P.fmt.money(project.spent_total)),
      ...pair(_("尚未支出"), P.fmt.money(yuan(budget - spent))),
      ...pair(_("其中专项资金"), P.fmt.money(project.fund_allocated)),
    );
    fill(
      "money-bar",
      budget
        ? h("p", null, interpolate(_("已用去预算的 %s"), [`${share(spent, budget)}%`]))
        : h("p", { class: "muted" }, _("还没有登记预算。")),
      budget ? bar(share(spent, budget), spent > budget) : null,
    );

    const sources = P.clear($("sources"));
    project.source_totals.forEach((s) => {
      const b = fen(s.budget);
      const sp = fen(s.spent);
      sources.append(
        h(
          "li",
          null,
          h("p", { class: "item-title" }, s.source_display),
          h("p", null, interpolate(_("预算 %(budget)s，已支出 %(spent)s"), {
            budget: P.fmt.money(s.budget),
            spent: P.fmt.money(s.spent),
          }, true)),
          bar(share(sp, b), sp > b),
        ),
      );
    });
    if (!project.source_totals.length) {
      sources.append(h("li", { class: "muted" }, _("还没有登记预算。")));
    }

    const byLine = {};
    (expenses || []).forEach((e) => {
      (byLine[e.budget_line] = byLine[e.budget_line] || []).push(e);
    });
    const lines = P.clear($("budget-lines"));
    project.budget_lines.forEach((line) => {
      const amount = fen(line.amount);
      const used = fen(line.spent);
      const items = byLine[line.id] || [];
      lines.append(
        h(
          "li",
          null,
          h("div", { class: "badges" }, h("span", { class: "badge badge--info" }, line.source_display)),
          h("p", { class: "item-title" }, line.description),
          h("p", null, interpolate(_("预算 %(amount)s，已支出 %(spent)s，余 %(left)s"), {
            amount: P.fmt.money(line.amount),
            spent: P.fmt.money(line.spent),
            left: P.fmt.money(yuan(amount - used)),
          }, true)),
          bar(share(used, amount), used > amount),
          items.length
            ? h(
                "ul",
                { class: "expenses", "aria-label": interpolate(_("“%s”的支出"), [line.description]) },
                items.map((e) =>
                  h(
                    "li",
                    null,
                    h("span", { class: "expenses__amount" }, P.fmt.money(e.amount)),
                    " ",
                    interpolate(_("%(date)s 付给 %(payee)s：%(what)s"), {
                      date: P.fmt.date(e.spent_on),
                      payee: e.payee,
                      what: e.description,
                    }, true),
                    e.receipt
                      ? [" ", h("a", { href: e.receipt, target: "_blank", rel: "noopener" }, _("查看票据"))]
                      : null,
                  ),
                ),
              )
            : h("p", { class: "muted" }, _("这笔预算还没有支出。")),
        ),
      );
    });
    if (!project.budget_lines.length) {
      lines.append(h("li", { class: "muted" }, _("还没有登记预算。")));
    }
  }

  // Every expense of the project (the public accounts are complete, not a first page).
  async function loadExpenses() {
    const all = [];
    let url = `${base}expenses/?page_size=200`;
    while (url) {
      const data = await P.api("GET", url);
      all.push(...data.results);
      url = data.next;
    }
    return all;
  }

  // --- Evaluation ------------------------------------------------------------------------------

  function renderEvaluation() {
    const summary = project.evaluation_summary;
    fill(
      "evaluation-summary",
      summary.count
        ? interpolate(_("已有 %(n)s 位居民评价，平均 %(mean)s 分（满分 5 分）。"), {
            n: summary.count,
            mean: summary.mean,
          }, true)
        : _("还没有居民评价。"),
    );
    const can = project.actions.includes("evaluate");
    $("evaluate-form").hidden = !can;
    let why = "";
    const now = Date.now();
    if (can) {
      why = interpolate(_("评价截止到 %s。每人只能评价一次，提交后不能修改。"), [
        P.fmt.time(project.review_closes_at),
      ]);
    } else if (OPEN_STAGES.includes(project.stage)) {
      why = _("项目完成并公示后才能评价。");
    } else if (project.stage === "cancelled") {
      why = _("项目已取消，不进行评价。");
    } else if (project.stage === "closed" || new Date(project.review_closes_at).getTime() <= now) {
      why = interpolate(_("评价期已于 %s 结束。"), [P.fmt.time(project.review_closes_at)]);
    } else if (!me || me.verification_status !== "verified") {
      why = whyNot("evaluate");
    } else if (project.actions.includes("comment")) {
      // A verified resident of the community in the window without "evaluate": already done.
      why = _("您已经评价过这个项目了，谢谢！每人只能评价一次。");
    } else {
      why = _("只有本居民区的居民可以评价这个项目。");
    }
    fill("evaluate-status", why);
  }

  // --- Comments --------------------------------------------------------------------------------

  function renderCommentForm() {
    const can = project.actions.includes("comment");
    $("comment-form").hidden = !can;
    fill("comment-status", can ? "" : whyNot("comment"));
  }

  // --- Timeline --------------------------------------------------------------------------------

  function renderTimeline() {
    const list = P.clear($("timeline"));
    project.timeline.forEach((event) => {
      const words = VERBS[event.verb] || event.verb;
      let note = event.note;
      if (event.data && event.data.amount && ["budget_line_added", "expense_recorded"].includes(event.verb)) {
        note = `${P.fmt.money(event.data.amount)} ${note}`;
      }
      list.append(
        h(
          "li",
          null,
          h("p", { class: "meta" }, h("time", { datetime: event.at }, P.fmt.time(event.at)), h("span", null, event.actor_label)),
          h("p", null, h("strong", null, words), note ? `：${note}` : ""),
        ),
      );
    });
  }

  // --- Lists loaded from their own endpoints ---------------------------------------------------

  function renderUpdate(update) {
    return h(
      "article",
      null,
      h("p", { class: "meta" }, h("time", { datetime: update.created_at }, P.fmt.time(update.created_at)),
        update.author ? h("span", null, update.author.name) : null),
      h("p", { class: "pre-line" }, update.text),
      update.photos.length
        ? h(
            "ul",
            { class: "photo-grid" },
            update.photos.map((photo, index) =>
              h(
                "li",
                null,
                h("a", { href: photo.url, target: "_blank", rel: "noopener" },
                  h("img", {
                    src: photo.url,
                    loading: "lazy",
                    alt: photo.caption || interpolate(_("进展照片 %s"), [index + 1]),
                  })),
              ),
            ),
          )
        : null,
    );
  }

  function renderEvaluationItem(evaluation) {
    return h(
      "article",
      null,
      h("p", { class: "meta" }, h("strong", null, interpolate(_("%s 分"), [evaluation.rating])),
        h("span", null, evaluation.user.name), h("span", null, P.fmt.time(evaluation.created_at))),
      evaluation.comment ? h("p", { class: "pre-line" }, evaluation.comment) : null,
    );
  }

  function renderMember(member) {
    return h("li", null, h("span", null, member.name), " ", h("span", { class: "badge" }, member.role_display));
  }

  function renderComment(comment) {
    return h(
      "article",
      null,
      h("p", { class: "meta" }, h("span", null, comment.author_label), h("span", null, P.fmt.ago(comment.created_at))),
      comment.hidden
        ? h("p", { class: "muted" }, interpolate(_("这条评论已被隐藏。原因：%s"), [comment.hidden_reason]))
        : h("p", { class: "pre-line" }, comment.body),
    );
  }

  let lists = null;
  function startLists() {
    lists = {
      updates: P.list($("updates"), `${base}updates/`, renderUpdate, { empty: _("还没有发布进展。") }),
      evaluations: P.list($("evaluations"), `${base}evaluations/`, renderEvaluationItem, {
        empty: _("还没有评价。"),
      }),
      members: P.list($("members"), `${base}members/`, renderMember, { empty: _("还没有成员。") }),
      comments: P.list($("comments"), `${base}comments/`, renderComment, { empty: _("还没有评论，来说两句吧。") }),
    };
  }

  // --- Loading ---------------------------------------------------------------------------------

  async function load() {
    const [detail, expenses] = await Promise.all([
      P.api("GET", base),
      loadExpenses().catch(() => null),
    ]);
    project = detail;
    renderHeader();
    renderStages();
    renderJoin();
    renderPlan();
    renderMoney(expenses);
    renderEvaluation();
    renderCommentForm();
    renderTimeline();
    $("loading").hidden = true;
    $("body").hidden = false;
  }

  P.bindForm($("join-form"), async (data) => {
    await P.api("POST", `${base}members/`, { role: data.get("role") });
    await load();
    lists.members.reload();
    P.flash(_("报名成功，您已参与本项目。"), "success", $("join-flash"));
  });

  P.button($("leave"), async () => {
    await P.api("DELETE", `${base}members/me/`);
    await load();
    lists.members.reload();
    P.flash(_("您已退出本项目。"), "success", $("join-flash"));
  }, { errorBox: $("join-flash") });

  P.bindForm($("evaluate-form"), async (data, form) => {
    const rating = data.get("rating");
    if (!rating) {
      // Said here in words: the API would only answer that the field is required.
      throw new P.ApiError(400, _("请先选一个评分。"), "invalid", { rating: [_("请选择 1 到 5 分。")] });
    }
    await P.api("POST", `${base}evaluations/`, { rating: Number(rating), comment: data.get("comment") });
    form.reset();
    await load();
    lists.evaluations.reload();
    P.flash(_("谢谢您的评价！"), "success", $("evaluate-flash"));
  });

  P.bindForm($("comment-form"), async (data, form) => {
    await P.api("POST", `${base}comments/`, { body: data.get("body") });
    form.reset();
    lists.comments.reload();
    P.flash(_("评论已发表。"), "success", $("comment-flash"));
  });

  P.me()
    .then((m) => { me = m; }, () => {})
    .then(load)
    .then(startLists)
    .catch((err) => {
      $("loading").textContent = "";
      P.flash(P.message(err), "error");
    });
});
