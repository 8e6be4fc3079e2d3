/* window.Portal: the small toolkit every resident page script uses.

   Every read and every action goes through the DRF API under /api/v1/ (session + CSRF), so the
   rules live in one place. This file gives the pages one way to call it, one way to show its
   errors in plain words (never raw JSON, never losing what was typed), a pending state on every
   button for slow networks, and formatting in Asia/Shanghai. No framework, no build step. */
(function () {
  "use strict";

  var _ = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  var interpolate = window.interpolate || function (fmt, obj, named) {
    return named
      ? fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); })
      : fmt.replace(/%s/g, function () { return String(obj.shift()); });
  };

  var API_ROOT = "/api/v1/";
  var LOGIN_URL = "/login/";
  var ELDER_KEY = "portal.elder";

  // --- Errors ---------------------------------------------------------------------------------

  /* An API refusal: `detail` is a sentence for the resident, `fields` maps an input's name to
     its messages. Built from our `{"detail","code","fields"}` body, DRF's plain
     `{"field": ["msg"]}`, or a network failure (status 0). */
  function ApiError(status, detail, code, fields) {
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.code = code || "error";
    this.fields = fields || {};
    this.message = detail;
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.constructor = ApiError;

  // Nested field errors (a list of photos, a nested object) become flat lists of sentences.
  function flattenMessages(value) {
    if (value === null || value === undefined) return [];
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) {
      return value.reduce(function (all, v) { return all.concat(flattenMessages(v)); }, []);
    }
    if (typeof value === "object") {
      return Object.keys(value).reduce(function (all, k) {
        return all.concat(flattenMessages(value[k]));
      }, []);
    }
    return [String(value)];
  }

  function normaliseFields(raw) {
    var fields = {};
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return fields;
    Object.keys(raw).forEach(function (name) {
      var messages = flattenMessages(raw[name]);
      if (messages.length) fields[name] = messages;
    });
    return fields;
  }

  function statusSentence(status) {
    if (status === 0) return _("网络不通，请稍后再试");
    if (status === 400) return _("输入有误，请检查后重试。");
    if (status === 401 || status === 403) return _("您没有权限做这件事。");
    if (status === 404) return _("没有找到这项内容，可能已被删除。");
    if (status === 409) return _("情况已经变了，请刷新页面后再试。");
    if (status === 413) return _("上传的文件太大了。");
    if (status === 429) return _("操作太频繁了，请稍等一会儿再试。");
    return _("服务器出了点问题，请稍后再试。");
  }

  function errorFromBody(status, body) {
    if (body && typeof body === "object" && !Array.isArray(body)) {
      if (typeof body.detail === "string") {
        return new ApiError(status, body.detail, body.code, normaliseFields(body.fields));
      }
      // DRF's plain validation body: every key is a field.
      return new ApiError(status, statusSentence(status), "invalid", normaliseFields(body));
    }
    if (Array.isArray(body) && body.length) {
      return new ApiError(status, flattenMessages(body).join(" "), "invalid", {});
    }
    return new ApiError(status, statusSentence(status), "error", {});
  }

  function isSignedOut(err) {
    return err.status === 401 || (err.status === 403 && err.code === "not_authenticated");
  }

  function goToLogin() {
    var here = window.location.pathname;
    if (here === LOGIN_URL || here === "/register/") return;
    window.location.assign(
      LOGIN_URL + "?next=" + encodeURIComponent(here + window.location.search)
    );
  }

  // --- The API --------------------------------------------------------------------------------

  function cookie(name) {
    var found = document.cookie.split(";").map(function (c) { return c.trim(); })
      .filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  var csrfFetched = null;
  // The page templates set the CSRF cookie; if it is missing (a cached page), ask the API.
  function csrfToken() {
    var token = cookie("csrftoken");
    if (token) return Promise.resolve(token);
    if (!csrfFetched) {
      csrfFetched = fetch(API_ROOT + "auth/csrf/", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { return data.csrf_token; })
        .catch(function () { return ""; });
    }
    return csrfFetched.then(function (t) { return cookie("csrftoken") || t; });
  }

  function apiUrl(url) {
    if (/^(https?:)?\/\//.test(url) || url.charAt(0) === "/") return url;
    return API_ROOT + url;
  }

  function api(method, url, body) {
    method = (method || "GET").toUpperCase();
    var safe = method === "GET" || method === "HEAD";
    var headers = { Accept: "application/json" };
    var payload;
    if (body instanceof FormData) {
      payload = body; // the browser sets the multipart boundary
    } else if (body !== undefined && body !== null) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    var ready = safe ? Promise.resolve("") : csrfToken();
    return ready.then(function (token) {
      if (token) headers["X-CSRFToken"] = token;
      return fetch(apiUrl(url), {
        method: method,
        headers: headers,
        body: payload,
        credentials: "same-origin",
      }).catch(function () {
        throw new ApiError(0, statusSentence(0), "network", {});
      });
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.text().then(function (text) {
        var data = null;
        if (text) {
          try { data = JSON.parse(text); } catch (e) { data = undefined; }
        }
        if (response.ok) return data;
        var err = errorFromBody(response.status, data);
        if (isSignedOut(err)) goToLogin();
        throw err;
      });
    });
  }

  var mePromise = null;
  function me() {
    if (!mePromise) mePromise = api("GET", "me/");
    return mePromise;
  }

  // --- DOM ------------------------------------------------------------------------------------

  /* h("a", {href: url, class: "x", onclick: fn}, "text", child): text is always a text node,
     so API data can never become markup. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key.slice(0, 2) === "on" && typeof value === "function") {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === "class" || key === "className") {
        el.className = value;
      } else if (key === "dataset") {
        Object.keys(value).forEach(function (d) { el.dataset[d] = value[d]; });
      } else if (key === "text") {
        el.textContent = value;
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    });
    append(el, Array.prototype.slice.call(arguments, 2));
    return el;
  }

  function append(el, children) {
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) append(el, child);
      else if (child instanceof Node) el.appendChild(child);
      else el.appendChild(document.createTextNode(String(child)));
    });
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  /* An inline message (no pop-up): role=alert for errors so a screen reader says it at once,
     role=status otherwise. `where` defaults to the page's flash area at the top of <main>. */
  function flash(text, kind, where) {
    kind = kind || "info";
    var box = where || document.querySelector("[data-role=flash]");
    if (!box) return null;
    clear(box);
    if (!text) return null;
    var message = h("div", {
      class: "flash flash--" + kind,
      role: kind === "error" ? "alert" : "status",
    }, kind === "error" ? _("出错了：") : null, text);
    box.appendChild(message);
    if (box.getBoundingClientRect().top < 0) box.scrollIntoView({ block: "nearest" });
    return message;
  }

  function messageOf(err) {
    if (err instanceof ApiError) return err.detail;
    return _("出了点问题，请稍后再试。");
  }

  // --- Pending state: no double submit on a slow network ---------------------------------------

  /* While pending, the button's own content is tucked away (not replaced): a page may update
     its label meanwhile (e.g. 举手 → 撤回举手) and that update survives the restore. */
  function setPending(btn, pending, label) {
    if (!btn) return;
    if (btn.tagName === "INPUT") {
      if (pending) {
        btn.dataset.idleValue = btn.value;
        btn.value = label || _("正在提交…");
      } else if (btn.dataset.idleValue !== undefined) {
        btn.value = btn.dataset.idleValue;
        delete btn.dataset.idleValue;
      }
    } else if (pending && !btn._portalPending) {
      var idle = h("span", { class: "idle-content", hidden: true });
      while (btn.firstChild) idle.appendChild(btn.firstChild);
      var busy = h("span", { class: "pending-text" }, label || _("正在提交…"));
      btn.append(idle, busy);
      btn._portalPending = { idle: idle, busy: busy };
    } else if (!pending && btn._portalPending) {
      var state = btn._portalPending;
      btn._portalPending = null;
      if (state.busy.parentNode === btn) btn.removeChild(state.busy);
      if (state.idle.parentNode === btn) {
        while (state.idle.firstChild) btn.insertBefore(state.idle.firstChild, state.idle);
        btn.removeChild(state.idle);
      }
    }
    btn.disabled = pending;
    if (pending) btn.setAttribute("aria-busy", "true");
    else btn.removeAttribute("aria-busy");
  }

  function button(btn, action, options) {
    options = options || {};
    var pending = false;
    btn.addEventListener("click", function (event) {
      event.preventDefault();
      if (pending) return;
      pending = true;
      setPending(btn, true, options.pendingText || _("正在处理…"));
      Promise.resolve()
        .then(function () { return action(btn); })
        .catch(function (err) {
          if (!(err instanceof ApiError && isSignedOut(err))) {
            flash(messageOf(err), "error", options.errorBox);
          }
        })
        .then(function () {
          pending = false;
          setPending(btn, false);
        });
    });
    return btn;
  }

  // --- Forms ----------------------------------------------------------------------------------

  function fieldErrorBox(form, name) {
    var box = form.querySelector('[data-error-for="' + name + '"]');
    if (box) return box;
    var input = form.elements.namedItem(name);
    if (input && input.length !== undefined && !input.tagName) input = input[0];
    if (!input) return null;
    box = h("p", { class: "field-error", "data-error-for": name, id: "error-" + name });
    var field = input.closest(".field") || input.parentNode;
    field.appendChild(box);
    return box;
  }

  function clearErrors(form) {
    var summary = form.querySelector("[data-role=form-error]");
    if (summary) clear(summary);
    form.querySelectorAll("[data-error-for]").forEach(function (box) { clear(box); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showErrors(form, err) {
    var summary = form.querySelector("[data-role=form-error]");
    if (!summary) {
      summary = h("div", { class: "form-error", "data-role": "form-error" });
      form.insertBefore(summary, form.firstChild);
    }
    summary.setAttribute("role", "alert");
    var unplaced = [];
    var fields = (err instanceof ApiError && err.fields) || {};
    Object.keys(fields).forEach(function (name) {
      var box = name === "non_field_errors" ? null : fieldErrorBox(form, name);
      if (!box) {
        unplaced = unplaced.concat(fields[name]);
        return;
      }
      box.textContent = fields[name].join(" ");
      if (!box.id) box.id = "error-" + name;
      var input = form.elements.namedItem(name);
      if (input && input.setAttribute) {
        input.setAttribute("aria-invalid", "true");
        var described = (input.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(box.id) < 0) {
          input.setAttribute("aria-describedby", described.concat(box.id).join(" ").trim());
        }
      }
    });
    summary.textContent = [messageOf(err)].concat(unplaced).join(" ");
    if (summary.getBoundingClientRect().top < 0) summary.scrollIntoView({ block: "nearest" });
  }

  /* Submit through `submit(formData, form)` (a Promise). While it runs the button says so and
     a second submit is ignored; on an error the sentence and each field's messages appear by
     the form and everything typed stays where it was. */
  function bindForm(form, submit, options) {
    options = options || {};
    var pending = false;
    form.setAttribute("novalidate", "");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (pending) return;
      pending = true;
      var submitter = event.submitter || form.querySelector("[type=submit]");
      clearErrors(form);
      setPending(submitter, true, options.pendingText);
      form.setAttribute("aria-busy", "true");
      Promise.resolve()
        .then(function () { return submit(new FormData(form), form); })
        .catch(function (err) {
          if (!(err instanceof ApiError && isSignedOut(err))) showErrors(form, err);
        })
        .then(function () {
          pending = false;
          form.removeAttribute("aria-busy");
          setPending(submitter, false);
        });
    });
    return form;
  }

  // --- Lists ----------------------------------------------------------------------------------

  /* Load a paginated API list into `container` (a <ul>/<ol> or any element), following the
     API's `next` link (page numbers or a cursor alike) with a 加载更多 button.
     renderItem(item) returns a Node (wrapped in <li> when the container is a list).
     options: {empty: "sentence", onPage: function(data) {}}. Returns a controller with
     `reload(url)` (e.g. after a filter changes) and `ready` (a Promise of the first page). */
  function list(container, url, renderItem, options) {
    options = options || {};
    var isList = /^(UL|OL)$/.test(container.tagName);
    var status = h("p", { class: "list-status", role: "status" });
    var more = h("button", { type: "button", class: "button button--block list-more", hidden: true },
      _("加载更多"));
    container.after(status, more);
    var next = null;
    var generation = 0;
    var controller = { count: null, items: [] };

    function add(item) {
      var node = renderItem(item);
      if (!node) return;
      if (isList && node.tagName !== "LI") node = h("li", null, node);
      container.appendChild(node);
    }

    function load(target, first) {
      var mine = generation;
      status.textContent = _("正在加载…");
      return api("GET", target).then(function (data) {
        if (mine !== generation) return;
        var rows = Array.isArray(data) ? data : (data && data.results) || [];
        next = Array.isArray(data) ? null : (data && data.next) || null;
        if (data && typeof data.count === "number") controller.count = data.count;
        rows.forEach(function (row) { controller.items.push(row); add(row); });
        if (first && !rows.length) {
          status.textContent = options.empty || _("这里还没有内容。");
        } else {
          status.textContent = "";
        }
        more.hidden = !next;
        if (options.onPage) options.onPage(data, controller);
      }).catch(function (err) {
        if (mine !== generation) return;
        status.textContent = "";
        flash(messageOf(err), "error", options.errorBox);
        more.hidden = !next;
        throw err;
      });
    }

    button(more, function () { return next ? load(next, false) : null; }, {
      pendingText: _("正在加载…"),
    });

    controller.reload = function (newUrl) {
      generation += 1;
      url = newUrl || url;
      next = null;
      controller.items = [];
      controller.count = null;
      clear(container);
      more.hidden = true;
      controller.ready = load(url, true);
      controller.ready.catch(function () {});
      return controller.ready;
    };
    controller.reload(url);
    return controller;
  }

  // --- Formatting (Asia/Shanghai, the resident's language) ----------------------------------------

  var TZ = "Asia/Shanghai";
  var lang = document.documentElement.lang || "zh-hans";
  var isZh = lang.indexOf("zh") === 0;

  function parts(date) {
    var out = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TZ, year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function time(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var p = parts(date);
    var thisYear = parts(new Date()).year;
    var values = {
      year: p.year, month: Number(p.month), day: Number(p.day), hour: p.hour, minute: p.minute,
      mon: MONTHS[Number(p.month) - 1],
    };
    if (isZh) {
      return (p.year !== thisYear ? p.year + "年" : "") +
        values.month + "月" + values.day + "日 " + p.hour + ":" + p.minute;
    }
    return values.day + " " + values.mon + (p.year !== thisYear ? " " + p.year : "") +
      " " + p.hour + ":" + p.minute;
  }

  function date(iso) {
    if (!iso) return "";
    var p = parts(new Date(iso.length === 10 ? iso + "T12:00:00+08:00" : iso));
    if (isZh) return p.year + "年" + Number(p.month) + "月" + Number(p.day) + "日";
    return Number(p.day) + " " + MONTHS[Number(p.month) - 1] + " " + p.year;
  }

  function ago(iso) {
    if (!iso) return "";
    var seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    if (seconds < 60) return _("刚刚");
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return interpolate(ngettext("%s分钟前", "%s分钟前", minutes), [minutes]);
    }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return interpolate(ngettext("%s小时前", "%s小时前", hours), [hours]);
    var days = Math.floor(hours / 24);
    if (days < 30) return interpolate(ngettext("%s天前", "%s天前", days), [days]);
    return time(iso);
  }

  function duration(seconds) {
    seconds = Math.max(0, Math.round(Number(seconds) || 0));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    if (hours && minutes) {
      return interpolate(_("%(hours)s小时%(minutes)s分钟"), { hours: hours, minutes: minutes }, true);
    }
    if (hours) return interpolate(ngettext("%s小时", "%s小时", hours), [hours]);
    return interpolate(ngettext("%s分钟", "%s分钟", minutes), [minutes]);
  }

  // Decimal strings stay strings: no float rounding of money.
  function money(value) {
    if (value === null || value === undefined || value === "") return "";
    var text = String(value).trim();
    var negative = text.charAt(0) === "-";
    if (negative) text = text.slice(1);
    var pieces = text.split(".");
    var whole = (pieces[0] || "0").replace(/^0+(?=\d)/, "");
    var cents = ((pieces[1] || "") + "00").slice(0, 2);
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + "¥" + whole + "." + cents;
  }

  function number(value) {
    return new Intl.NumberFormat(isZh ? "zh-CN" : "en").format(Number(value) || 0);
  }

  // --- Small helpers pages share ------------------------------------------------------------------

  function param(name) {
    return new URLSearchParams(window.location.search).get(name);
  }

  function query(params) {
    var search = new URLSearchParams();
    Object.keys(params || {}).forEach(function (key) {
      var v = params[key];
      if (v !== null && v !== undefined && v !== "" && v !== false) search.append(key, v);
    });
    var text = search.toString();
    return text ? "?" + text : "";
  }

  // --- The header: elder mode and the unread count ------------------------------------------------

  function elderOn() {
    return document.documentElement.classList.contains("elder");
  }

  function setElder(on) {
    document.documentElement.classList.toggle("elder", on);
    try { window.localStorage.setItem(ELDER_KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    document.querySelectorAll("[data-role=elder-switch]").forEach(function (btn) {
      btn.setAttribute("aria-pressed", on ? "true" : "false");
      var label = btn.querySelector("[data-role=elder-label]") || btn;
      label.textContent = on ? _("长辈版：开") : _("长辈版：关");
    });
  }

  function initHeader() {
    setElder(elderOn());
    document.querySelectorAll("[data-role=elder-switch]").forEach(function (btn) {
      btn.addEventListener("click", function () { setElder(!elderOn()); });
    });
    var badge = document.querySelector("[data-role=unread-count]");
    if (badge && document.body.dataset.signedIn === "1") refreshUnread();
  }

  function refreshUnread() {
    var badge = document.querySelector("[data-role=unread-count]");
    if (!badge) return Promise.resolve();
    return api("GET", "notifications/unread-count/").then(function (data) {
      var n = (data && data.unread) || 0;
      badge.hidden = !n;
      badge.textContent = n > 99 ? "99+" : String(n);
      badge.setAttribute("aria-label", interpolate(ngettext("%s条未读", "%s条未读", n), [n]));
    }).catch(function () { badge.hidden = true; });
  }

  // --- Photo picker (topic and grid-event pages) -----------------------------------------------
  // Up to `max` photos from the camera or the gallery inputs of `form` ([data-role=photo-camera],
  // [data-role=photo-gallery]), thumbnails in [data-role=photo-list], counts in
  // [data-role=photo-status]. Phone photos are 3–8 MB: one whose long side is over MAX_SIDE or
  // whose file is over SHRINK_ABOVE is redrawn at MAX_SIDE as a JPEG before upload.
  function photoPicker(form, max) {
    var MAX_PHOTOS = max;
    var MAX_SIDE = 1600;
    var SHRINK_ABOVE = 1024 * 1024;
    var list = form.querySelector("[data-role=photo-list]");
    var status = form.querySelector("[data-role=photo-status]");
    var inputs = [
      form.querySelector("[data-role=photo-camera]"),
      form.querySelector("[data-role=photo-gallery]"),
    ];
    var photos = []; // {blob, name, url}
    var working = 0;

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
      clear(list);
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
        flash(interpolate(gettext("最多只能选 %s 张照片，多出的没有加上。"), [MAX_PHOTOS]),
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

    return {
      photos: function () { return photos.slice(); },
      busy: function () { return working > 0; },
    };
  }

  window.Portal = {
    api: api,
    ApiError: ApiError,
    me: me,
    h: h,
    clear: clear,
    flash: flash,
    button: button,
    bindForm: bindForm,
    showErrors: showErrors,
    clearErrors: clearErrors,
    list: list,
    param: param,
    query: query,
    message: messageOf,
    refreshUnread: refreshUnread,
    setElder: setElder,
    photoPicker: photoPicker,
    fmt: { time: time, date: date, ago: ago, duration: duration, money: money, number: number },
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initHeader);
  } else {
    initHeader();
  }
})();
