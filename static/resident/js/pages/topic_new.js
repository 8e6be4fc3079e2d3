/* 提议题: title, text, category and up to 9 photos from the camera or the gallery.

   Phone photos are 3–8 MB; on a slow network that is minutes per photo. A photo whose long
   side is over MAX_SIDE or whose file is over SHRINK_ABOVE is redrawn on a canvas at MAX_SIDE
   as a JPEG before upload (about 300–600 KB), which is plenty to show a broken lamp. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var MAX_PHOTOS = 9; // the API's limit (proposals.validators.MAX_PHOTOS_PER_TOPIC)
  var MAX_SIDE = 1600;
  var SHRINK_ABOVE = 1024 * 1024;
  var h = Portal.h;

  var form = document.querySelector("[data-role=topic-form]");
  var category = form.elements.namedItem("category");
  var list = form.querySelector("[data-role=photo-list]");
  var status = form.querySelector("[data-role=photo-status]");
  var inputs = [
    form.querySelector("[data-role=photo-camera]"),
    form.querySelector("[data-role=photo-gallery]"),
  ];
  var photos = []; // {blob, name, url}
  var working = 0;

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
    body.append("title", String(data.get("title") || "").trim());
    body.append("body", String(data.get("body") || "").trim());
    body.append("category", data.get("category") || "");
    photos.forEach(function (photo) { body.append("photos", photo.blob, photo.name); });
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
