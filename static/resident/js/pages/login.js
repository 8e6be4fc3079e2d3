/* 登录: phone (or a staff username) and password through POST auth/login/, then on to `next`. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("[data-role=login-form]");
  var password = form.elements.namedItem("password");

  form.querySelector("[data-role=show-password]").addEventListener("change", function (event) {
    password.type = event.target.checked ? "text" : "password";
  });

  Portal.bindForm(form, function (data) {
    var body = { username: String(data.get("username") || "").trim(), password: data.get("password") };
    return Portal.api("POST", "auth/login/", body).then(function () {
      window.location.assign(form.dataset.next || "/");
    });
  }, { pendingText: gettext("正在登录…") });
});
