/* 上报网格事件: a grid worker files a problem found on patrol or a visit, with the grid, the
   building, the category (which sets the handling deadline once dispatched), a description
   and up to 9 photos from the camera or the gallery (shrunk on the phone before upload, as on
   the topic page). The choices come from the API (grid-events/options/: the grids the worker
   files for, their buildings, the street's categories). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var MAX_PHOTOS = 9; // the API's limit (cases.validators.MAX_PHOTOS)
  var MAX_SIDE = 1600;
  var SHRINK_ABOVE = 1024 * 1024;
  var h = Portal.h;

  var form = document.querySelector("[data-role=event-form]");
  if (!form) return;
  var grid = form.elements.namedItem("grid");
  var building = form.elements.namedItem("building");
  var category = form.elements.namedItem("category");
  var list = form.querySelector("[data-role=photo-list]");
  var status = form.querySelector("[data-role=photo-status]");
  var inputs = [
    form.querySelector("[data-role=photo-camera]"),
    form.querySelector("[data-role=photo-gallery]"),
  ];
  var photos = []; // {blob, name, url}
  var working = 0;
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

  // --- Photos ------------------------------------------------------------------------------------

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return createImageBitmap(file);
      });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      img.src = url;
    });
  }

  function shrink(file) {
    // GIFs may move; small files are fine as they are.
    if (file.type === "image/gif") return Promise.resolve({ blob: file, name: file.name });
    return decode(file).then(function (image) {
      var w = image.width;
      var hgt = image.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, hgt));
      if (scale === 1 && file.size <= SHRINK_ABOVE) return { blob: file, name: file.name };
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(hgt * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          // Too many pixels: always the redrawn one; only heavy: the smaller of the two.
          resolve(blob && (scale < 1 || blob.size < file.size)
            ? { blob: blob, name: file.name.replace(/\.\w+$/, "") + ".jpg" }
            : { blob: file, name: file.name });
        }, "image/jpeg", 0.85);
      });
    }).catch(function () {
      // Not decodable here (e.g. HEIC on some browsers): send it and let the API judge it.
      return { blob: file, name: file.name };
    });
  }

  function paintPhotos() {
    Portal.clear(list);
    photos.forEach(function (photo, index) {
      var n = index + 1;
      list.appendChild(h("li", null,
        h("img", { src: photo.url, alt: interpolate(gettext("第%s张照片"), [n]) }),
        h("button", {
          type: "button",
          class: "button photo-remove",
          "aria-label": interpolate(gettext("删除第%s张照片"), [n]),
          onclick: function () { remove(index); },
        }, gettext("删除"))
      ));
    });
    var full = photos.length >= MAX_PHOTOS;
    inputs.forEach(function (input) {
      input.disabled = full;
      input.parentNode.setAttribute("aria-disabled", full ? "true" : "false");
    });
    status.textContent = photos.length
      ? interpolate(gettext("已选 %(n)s 张，还可以选 %(left)s 张"),
        { n: photos.length, left: MAX_PHOTOS - photos.length }, true)
      : "";
  }

  function remove(index) {
    URL.revokeObjectURL(photos[index].url);
    photos.splice(index, 1);
    paintPhotos();
    var next = list.querySelectorAll(".photo-remove")[Math.min(index, photos.length - 1)];
    (next || inputs[1]).focus();
  }

  function add(fileList) {
    var files = Array.prototype.slice.call(fileList || []);
    var room = MAX_PHOTOS - photos.length - working;
    if (files.length > room) {
      Portal.flash(interpolate(gettext("最多只能选 %s 张照片，多出的没有加上。"), [MAX_PHOTOS]),
        "warning");
      files = files.slice(0, Math.max(0, room));
    }
    if (!files.length) return;
    working += files.length;
    status.textContent = gettext("正在处理照片…");
    Promise.all(files.map(shrink)).then(function (done) {
      working -= files.length;
      done.forEach(function (photo) {
        photo.url = URL.createObjectURL(photo.blob);
        photos.push(photo);
      });
      paintPhotos();
    });
  }

  inputs.forEach(function (input) {
    input.addEventListener("change", function () {
      add(input.files);
      input.value = ""; // the same photo may be chosen again after removing it
    });
  });

  // --- Submit ------------------------------------------------------------------------------------

  Portal.bindForm(form, function (data) {
    if (working) {
      return Promise.reject(new Portal.ApiError(0, gettext("照片还在处理，请稍等再提交。")));
    }
    var body = new FormData();
    ["grid", "category"].forEach(function (name) { body.append(name, data.get(name) || ""); });
    if (data.get("building")) body.append("building", data.get("building"));
    body.append("location", String(data.get("location") || "").trim());
    body.append("description", String(data.get("description") || "").trim());
    photos.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
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
