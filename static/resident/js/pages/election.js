/* /elections/<id>/: one owners' committee election — the candidates, my household's ballot
   (with an inline confirmation, since a ballot cannot be changed), why I cannot vote when I
   cannot, the turnout, the result once counted, and the public record of every step.

   Everything comes from /api/v1/property/elections/<id>/… . `can_vote` and
   `cannot_vote_reason` say, in words, whether I may vote now; the limit of choices (the
   seats) is held in the page and again by the API. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const root = document.querySelector("[data-role=election]");
  const base = `property/elections/${root.dataset.id}/`;
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const form = $("vote-form");
  let election = null;

  const STATUS_BADGE = {
    draft: "badge--info",
    candidates_published: "badge--info",
    voting: "badge--open",
    counted: "badge--closed",
    cancelled: "badge--danger",
  };
  const VERBS = {
    create: _("发起选举"),
    candidate_add: _("登记候选人"),
    candidate_remove: _("撤回候选人"),
    publish_candidates: _("公示候选人名单"),
    open_voting: _("开始投票"),
    count: _("计票并公布结果"),
    cancel: _("取消选举"),
  };

  function fact(list, term, value) {
    list.append(h("dt", null, term), h("dd", null, String(value)));
  }

  function renderHeader(e) {
    document.title = `${e.title} · ${document.title.split(" · ").pop()}`;
    const badges = P.clear($("badges"));
    badges.append(h("span", { class: `badge ${STATUS_BADGE[e.status] || ""}` }, e.status_display));
    if (e.my_household_voted) badges.append(h("span", { class: "badge badge--ok" }, _("本户已投票")));
    $("title").textContent = e.title;
    const facts = P.clear($("facts"));
    fact(facts, _("物业管理区域"), e.area.name);
    fact(facts, _("届次"), interpolate(_("第 %s 届"), [e.term_number]));
    fact(facts, _("应选人数"), e.seats);
    fact(facts, _("新一届任期"), `${e.term_starts_on} — ${e.term_ends_on}`);
    fact(facts, _("投票截止"), P.fmt.time(e.closes_at));
    if (e.status === "cancelled") fact(facts, _("取消原因"), e.cancel_reason);
    $("description").textContent = e.description || "";
  }

  function chosen() {
    return Array.from(form.querySelectorAll("input[name=candidate]"))
      .filter((input) => input.checked)
      .map((input) => Number(input.value));
  }

  // Once the seats are all chosen, the other boxes are disabled: refused here first.
  function holdLimit() {
    const full = chosen().length >= election.seats;
    form.querySelectorAll("input[name=candidate]").forEach((input) => {
      input.disabled = full && !input.checked;
    });
  }

  function renderVote(e) {
    const status = $("vote-status");
    form.hidden = !e.can_vote;
    $("confirm").hidden = true;
    $("review").hidden = false;
    if (e.my_household_voted) {
      status.textContent = _("您家已经投过票了（每户一票，任何一位家庭成员投票即代表全户）。");
    } else if (e.can_vote) {
      status.textContent = interpolate(
        _("每户一票，由一位家庭成员代表全户投票，最多选 %s 人。投票后不能修改。"), [e.seats]);
    } else {
      status.textContent = e.cannot_vote_reason;
    }
    if (!e.can_vote) return;
    $("vote-legend").textContent = interpolate(_("请选择候选人（最多 %s 人）"), [e.seats]);
    const box = P.clear($("choices"));
    e.candidates.forEach((c) => {
      box.append(
        h(
          "label",
          null,
          h("input", { type: "checkbox", name: "candidate", value: String(c.id) }),
          h("span", null, `${c.position}. ${c.name}`),
        ),
      );
    });
    box.addEventListener("change", holdLimit);
  }

  function renderCandidates(e) {
    const turnout = P.clear($("turnout"));
    fact(turnout, _("有投票权户数"), e.turnout.eligible_households);
    fact(turnout, _("已投票户数"), e.turnout.ballots);
    fact(turnout, _("投票率"), e.turnout.rate === null ? "—" : `${e.turnout.rate}%`);
    $("results-note").textContent = e.counted
      ? `${_("计票结果：")}${e.tie_rule}`
      : _("得票数在投票截止、计票后公布。");
    const list = P.clear($("candidates"));
    if (!e.candidates.length) list.append(h("li", null, _("候选人名单尚未公示。")));
    e.candidates.forEach((c) => {
      const head = [h("strong", null, `${c.position}. ${c.name}`)];
      if (e.counted) {
        head.push(" ", h("span", { class: `badge ${c.elected ? "badge--ok" : "badge--info"}` },
          c.elected ? _("当选") : _("未当选")));
      }
      list.append(
        h(
          "li",
          null,
          h("p", null, head),
          c.statement ? h("p", { class: "muted" }, c.statement) : null,
          e.counted ? h("p", null, interpolate(_("得票 %s"), [c.votes])) : null,
        ),
      );
    });
  }

  function renderTimeline(e) {
    const list = P.clear($("timeline"));
    e.events.forEach((ev) => {
      list.append(
        h(
          "li",
          null,
          h("span", { class: "muted" }, P.fmt.time(ev.at)),
          " ",
          h("span", null, `${ev.actor_label} ${VERBS[ev.verb] || ev.verb}`),
          ev.note ? h("p", null, ev.note) : null,
        ),
      );
    });
  }

  function render(e) {
    election = e;
    renderHeader(e);
    renderVote(e);
    renderCandidates(e);
    renderTimeline(e);
    $("loading").hidden = true;
    $("body").hidden = false;
  }

  function load() {
    return P.api("GET", base).then(render).catch((err) => {
      $("loading").textContent = P.message(err);
    });
  }

  $("review").addEventListener("click", () => {
    P.clearErrors(form);
    const picks = chosen();
    if (!picks.length) {
      P.showErrors(form, new P.ApiError(400, _("请至少选择一位候选人。"), "invalid",
        { candidates: [_("请至少选择一位候选人。")] }));
      return;
    }
    const names = election.candidates.filter((c) => picks.includes(c.id)).map((c) => c.name);
    $("confirm-text").textContent = interpolate(
      _("您选择了：%s。投票后不能修改，确定代表全户投票吗？"), [names.join("、")]);
    $("confirm").hidden = false;
    $("review").hidden = true;
    $("confirm").querySelector("[type=submit]").focus();
  });
  $("back").addEventListener("click", () => {
    $("confirm").hidden = true;
    $("review").hidden = false;
    $("review").focus();
  });

  P.bindForm(form, () =>
    P.api("POST", `${base}vote/`, { candidates: chosen() })
      .then(() => {
        P.flash(_("投票成功，谢谢您的参与。"), "success", $("vote-flash"));
        return load();
      })
      .catch((err) => {
        $("confirm").hidden = true;
        $("review").hidden = false;
        throw err;
      }), { pendingText: _("正在提交…") });

  load();
});
