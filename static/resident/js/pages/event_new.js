/* 上报网格事件: a grid worker files a problem found on patrol or a visit, with the grid, the
   building, the category (which sets the handling deadline once dispatched), a description
   and up to 9 photos from the camera or the gallery (shrunk on the phone before upload, as on
   the topic page). The choices come from the API (grid-events/options/: the grids the worker
   files for, their buildings, the street's categories). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var MAX_PHOTOS = 9; // the API's limit (cases.validators.MAX_PHOTOS)
  var h = Portal.h;

  var form = document.querySelector("[data-role=event-form]");
  if (!form) return;
  var grid = form.elements.namedItem("grid");
  var building = form.elements.namedItem("building");
  var category = form.elements.namedItem("category");
  var buildings = [];

  // --- Choices -----------------------------------------------------------------------------------

  function paintBuildings() {
    var chosen = grid.value;
    while (building.options.length > 1) building.remove(1);
    buildings.forEach(function (row) {
      if (String(row.grid) === chosen) building.appendChild(h("option", { value: row.id }, row.name));
    });
  }

  Portal.api("GET", "grid-events/options/").then(function (options) {
    options.grids.forEach(function (row) {
      grid.appendChild(h("option", { value: row.id }, row.community + " · " + row.name));
    });
    if (options.grids.length === 1) grid.value = String(options.grids[0].id);
    options.categories.forEach(function (row) {
      var hours = row.handling_hours;
      var label = hours % 24 === 0
        ? interpolate(gettext("%(name)s（%(days)s 天内处置）"), { name: row.name, days: hours / 24 }, true)
        : interpolate(gettext("%(name)s（%(hours)s 小时内处置）"), { name: row.name, hours: hours }, true);
      category.appendChild(h("option", { value: row.id }, label));
    });
    buildings = options.buildings;
    paintBuildings();
  }).catch(function (err) { Portal.flash(Portal.message(err), "error"); });

  grid.addEventListener("change", paintBuildings);

  var picker = Portal.photoPicker(form, MAX_PHOTOS);

  // --- Submit ------------------------------------------------------------------------------------

  Portal.bindForm(form, function (data) {
    if (picker.busy()) {
      return Promise.reject(new Portal.ApiError(0, gettext("照片还在处理，请稍等再提交。")));
    }
    var body = new FormData();
    ["grid", "category"].forEach(function (name) { body.append(name, data.get(name) || ""); });
    if (data.get("building")) body.append("building", data.get("building"));
    body.append("location", String(data.get("location") || "").trim());
    body.append("description", String(data.get("description") || "").trim());
    picker.photos().forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
    return Portal.api("POST", "grid-events/", body).then(function (event) {
      var done = document.querySelector("[data-role=done]");
      done.querySelector("[data-role=done-text]").textContent = interpolate(
        gettext("事件编号 %(id)s，%(category)s，状态：%(state)s。社区将派单给相关部门处置。"),
        { id: event.id, category: event.category.name, state: event.state_display }, true);
      form.hidden = true;
      done.hidden = false;
      done.focus();
    }).catch(function (err) {
      // The API calls an empty number "not a valid integer"; the worker did not choose one.
      ["grid", "category"].forEach(function (name) {
        if (err.fields && err.fields[name] && !data.get(name)) {
          err.fields[name] = [name === "grid" ? gettext("请选择微网格。") : gettext("请选择类别。")];
        }
      });
      throw err;
    });
  }, { pendingText: gettext("正在上报…") });
});
