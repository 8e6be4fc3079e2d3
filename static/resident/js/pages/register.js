/* 注册: POST auth/register/ signs the resident in at once; the account then waits for a
   worker to verify the real name, which the page says in words. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("[data-role=register-form]");
  var done = document.querySelector("[data-role=register-done]");
  var password = form.elements.namedItem("password");
  var community = form.elements.namedItem("claimed_community");
  var street = form.querySelector("[data-role=street-select]");

  form.querySelector("[data-role=show-password]").addEventListener("change", function (event) {
    password.type = event.target.checked ? "text" : "password";
  });

  // Choosing a street first keeps the community list short.
  function showStreet(key) {
    community.querySelectorAll("optgroup").forEach(function (group) {
      var shown = !key || group.dataset.street === key;
      group.hidden = !shown;
      group.disabled = !shown;
    });
    var selected = community.selectedOptions[0];
    if (selected && selected.parentNode.disabled) community.value = "";
  }
  if (street) {
    var preset = community.selectedOptions[0];
    if (preset && preset.parentNode.tagName === "OPTGROUP") {
      street.value = preset.parentNode.dataset.street;
    }
    showStreet(street.value);
    street.addEventListener("change", function () { showStreet(street.value); });
  }

  Portal.bindForm(form, function (data) {
    var body = {
      phone: String(data.get("phone") || "").trim(),
      real_name: String(data.get("real_name") || "").trim(),
      password: data.get("password"),
      claimed_address: String(data.get("claimed_address") || "").trim(),
    };
    var chosen = data.get("claimed_community");
    if (!chosen) {
      // Said here in words rather than sending an empty number the API would call "invalid".
      return Promise.reject(new Portal.ApiError(400, gettext("请选择所在居民区。"), "invalid", {
        claimed_community: [gettext("请选择您居住的居民区。")],
      }));
    }
    body.claimed_community = Number(chosen);
    return Portal.api("POST", "auth/register/", body).then(function (me) {
      form.hidden = true;
      document.querySelector("[data-role=register-status]").textContent = interpolate(
        gettext("实名状态：%s"), [me.verification_status_display]
      );
      if (form.dataset.next) {
        document.querySelector("[data-role=register-continue]").href = form.dataset.next;
      }
      done.hidden = false;
      done.focus();
    });
  }, { pendingText: gettext("正在注册…") });
});
