/* /my-property/: my compound's property-management area, its company with the contract's term
   and service-fee standard, and the owners' committee with its members, roles and term.
   Reads GET /api/v1/property/my-area/. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;
  const $ = (role) => document.querySelector(`[data-role="${role}"]`);

  function fact(list, term, value) {
    list.append(h("dt", null, term), h("dd", null, String(value)));
  }

  function render(data) {
    $("loading").hidden = true;
    if (!data.compound) {
      const empty = $("empty");
      empty.hidden = false;
      empty.textContent = _("实名核验并登记住址后，这里会显示您所在小区的物业和业委会。");
      return;
    }
    $("body").hidden = false;
    const area = P.clear($("area"));
    fact(area, _("我的小区"), data.compound.name);
    fact(area, _("物业管理区域"), data.area ? data.area.name : _("尚未划定"));
    if (data.area) {
      fact(area, _("区域包含小区"), data.area.compounds.map((c) => c.name).join("、"));
    }
    const contract = P.clear($("contract"));
    const fees = P.clear($("fees"));
    if (data.contract) {
      const c = data.contract;
      fact(contract, _("物业服务企业"), c.company.name);
      if (c.company.contact_phone) {
        fact(contract, _("联系电话"), `${c.company.contact_name} ${c.company.contact_phone}`);
      }
      fact(contract, _("合同期限"), `${c.starts_on} — ${c.ends_on}`);
      fact(contract, _("选聘方式"), c.chosen_by_display);
      c.fees.forEach((f) => {
        fees.append(h("li", null, interpolate(_("%(kind)s：%(fee)s 元/平方米·月"),
          { kind: f.property_kind_display, fee: f.yuan_per_m2_month }, true)));
      });
    } else {
      fact(contract, _("物业服务企业"), _("暂无履行中的物业服务合同"));
    }
    const committee = P.clear($("committee"));
    const members = P.clear($("members"));
    if (data.committee) {
      const c = data.committee;
      fact(committee, _("业委会"), c.name);
      fact(committee, _("状态"), c.status_display);
      fact(committee, _("任期"), `${c.term_starts_on} — ${c.term_ends_on}`);
      c.members.forEach((m) => {
        members.append(h("li", null, h("strong", null, m.role_display), " ", m.name,
          h("span", { class: "muted" }, interpolate(_("（%s 起任职）"), [m.starts_on]))));
      });
      if (!c.members.length) members.append(h("li", null, _("成员尚未登记。")));
    } else {
      fact(committee, _("业委会"), _("本区域暂无业委会"));
    }
  }

  P.api("GET", "property/my-area/").then(render).catch((err) => {
    $("loading").textContent = P.message(err);
  });
});
