/* 提议题: title, text, category and up to 9 photos from the camera or the gallery.

   The photos go through Portal.photoPicker (portal.js, shared with the grid-event page): a
   phone photo (3–8 MB) is redrawn at 1600 px as a JPEG before upload (about 300–600 KB),
   which is plenty to show a broken lamp. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var MAX_PHOTOS = 9; // the API's limit (proposals.validators.MAX_PHOTOS_PER_TOPIC)
  var h = Portal.h;

  var form = document.querySelector("[data-role=topic-form]");
  var category = form.elements.namedItem("category");

  // --- Who may raise a topic: said before anything is typed. ---------------------------------
  Portal.me().then(function (me) {
    if (me.can.can_act) return;
    var box = document.querySelector("[data-role=cannot-act]");
    box.textContent = me.verification_status === "rejected"
      ? gettext("您的实名核验没有通过，暂时不能提议题。请到“我的”页面查看原因。")
      : gettext("您的实名身份还在核实中，核实通过后才能提议题。");
    box.hidden = false;
    form.querySelector("[type=submit]").disabled = true;
  }).catch(function () {});

  Portal.api("GET", "categories/").then(function (rows) {
    rows.forEach(function (row) {
      category.appendChild(h("option", { value: row.id }, row.name));
    });
  }).catch(function (err) { Portal.flash(Portal.message(err), "error"); });

  var picker = Portal.photoPicker(form, MAX_PHOTOS);

  // --- Submit ------------------------------------------------------------------------------------

  Portal.bindForm(form, function (data) {
    if (picker.busy()) {
      return Promise.reject(new Portal.ApiError(0, gettext("照片还在处理，请稍等再提交。")));
    }
    var body = new FormData();
    body.append("title", String(data.get("title") || "").trim());
    body.append("body", String(data.get("body") || "").trim());
    body.append("category", data.get("category") || "");
    picker.photos().forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    // An empty category is sent too, so that one answer names every missing field.
    return Portal.api("POST", "topics/", body).then(function (topic) {
      window.location.assign("/topics/" + topic.id + "/?new=1");
    }).catch(function (err) {
      // The API calls an empty number "not a valid integer"; the resident did not choose one.
      if (err.fields && err.fields.category && !data.get("category")) {
        err.fields.category = [gettext("请选择类别。")];
      }
      throw err;
    });
  }, { pendingText: gettext("正在提交…") });
});
