/* /projects/: the community's micro-projects with their stage in words and money in figures.
   Reads GET /api/v1/projects/ (page numbers), filtered by stage and "mine". */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  // The colour only helps: every badge carries the stage's name in words.
  const STAGE_BADGE = {
    planning: "badge--info",
    in_progress: "badge--warn",
    published: "badge--open",
    closed: "badge--closed",
    cancelled: "badge--danger",
  };

  const form = document.querySelector("[data-role=filters]");
  const container = document.querySelector("[data-role=list]");

  // The filters live in the address too, so Back and a shared link show the same list.
  const initial = new URLSearchParams(window.location.search);
  form.elements.stage.value = initial.get("stage") || "";
  form.elements.mine.checked = initial.get("mine") === "true";

  function currentQuery() {
    return P.query({
      stage: form.elements.stage.value,
      mine: form.elements.mine.checked ? "true" : "",
    });
  }

  function moneyLine(project) {
    const budget = Number(project.budget_total);
    const spent = Number(project.spent_total);
    if (!budget) {
      return h("p", { class: "muted" }, _("还没有登记预算。"));
    }
    const share = Math.min(100, Math.round((spent / budget) * 100));
    return h(
      "div",
      { class: "money-line" },
      h(
        "p",
        null,
        interpolate(
          _("预算 %(budget)s，已支出 %(spent)s（%(share)s）"),
          { budget: P.fmt.money(project.budget_total), spent: P.fmt.money(project.spent_total), share: `${share}%` },
          true,
        ),
      ),
      h("div", { class: "bar", "aria-hidden": "true" }, h("span", { style: `width:${share}%` })),
    );
  }

  function render(project) {
    const badges = [
      h("span", { class: `badge ${STAGE_BADGE[project.stage] || ""}` }, project.stage_display),
    ];
    if (project.is_member) badges.push(h("span", { class: "badge badge--ok" }, _("我已参与")));
    if (project.stage === "published" && project.review_closes_at) {
      badges.push(
        h(
          "span",
          { class: "badge badge--warn" },
          interpolate(_("评价截止 %s"), [P.fmt.time(project.review_closes_at)]),
        ),
      );
    }
    const meta = [
      h("span", null, project.community.name),
      project.grid ? h("span", null, project.grid.name) : null,
      project.lead ? h("span", null, interpolate(_("主理人 %s"), [project.lead.name])) : null,
      h("span", null, interpolate(_("%s人参与"), [project.members_count])),
    ];
    if (project.satisfaction_score) {
      meta.push(h("span", null, interpolate(_("满意度 %s 分"), [project.satisfaction_score])));
    }
    return h(
      "article",
      null,
      h("div", { class: "badges" }, badges),
      h(
        "h3",
        { class: "item-title" },
        h("a", { href: `/projects/${project.id}/` }, project.title),
      ),
      project.summary ? h("p", null, project.summary) : null,
      h("p", { class: "meta" }, meta),
      moneyLine(project),
    );
  }

  const listing = P.list(container, `projects/${currentQuery()}`, render, {
    empty: _("没有符合条件的项目。"),
  });

  form.addEventListener("change", () => {
    const q = currentQuery();
    window.history.replaceState(null, "", window.location.pathname + q);
    listing.reload(`projects/${q}`);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
});
