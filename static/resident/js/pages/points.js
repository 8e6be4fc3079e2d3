/* /points/: my balance, my service hours, every ledger entry in words, and the street's published
   points rules (积分管理办法及兑换细则). Reads /api/v1/points/me/, /points/me/ledger/ (cursor),
   /volunteers/me/ and /points/policy/. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;
  const $ = (role) => document.querySelector(`[data-role="${role}"]`);

  const KIND_BADGE = {
    earn: "badge--ok",
    redeem: "badge--info",
    refund: "badge--ok",
    expire: "badge--warn",
    adjust: "badge--info",
  };

  function renderBalance(data) {
    const box = P.clear($("balance"));
    if (!data.accounts.length) {
      box.append(
        h("p", { class: "balance" }, "0", h("small", null, ` ${_("分")}`)),
        h("p", null, _("您还没有积分。参加志愿服务、服务时长经社区审核通过后，就会得到积分。")),
      );
      return;
    }
    data.accounts.forEach((account) => {
      box.append(
        h("p", { class: "balance" }, P.fmt.number(account.balance), h("small", null, ` ${_("分")}`)),
        h("p", { class: "muted" }, interpolate(_("%(street)s · %(community)s"), {
          street: account.street.name,
          community: account.community.name,
        }, true)),
      );
    });
  }

  function renderHours(mine) {
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
  }

  function entryWhat(entry) {
    if (entry.activity_title) return interpolate(_("志愿服务：%s"), [entry.activity_title]);
    if (entry.reward_name) {
      return entry.kind === "refund"
        ? interpolate(_("取消兑换：%s"), [entry.reward_name])
        : interpolate(_("兑换：%s"), [entry.reward_name]);
    }
    if (entry.kind === "expire" && entry.period) {
      return interpolate(_("%s 到期未用的积分"), [entry.period]);
    }
    return entry.reason || entry.kind_display;
  }

  function renderEntry(entry) {
    const gained = entry.points > 0;
    return h(
      "article",
      { class: "ledger-row" },
      h(
        "div",
        null,
        h("div", { class: "badges" }, h("span", { class: `badge ${KIND_BADGE[entry.kind] || ""}` }, entry.kind_display)),
        h("p", null, entryWhat(entry)),
        entry.reason && (entry.activity_title || entry.reward_name)
          ? h("p", { class: "muted" }, interpolate(_("说明：%s"), [entry.reason]))
          : null,
        h("p", { class: "meta" }, h("time", { datetime: entry.created_at }, P.fmt.time(entry.created_at)),
          h("span", null, interpolate(_("余额 %s 分"), [entry.balance_after]))),
      ),
      // The sign and the word both say which way the points went; the colour only repeats it.
      h(
        "p",
        { class: `ledger__points ${gained ? "ledger__points--in" : "ledger__points--out"}` },
        gained
          ? interpolate(_("+%s 分"), [entry.points])
          : interpolate(_("−%s 分"), [Math.abs(entry.points)]),
      ),
    );
  }

  function ruleText(rule) {
    const parts = [];
    if (rule.points_per_hour) parts.push(interpolate(_("每服务 1 小时 %s 分"), [rule.points_per_hour]));
    if (rule.points_per_attendance) parts.push(interpolate(_("每参加 1 次 %s 分"), [rule.points_per_attendance]));
    if (rule.bonus_points) parts.push(interpolate(_("另加 %s 分"), [rule.bonus_points]));
    if (rule.max_points_per_attendance !== null) {
      parts.push(interpolate(_("一次最多 %s 分"), [rule.max_points_per_attendance]));
    }
    const scope = [rule.activity_kind === "post" ? _("公益岗位") : rule.activity_kind === "activity" ? _("志愿活动") : "", rule.category]
      .filter(Boolean)
      .join(" · ");
    if (scope) parts.push(interpolate(_("适用：%s"), [scope]));
    if (rule.is_default) parts.push(_("默认规则"));
    return parts.join("；");
  }

  function renderPolicy(data) {
    const box = P.clear($("policy"));
    const { policy } = data;
    if (policy) $("policy-title").textContent = policy.title;
    box.append(h("p", { class: "muted" }, interpolate(_("%s 公布"), [data.street.name])));
    if (!policy) {
      box.append(h("p", null, _("街道还没有公布积分管理办法。")));
    } else {
      if (policy.text) box.append(h("p", { class: "pre-line" }, policy.text));
      box.append(
        h("p", null, policy.daily_cap
          ? interpolate(_("每人每天通过志愿服务最多获得 %s 分。"), [policy.daily_cap])
          : _("每天获得的积分不设上限。")),
        h("p", null, policy.expiry_months
          ? interpolate(_("积分有效期 %s 个月，到期未用的积分会清零。"), [policy.expiry_months])
          : _("积分长期有效，不会过期。")),
      );
      if (policy.published_at) {
        box.append(h("p", { class: "muted" }, interpolate(_("公布于 %s"), [P.fmt.date(policy.published_at)])));
      }
    }
    const rules = data.rules.filter((r) => r.is_active);
    if (rules.length) {
      box.append(
        h("h3", null, _("积分规则")),
        h("ul", { class: "rules-list" }, rules.map((rule) =>
          h("li", null, h("strong", null, rule.name), h("br"), ruleText(rule)))),
      );
    }
  }

  P.api("GET", "points/me/").then(renderBalance).catch((err) => {
    P.clear($("balance"));
    P.flash(P.message(err), "error", $("balance"));
  });
  P.api("GET", "volunteers/me/").then(renderHours).catch(() => {
    $("hours").textContent = _("暂时无法读取服务时长，请稍后再试。");
  });
  P.list($("ledger"), "points/me/ledger/", renderEntry, { empty: _("还没有积分记录。") });
  P.api("GET", "points/policy/").then(renderPolicy).catch((err) => {
    P.clear($("policy")).append(
      h("p", null, err.status === 404 ? _("街道还没有公布积分管理办法。") : P.message(err)),
    );
  });
});
