/* /elections/: the owners' committee elections of my community, with their state, turnout and
   whether my household has voted. Reads GET /api/v1/property/elections/ (page numbers). */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  // The colour only helps: every badge carries the state in words.
  const STATUS_BADGE = {
    draft: "badge--info",
    candidates_published: "badge--info",
    voting: "badge--open",
    counted: "badge--closed",
    cancelled: "badge--danger",
  };

  const form = document.querySelector("[data-role=filters]");
  const container = document.querySelector("[data-role=list]");
  const initial = new URLSearchParams(window.location.search);
  form.elements.status.value = initial.get("status") || "";

  function currentQuery() {
    return P.query({ status: form.elements.status.value });
  }

  function render(e) {
    const badges = [h("span", { class: `badge ${STATUS_BADGE[e.status] || ""}` }, e.status_display)];
    if (e.my_household_voted) badges.push(h("span", { class: "badge badge--ok" }, _("本户已投票")));
    else if (e.can_vote) badges.push(h("span", { class: "badge badge--warn" }, _("可以投票")));
    const turnout = e.turnout.rate === null
      ? interpolate(_("已投票 %s 户"), [e.turnout.ballots])
      : interpolate(_("已投票 %(b)s / %(e)s 户（%(r)s%）"),
        { b: e.turnout.ballots, e: e.turnout.eligible_households, r: e.turnout.rate }, true);
    return h(
      "article",
      null,
      h("div", { class: "badges" }, badges),
      h("h3", { class: "item-title" }, h("a", { href: `/elections/${e.id}/` }, e.title)),
      h(
        "p",
        { class: "meta" },
        h("span", null, e.area.name),
        h("span", null, interpolate(_("应选 %s 人"), [e.seats])),
        h("span", null, interpolate(_("投票截止 %s"), [P.fmt.time(e.closes_at)])),
      ),
      e.status === "draft" ? null : h("p", null, turnout),
    );
  }

  const listing = P.list(container, `property/elections/${currentQuery()}`, render, {
    empty: _("没有符合条件的选举。"),
  });

  form.addEventListener("change", () => {
    const q = currentQuery();
    window.history.replaceState(null, "", window.location.pathname + q);
    listing.reload(`property/elections/${q}`);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
});
