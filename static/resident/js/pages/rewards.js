/* /rewards/: the community's rewards with price and stock, redeeming with an inline confirmation
   (never a pop-up), and my orders with their status — a waiting order can be cancelled and its
   points come back. The balance and stock checks are the API's: its refusal ("积分不足：余额 10，
   需要 30。") is shown in the confirmation panel as it comes, with the quantity kept. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;
  const $ = (role) => document.querySelector(`[data-role="${role}"]`);

  const ORDER_BADGE = {
    requested: "badge--pending",
    handed_over: "badge--ok",
    cancelled: "badge--closed",
  };
  const MAX_QUANTITY = 100; // the API's limit per order

  let accounts = [];

  // A reward is paid from the account of the street its community belongs to; a resident
  // normally has one account, the one of their home community.
  function balanceFor(reward) {
    const account = accounts.find((a) => a.community.id === reward.community.id) || accounts[0];
    return account ? account.balance : 0;
  }

  async function loadBalance() {
    const data = await P.api("GET", "points/me/");
    accounts = data.accounts;
    const box = P.clear($("balance"));
    if (!accounts.length) {
      box.append(
        h("p", { class: "balance" }, "0", h("small", null, ` ${_("分")}`)),
        h("p", null, _("您还没有积分。参加志愿服务、审核通过后就会得到积分。")),
      );
      return;
    }
    accounts.forEach((account) => {
      box.append(
        h("p", { class: "balance", "data-role": "balance-value" }, P.fmt.number(account.balance),
          h("small", null, ` ${_("分")}`)),
        h("p", { class: "muted" }, account.street.name),
      );
    });
  }

  function stockText(stock) {
    return stock > 0 ? interpolate(_("库存 %s 件"), [stock]) : _("已兑完");
  }

  function renderReward(reward) {
    const stock = h("span", { class: `badge ${reward.stock > 0 ? "badge--ok" : "badge--warn"}`, "data-role": "stock" },
      stockText(reward.stock));
    const flashBox = h("div", { class: "flash-area" });
    const card = h(
      "article",
      { "data-reward": String(reward.id) },
      h("div", { class: "badges" }, h("span", { class: "badge badge--info" }, reward.kind_display), stock),
      h("h3", { class: "item-title" }, reward.name),
      reward.description ? h("p", { class: "pre-line" }, reward.description) : null,
      reward.provider ? h("p", { class: "muted" }, interpolate(_("提供方：%s"), [reward.provider.name])) : null,
      h("p", { class: "reward-price" }, interpolate(_("%s 积分"), [reward.points_cost])),
      flashBox,
    );
    let current = reward;

    if (reward.stock <= 0) {
      card.append(h("p", { class: "muted" }, _("已兑完，暂时不能兑换。")));
      return card;
    }

    const open = h("button", { type: "button", class: "button button--primary button--block" },
      interpolate(_("兑换“%s”"), [reward.name]));
    const qtyId = `quantity-${reward.id}`;
    const summary = h("p", { "aria-live": "polite" });
    const form = h(
      "form",
      { class: "confirm-panel", hidden: true, "aria-label": interpolate(_("确认兑换“%s”"), [reward.name]) },
      h("div", { class: "form-error", "data-role": "form-error", role: "alert" }),
      h("p", null, interpolate(_("确认兑换“%s”吗？积分会立即扣除，请到社区居委会领取。"), [reward.name])),
      h(
        "div",
        { class: "field" },
        h("label", { for: qtyId }, _("数量")),
        h("input", {
          type: "number",
          id: qtyId,
          name: "quantity",
          min: "1",
          max: String(Math.min(MAX_QUANTITY, reward.stock)),
          value: "1",
          inputmode: "numeric",
        }),
        h("p", { class: "field-error", "data-error-for": "quantity" }),
      ),
      summary,
      h(
        "div",
        { class: "button-row" },
        h("button", { type: "submit", class: "button button--primary" }, _("确认兑换")),
        h("button", { type: "button", class: "button", "data-role": "cancel" }, _("不兑换了")),
      ),
    );
    const quantity = form.elements.quantity;

    function updateSummary() {
      const n = Math.max(1, parseInt(quantity.value, 10) || 1);
      const cost = n * current.points_cost;
      const balance = balanceFor(current);
      summary.textContent = balance >= cost
        ? interpolate(_("共需 %(cost)s 积分，兑换后余额 %(left)s 分。"), { cost, left: balance - cost }, true)
        : interpolate(_("共需 %(cost)s 积分，您现在有 %(balance)s 分，还差 %(short)s 分。"), {
            cost, balance, short: cost - balance,
          }, true);
    }

    open.addEventListener("click", () => {
      P.flash("", "info", flashBox);
      form.hidden = false;
      open.hidden = true;
      updateSummary();
      quantity.focus();
    });
    form.querySelector("[data-role=cancel]").addEventListener("click", () => {
      P.clearErrors(form);
      form.hidden = true;
      open.hidden = false;
      open.focus();
    });
    quantity.addEventListener("input", updateSummary);

    P.bindForm(form, async (data) => {
      const n = parseInt(data.get("quantity"), 10);
      const order = await P.api("POST", `rewards/${current.id}/redeem/`, {
        quantity: Number.isFinite(n) ? n : data.get("quantity"),
      });
      current = await P.api("GET", `rewards/${current.id}/`);
      stock.textContent = stockText(current.stock);
      quantity.max = String(Math.max(1, Math.min(MAX_QUANTITY, current.stock)));
      form.reset();
      form.hidden = true;
      open.hidden = current.stock <= 0;
      if (current.stock <= 0) card.append(h("p", { class: "muted" }, _("已兑完，暂时不能兑换。")));
      await loadBalance().catch(() => {});
      orders.reload();
      P.flash(
        interpolate(_("兑换成功！用去 %(points)s 积分。兑换单号 %(id)s，请到社区居委会领取。"), {
          points: order.points,
          id: order.id,
        }, true),
        "success",
        flashBox,
      );
    }, { pendingText: _("正在兑换…") });

    card.append(open, form);
    return card;
  }

  function renderOrder(order) {
    const flashBox = h("div", { class: "flash-area" });
    const item = h(
      "article",
      { "data-order": String(order.id) },
      h("div", { class: "badges" }, h("span", { class: `badge ${ORDER_BADGE[order.status] || ""}` }, order.status_display)),
      h("h3", { class: "item-title" }, interpolate(_("%(name)s × %(n)s"), { name: order.reward.name, n: order.quantity }, true)),
      h("p", { class: "meta" },
        h("span", null, interpolate(_("用去 %s 积分"), [order.points])),
        h("span", null, interpolate(_("兑换单号 %s"), [order.id])),
        h("time", { datetime: order.created_at }, P.fmt.time(order.created_at))),
      order.status === "requested" ? h("p", null, _("请到社区居委会领取。领取前可以取消，积分会退回。")) : null,
      order.status === "handed_over" && order.handed_over_at
        ? h("p", null, interpolate(_("已于 %s 领取。"), [P.fmt.time(order.handed_over_at)]))
        : null,
      order.status === "cancelled"
        ? h("p", null, interpolate(_("已取消，积分已退回。%s"), [order.cancelled_reason || ""]))
        : null,
      flashBox,
    );
    if (order.status !== "requested") return item;

    const ask = h("button", { type: "button", class: "button button--danger" }, _("取消兑换"));
    const yes = h("button", { type: "button", class: "button button--danger" }, _("确定取消，退回积分"));
    const no = h("button", { type: "button", class: "button" }, _("不取消"));
    const panel = h(
      "div",
      { class: "confirm-panel", hidden: true },
      h("p", null, interpolate(_("确定取消这次兑换吗？%s 积分会退回到您的账户。"), [order.points])),
      h("div", { class: "button-row" }, yes, no),
    );
    ask.addEventListener("click", () => {
      panel.hidden = false;
      ask.hidden = true;
      yes.focus();
    });
    no.addEventListener("click", () => {
      panel.hidden = true;
      ask.hidden = false;
      ask.focus();
    });
    P.button(yes, async () => {
      await P.api("POST", `redemptions/${order.id}/cancel/`, {});
      P.flash(_("已取消兑换，积分已退回。"), "success");
      await loadBalance().catch(() => {});
      orders.reload();
      catalogue.reload();
    }, { errorBox: flashBox });
    item.append(ask, panel);
    return item;
  }

  const catalogue = P.list($("catalogue"), "rewards/", renderReward, {
    empty: _("社区暂时没有可兑换的奖励。"),
  });
  const orders = P.list($("orders"), "redemptions/?mine=true", renderOrder, {
    empty: _("您还没有兑换过奖励。"),
  });
  loadBalance().catch((err) => {
    P.clear($("balance"));
    P.flash(P.message(err), "error", $("balance"));
  });
});
