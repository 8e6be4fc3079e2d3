/* /activities/: the community's volunteer activities and public-welfare posts, with places left,
   the waiting list and my own sign-up. Reads GET /api/v1/volunteer-activities/ (page numbers),
   filtered by time (upcoming / past), type, service team, places left and "mine". */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const STATUS_BADGE = {
    published: "badge--open",
    finished: "badge--closed",
    cancelled: "badge--danger",
    draft: "badge--info",
  };
  const MY_SIGNUP = {
    confirmed: [_("我已报名"), "badge--ok"],
    waitlisted: [_("我在候补"), "badge--warn"],
  };

  const form = document.querySelector("[data-role=filters]");
  const container = document.querySelector("[data-role=list]");
  const teamSelect = form.elements.team;

  // Local calendar days in Asia/Shanghai: "upcoming" starts today, "past" ends yesterday.
  function shanghaiDate(offsetDays) {
    const moment = new Date(Date.now() + offsetDays * 86400000);
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(moment);
  }

  const initial = new URLSearchParams(window.location.search);
  form.elements.when.value = initial.has("when") ? initial.get("when") : "upcoming";
  form.elements.kind.value = initial.get("kind") || "";
  form.elements.has_places.checked = initial.get("has_places") === "true";
  form.elements.mine.checked = initial.get("mine") === "true";

  function filters() {
    return {
      when: form.elements.when.value,
      kind: form.elements.kind.value,
      team: teamSelect.value,
      has_places: form.elements.has_places.checked ? "true" : "",
      mine: form.elements.mine.checked ? "true" : "",
    };
  }

  function apiUrl() {
    const { when, ...rest } = filters();
    const dates = {};
    if (when === "upcoming") {
      dates.date_from = shanghaiDate(0);
      dates.ordering = "starts_at"; // the soonest first; the past keeps newest first
    }
    if (when === "past") dates.date_to = shanghaiDate(-1);
    return `volunteer-activities/${P.query({ ...rest, ...dates })}`;
  }

  function placesText(activity) {
    const left = Math.max(0, activity.capacity - activity.confirmed_count);
    const parts = [
      interpolate(_("名额 %(capacity)s 人，已报名 %(taken)s 人，剩余 %(left)s 个"), {
        capacity: activity.capacity,
        taken: activity.confirmed_count,
        left,
      }, true),
    ];
    if (activity.waitlist_count) {
      parts.push(interpolate(_("候补 %s 人"), [activity.waitlist_count]));
    }
    return parts.join("，");
  }

  function render(activity) {
    const badges = [
      h("span", { class: `badge ${STATUS_BADGE[activity.status] || ""}` }, activity.status_display),
      h("span", { class: "badge badge--info" }, activity.kind_display),
    ];
    const mine = MY_SIGNUP[activity.my_signup_status];
    if (mine) badges.push(h("span", { class: `badge ${mine[1]}` }, mine[0]));
    const left = activity.capacity - activity.confirmed_count;
    if (activity.status === "published" && left <= 0) {
      badges.push(h("span", { class: "badge badge--warn" }, _("已满，可候补")));
    }
    return h(
      "article",
      null,
      h("div", { class: "badges" }, badges),
      h(
        "h3",
        { class: "item-title" },
        h("a", { href: `/activities/${activity.id}/` }, activity.title),
      ),
      h(
        "p",
        { class: "meta" },
        h("span", null, interpolate(_("时间：%s"), [P.fmt.time(activity.starts_at)])),
        h("span", null, interpolate(_("地点：%s"), [activity.place])),
        activity.team ? h("span", null, activity.team.name) : null,
        activity.category ? h("span", null, activity.category) : null,
      ),
      h("p", null, placesText(activity)),
      activity.status === "published"
        ? h("p", { class: "muted" }, interpolate(_("报名截止：%s"), [P.fmt.time(activity.signup_deadline)]))
        : null,
    );
  }

  let listing = null;
  function reload() {
    const q = P.query(filters());
    window.history.replaceState(null, "", window.location.pathname + q);
    listing.reload(apiUrl());
  }

  // The teams of my community fill the team filter; the list waits for them only when the
  // address names a team (a shared link), so the first page is not slowed otherwise.
  const teams = P.api("GET", "service-teams/?page_size=100")
    .then((data) => {
      data.results.forEach((team) => {
        teamSelect.append(h("option", { value: String(team.id) }, team.name));
      });
      teamSelect.value = initial.get("team") || "";
    })
    .catch(() => {
      teamSelect.disabled = true;
    });

  (initial.get("team") ? teams : Promise.resolve()).then(() => {
    listing = P.list(container, apiUrl(), render, { empty: _("没有符合条件的活动。") });
    form.addEventListener("change", reload);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
});
