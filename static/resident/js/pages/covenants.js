/* /covenants/: my community's covenants 规约 by where they stand — in discussion, signing, in
   force, earlier. Reads GET /api/v1/covenants/ (the `stage` of the newest version, so an
   amendment being discussed shows under discussion, and the covenant's `state`). */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const BADGE = {
    discussion: "badge--open",
    signing: "badge--warn",
    in_force: "badge--ok",
    not_adopted: "badge--closed",
    repealed: "badge--danger",
    cancelled: "badge--closed",
  };

  function render(covenant) {
    const facts = [h("span", null, covenant.target)];
    if (covenant.stage === "discussion" && covenant.discussion_closes_at) {
      facts.push(h("span", null, interpolate(_("讨论至 %s"), [P.fmt.time(covenant.discussion_closes_at)])));
    } else if (covenant.stage === "signing" && covenant.signing_closes_at) {
      facts.push(h("span", null, interpolate(_("签署至 %s"), [P.fmt.time(covenant.signing_closes_at)])));
      facts.push(h("span", null, interpolate(_("已有 %s 户同意"), [covenant.yes_so_far])));
    } else if (covenant.effective_on) {
      facts.push(h("span", null, interpolate(_("%s 起生效"), [P.fmt.date(covenant.effective_on)])));
    }
    const badges = [h("span", { class: `badge ${BADGE[covenant.stage] || ""}` }, covenant.stage_display)];
    if (covenant.version_number > 1 && ["draft", "discussion", "signing"].includes(covenant.stage)) {
      badges.push(h("span", { class: "badge" }, interpolate(_("第 %s 版修订"), [covenant.version_number])));
    }
    if (covenant.my_household_signed) badges.push(h("span", { class: "badge badge--ok" }, _("我家已签署")));
    return h(
      "article",
      null,
      h("div", { class: "badges" }, badges),
      h("h3", { class: "item-title" }, h("a", { href: `/covenants/${covenant.id}/` }, covenant.title)),
      h("p", { class: "meta" }, facts),
    );
  }

  const groups = [
    ["discussion", "covenants/?stage=discussion", _("目前没有征求意见中的规约。")],
    ["signing", "covenants/?stage=signing", _("目前没有签署表决中的规约。")],
    ["in_force", "covenants/?state=in_force", _("还没有已生效的规约。")],
  ];
  groups.forEach(([role, url, empty]) => {
    const container = document.querySelector(`[data-role=${role}]`);
    // An in-force covenant with an amendment under way is listed once, under the amendment.
    const skipOpen = role === "in_force";
    P.list(container, url, (c) => (skipOpen && ["discussion", "signing"].includes(c.stage) ? null : render(c)), { empty });
  });
  P.list(
    document.querySelector("[data-role=earlier]"),
    "covenants/?state=not_adopted&state=repealed&state=cancelled",
    render,
    { empty: _("暂无。") },
  );
});
