/* 我的: account facts from GET me/, the elder-mode switch, and signing out. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;

  function field(name, value) {
    var el = document.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value || gettext("未填写");
  }

  Portal.me().then(function (me) {
    field("real_name", me.real_name);
    field("phone_masked", me.phone_masked);
    var community = (me.resident && me.resident.community) || me.claimed_community;
    field("community", community && community.name);
    if (me.roles.length) {
      var box = document.querySelector("[data-role=me-staff]");
      var list = document.querySelector("[data-role=me-roles]");
      me.roles.forEach(function (role) {
        list.appendChild(h("li", null, role.role_display + "：" + role.unit.name));
      });
      box.hidden = !me.can.is_staff;
    }
  }).catch(function (err) { Portal.flash(Portal.message(err), "error"); });

  // A big switch for the elder mode, in step with the one in the header.
  var elder = document.querySelector("[data-role=me-elder]");
  function paint() {
    var on = document.documentElement.classList.contains("elder");
    elder.setAttribute("aria-pressed", on ? "true" : "false");
    elder.textContent = on ? gettext("已开启：点这里关闭长辈版") : gettext("未开启：点这里开启长辈版");
  }
  paint();
  elder.addEventListener("click", function () {
    Portal.setElder(!document.documentElement.classList.contains("elder"));
    paint();
  });
  document.querySelectorAll("[data-role=elder-switch]").forEach(function (btn) {
    btn.addEventListener("click", paint);
  });

  Portal.button(document.querySelector("[data-role=logout]"), function () {
    return Portal.api("POST", "auth/logout/").then(function () {
      window.location.assign("/login/");
    });
  }, { pendingText: gettext("正在退出…") });
});
