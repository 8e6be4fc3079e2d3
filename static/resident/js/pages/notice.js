/* /notices/<id>/: one notice in full. Opening it records my first read (POST …/read/); where
   the notice asks for it, 我已知晓 confirms that I took note (POST …/ack/), and afterwards the
   page says when I did.

   The text is HTML the server has already sanitised (board.sanitize). It is still never given
   to innerHTML: it is parsed into an inert document and rebuilt here from an allow-list of
   tags and attributes, so nothing in it can run even if a sanitiser were ever bypassed. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;
  var _ = window.gettext;
  var root = document.querySelector("[data-role=notice]");
  var id = root.dataset.id;
  var base = "notices/" + id + "/";
  function $(role) { return root.querySelector('[data-role="' + role + '"]'); }

  var TAGS = ["p", "br", "strong", "b", "em", "i", "u", "s", "h3", "h4", "ul", "ol", "li",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td"];
  var DROP = ["script", "style", "template", "iframe", "object", "embed", "svg", "math"];
  var SAFE_URL = /^(https?:|mailto:|tel:)/i;

  function rebuild(from, into) {
    Array.prototype.forEach.call(from.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        into.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      var tag = node.tagName.toLowerCase();
      if (DROP.indexOf(tag) >= 0) return;
      if (TAGS.indexOf(tag) < 0) {
        rebuild(node, into); // an unknown wrapper: keep its words
        return;
      }
      var el = document.createElement(tag);
      if (tag === "a") {
        var href = (node.getAttribute("href") || "").trim();
        if (SAFE_URL.test(href)) {
          el.setAttribute("href", href);
          el.setAttribute("rel", "noopener noreferrer nofollow");
        }
        if (node.getAttribute("title")) el.setAttribute("title", node.getAttribute("title"));
      } else if (tag === "td" || tag === "th") {
        ["colspan", "rowspan"].forEach(function (name) {
          var value = node.getAttribute(name);
          if (value && /^\d{1,2}$/.test(value)) el.setAttribute(name, value);
        });
      }
      rebuild(node, el);
      into.appendChild(el);
    });
  }

  function renderText(html) {
    var inert = new DOMParser().parseFromString(html || "", "text/html");
    rebuild(inert.body, Portal.clear($("text")));
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function fact(list, term, value) {
    list.append(h("dt", null, term), h("dd", null, value));
  }

  function renderAck(notice, me) {
    if (!notice.requires_ack) return;
    $("ack-section").hidden = false;
    var status = $("ack-status");
    $("ack-box").hidden = true;
    if (notice.my_ack) {
      status.textContent = interpolate(_("您已于 %s 确认知晓。"), [Portal.fmt.time(notice.my_ack_at)]);
    } else if (notice.actions.indexOf("ack") >= 0) {
      status.textContent = _("这条公告请您确认已经知晓（如停水停电、消防检查）。");
      $("ack-box").hidden = false;
    } else if (notice.phase !== "live") {
      status.textContent = _("公告已不在公示期内，无需再确认。");
    } else if (me && me.verification_status !== "verified") {
      status.textContent = _("实名核验通过后才能确认已知晓。");
    } else {
      status.textContent = _("这条公告需要居民确认已知晓。");
    }
  }

  function render(notice, me) {
    document.title = notice.title + " · " + document.title.split(" · ").pop();
    var badges = [];
    if (notice.pinned) badges.push(h("span", { class: "badge badge--warn" }, _("置顶")));
    badges.push(h("span", { class: "badge badge--info" }, notice.phase_display));
    if (notice.requires_ack) {
      badges.push(notice.my_ack
        ? h("span", { class: "badge badge--ok" }, _("已确认知晓"))
        : h("span", { class: "badge badge--danger" }, _("需确认知晓")));
    }
    Portal.clear($("badges")).append.apply($("badges"), badges);
    $("title").textContent = notice.title;
    var facts = Portal.clear($("facts"));
    fact(facts, _("发布范围"), notice.target);
    fact(facts, _("发布时间"), Portal.fmt.time(notice.publish_at));
    fact(facts, _("有效期至"), notice.expires_at ? Portal.fmt.time(notice.expires_at) : _("长期有效"));
    renderText(notice.body);

    var photos = Portal.clear($("photos"));
    var files = Portal.clear($("files"));
    notice.attachments.forEach(function (file) {
      if (file.kind === "photo") {
        photos.append(h("a", { href: file.url },
          h("img", { src: file.url, alt: file.name, loading: "lazy" })));
      } else {
        files.append(h("li", null, h("a", { href: file.url, download: file.name },
          interpolate(_("下载 %(name)s（%(size)s）"), { name: file.name, size: size(file.size) }, true))));
      }
    });
    $("files-box").hidden = !files.children.length;
    renderAck(notice, me);
  }

  var me = null;
  function load() {
    return Portal.api("GET", base).then(function (notice) {
      $("loading").hidden = true;
      $("body").hidden = false;
      render(notice, me);
      return notice;
    });
  }

  Portal.me().then(function (data) { me = data; }).catch(function () {}).then(load)
    .then(function (notice) {
      if (notice.actions.indexOf("read") >= 0) {
        // The first time I open it: the read count for the workers (my unread mark goes).
        Portal.api("POST", base + "read/").catch(function () {});
      }
    })
    .catch(function (err) {
      $("loading").hidden = true;
      Portal.flash(Portal.message(err), "error");
    });

  Portal.button($("ack"), function () {
    return Portal.api("POST", base + "ack/").then(function () {
      Portal.flash(_("已确认知晓，谢谢。"), "success", $("ack-flash"));
      return load();
    });
  }, { errorBox: $("ack-flash"), pendingText: _("正在确认…") });
});
