/* /consultations/<id>/: one consultation or poll — what it asks, who may answer and until when,
   my answer sheet (or why I cannot answer), and the results and turnout when they may be shown.

   Everything comes from /api/v1/consultations/<id>/… . The detail's `actions` says whether I
   may answer; where I may not, `respond_block` says why in words (another compound, not yet
   verified, closed…). A multiple-choice question's limit is held in the page (the other
   boxes are disabled once it is reached) and again by the API. Submitting asks once more,
   inline, because a sheet cannot be changed afterwards. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var h = Portal.h;
  var _ = window.gettext;
  var root = document.querySelector("[data-role=consultation]");
  var id = root.dataset.id;
  var base = "consultations/" + id + "/";
  function $(role) { return root.querySelector('[data-role="' + role + '"]'); }

  var form = $("answer-form");
  var consultation = null;

  function fact(list, term, value) {
    list.append(h("dt", null, term), h("dd", null, value));
  }

  // --- Header -----------------------------------------------------------------------------------

  function renderHeader(c) {
    document.title = c.title + " · " + document.title.split(" · ").pop();
    var badges = Portal.clear($("badges"));
    badges.append(
      h("span", { class: "badge " + (PortalBoard.PHASE_BADGE[c.phase] || "badge--info") }, c.phase_display),
      h("span", { class: "badge badge--info" }, c.kind_display));
    if (c.my_response) badges.append(h("span", { class: "badge badge--ok" }, _("已参与")));
    $("title").textContent = c.title;
    var facts = Portal.clear($("facts"));
    fact(facts, _("参与范围"), c.target);
    fact(facts, _("开始时间"), Portal.fmt.time(c.opens_at));
    fact(facts, _("截止时间"), Portal.fmt.time(c.closes_at));
    fact(facts, _("参与方式"), c.one_per_display);
    fact(facts, _("结果公开"), c.results_visibility_display);
    if (c.phase === "cancelled" && c.cancel_reason) fact(facts, _("取消原因"), c.cancel_reason);
    $("description").textContent = c.description || "";
  }

  // --- The answer form ------------------------------------------------------------------------

  function hint(q) {
    var bits = [q.kind_display];
    if (q.kind === "multiple" && q.max_choices) {
      bits.push(interpolate(_("最多选 %s 项"), [q.max_choices]));
    }
    if (q.kind === "text") bits.push(interpolate(_("最多 %s 字"), [q.max_length]));
    bits.push(q.required ? _("必答") : _("选答"));
    return bits.join(" · ");
  }

  /* Once a multiple-choice question has its limit, the unticked boxes are disabled and the
     page says so: the limit is refused here, before the API refuses it too. */
  function holdLimit(q, box, note) {
    var inputs = box.querySelectorAll("input");
    var chosen = box.querySelectorAll("input:checked").length;
    var full = q.max_choices && chosen >= q.max_choices;
    inputs.forEach(function (input) { input.disabled = full && !input.checked; });
    note.textContent = full
      ? interpolate(_("已选满 %s 项；如要换选，请先取消一项。"), [q.max_choices])
      : "";
  }

  function questionField(q, index) {
    var name = "q-" + q.id;
    var errorId = "error-answers-" + q.id;
    var fieldset = h("fieldset", { class: "question field", "data-question": q.id, "aria-describedby": errorId },
      h("legend", null, interpolate(_("%(n)s. %(text)s"), { n: index + 1, text: q.text }, true)),
      h("p", { class: "question-hint" }, hint(q)));
    if (q.kind === "text") {
      var inputId = "answer-" + q.id;
      var countId = "count-" + q.id;
      var area = h("textarea", { id: inputId, name: name, maxlength: q.max_length, rows: 4,
        "aria-describedby": countId + " " + errorId });
      var count = h("p", { class: "char-count", id: countId });
      var update = function () {
        var n = area.value.length;
        count.textContent = interpolate(_("已输入 %(n)s / %(max)s 字"), { n: n, max: q.max_length }, true);
        count.classList.toggle("is-over", n > q.max_length);
      };
      area.addEventListener("input", update);
      update();
      fieldset.append(h("label", { for: inputId, class: "visually-hidden" }, q.text), area, count);
    } else {
      var type = q.kind === "single" ? "radio" : "checkbox";
      var box = h("div", { class: "choices" });
      q.options.forEach(function (option) {
        box.append(h("label", null,
          h("input", { type: type, name: name, value: option.id }),
          h("span", null, option.text)));
      });
      fieldset.append(box);
      if (q.kind === "multiple" && q.max_choices) {
        var note = h("p", { class: "char-count", role: "status", "data-role": "limit-note" });
        box.addEventListener("change", function () { holdLimit(q, box, note); });
        fieldset.append(note);
      }
    }
    fieldset.append(h("p", { class: "field-error", id: errorId, "data-error-for": "answers." + q.id }));
    return fieldset;
  }

  function collect() {
    return consultation.questions.map(function (q) {
      var name = "q-" + q.id;
      if (q.kind === "text") {
        return { question: q.id, text: form.elements[name].value.trim() };
      }
      var chosen = Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'),
        function (input) { return input.checked; }).map(function (input) { return Number(input.value); });
      return { question: q.id, options: chosen };
    }).filter(function (a) { return (a.text && a.text.length) || (a.options && a.options.length); });
  }

  /* What the page can tell before asking the server: a required question left empty, a
     choice over the limit, a text too long. The API checks all of it again. */
  function check(answers) {
    var fields = {};
    consultation.questions.forEach(function (q) {
      var a = answers.filter(function (x) { return x.question === q.id; })[0];
      var key = "answers." + q.id;
      if (!a) {
        if (q.required) fields[key] = [_("此题为必答题。")];
      } else if (q.kind === "multiple" && q.max_choices && a.options.length > q.max_choices) {
        fields[key] = [interpolate(_("最多选 %s 项。"), [q.max_choices])];
      } else if (q.kind === "text" && a.text.length > q.max_length) {
        fields[key] = [interpolate(_("最多 %s 个字。"), [q.max_length])];
      }
    });
    if (!Object.keys(fields).length) return null;
    return new Portal.ApiError(400, _("答案有误，请检查后重新提交。"), "invalid", fields);
  }

  function buildForm(c) {
    var questions = Portal.clear($("questions"));
    c.questions.forEach(function (q, i) { questions.append(questionField(q, i)); });
    form.hidden = false;
    $("answer-status").textContent = c.one_per === "household"
      ? _("本次征询每户提交一份，您提交后即代表全户。提交后不能修改。")
      : _("每人提交一份，提交后不能修改。");
  }

  $("review").addEventListener("click", function () {
    Portal.clearErrors(form);
    var problem = check(collect());
    if (problem) {
      Portal.showErrors(form, problem);
      return;
    }
    $("confirm").hidden = false;
    $("review").hidden = true;
    $("confirm").querySelector("[type=submit]").focus();
  });
  $("back").addEventListener("click", function () {
    $("confirm").hidden = true;
    $("review").hidden = false;
    $("review").focus();
  });

  Portal.bindForm(form, function () {
    var answers = collect();
    var problem = check(answers);
    if (problem) throw problem;
    return Portal.api("POST", base + "respond/", { answers: answers }).then(function () {
      form.hidden = true;
      Portal.flash(_("已提交，谢谢您的参与。"), "success", $("answer-flash"));
      return load();
    }).catch(function (err) {
      $("confirm").hidden = true;
      $("review").hidden = false;
      throw err;
    });
  }, { pendingText: _("正在提交…") });

  // --- My sheet, or why I cannot answer ---------------------------------------------------------

  function renderMine(sheet) {
    var box = Portal.clear($("my-answers"));
    box.hidden = false;
    var when = Portal.fmt.time(sheet.submitted_at);
    var paper = sheet.channel === "paper" ? _("（纸质答卷，由社区工作者录入）") : "";
    if (!sheet.mine) {
      $("answer-status").textContent = interpolate(
        _("您家的%(name)s已于 %(time)s 提交%(paper)s。本次征询每户一份，您不用再提交。"),
        { name: sheet.submitted_by, time: when, paper: paper }, true);
      return;
    }
    $("answer-status").textContent = interpolate(_("您已于 %(time)s 提交%(paper)s。"),
      { time: when, paper: paper }, true);
    var byQuestion = {};
    sheet.answers.forEach(function (a) {
      (byQuestion[a.question] = byQuestion[a.question] || []).push(a.option_text || a.text);
    });
    var list = h("dl", { class: "facts" });
    consultation.questions.forEach(function (q) {
      var mine = byQuestion[q.id];
      list.append(h("dt", null, q.text), h("dd", { class: "pre-line" }, mine ? mine.join("、") : _("（未作答）")));
    });
    box.append(h("h3", null, _("我的答卷")), list);
  }

  function renderAnswerBox(c) {
    form.hidden = true;
    $("my-answers").hidden = true;
    if (c.my_response) {
      return Portal.api("GET", base + "my-response/").then(renderMine);
    }
    if (c.actions.indexOf("respond") >= 0) {
      buildForm(c);
      return null;
    }
    var reason = c.respond_block ? c.respond_block.message : _("您不能参与本次征询。");
    $("answer-status").textContent = "";
    Portal.flash(reason, c.respond_block && c.respond_block.code === "closed" ? "info" : "warning",
      $("answer-flash"));
    return null;
  }

  // --- Results and turnout ----------------------------------------------------------------------

  function percent(value) {
    return value === null || value === undefined ? "—" : value + "%";
  }

  function renderResults(data) {
    var turnout = Portal.clear($("turnout"));
    turnout.hidden = false;
    var t = data.turnout;
    $("results-status").textContent = data.final
      ? _("征询已结束，以下为最终结果。")
      : _("征询仍在进行，以下为实时结果。");
    fact(turnout, t.one_per === "household" ? _("可参与户数") : _("可参与人数"), String(t.eligible));
    fact(turnout, _("已提交"), interpolate(_("%(n)s 份（线上 %(online)s，纸质 %(paper)s）"),
      { n: t.responses, online: t.online, paper: t.paper }, true));
    fact(turnout, _("参与率"), percent(t.rate));
    var box = Portal.clear($("results"));
    data.questions.forEach(function (q) {
      var section = h("div", { class: "result-question" },
        h("h3", null, q.text),
        h("p", { class: "muted" }, interpolate(_("%s人作答"), [q.respondents])));
      if (q.kind === "text") {
        section.append(h("p", null, interpolate(_("收到 %s 条文字意见（由社区工作者整理）。"), [q.text_answers])));
      } else {
        var list = h("ul", { class: "result-options" });
        q.options.forEach(function (o) {
          var share = o.share === null ? 0 : o.share;
          list.append(h("li", null,
            h("div", { class: "result-line" },
              h("span", null, o.text),
              h("span", { class: "result-figure" },
                interpolate(_("%(count)s票 · %(share)s"), { count: o.count, share: percent(o.share) }, true))),
            h("div", { class: "bar", "aria-hidden": "true" }, h("span", { style: "width:" + share + "%" }))));
        });
        section.append(list);
      }
      box.append(section);
    });
  }

  function renderResultsBox(c) {
    $("turnout").hidden = true;
    Portal.clear($("results"));
    if (c.results_available) {
      return Portal.api("GET", base + "results/").then(renderResults);
    }
    var status = $("results-status");
    if (c.phase === "cancelled") {
      status.textContent = _("征询已取消，没有结果。");
    } else if (c.results_visibility === "after_close") {
      status.textContent = interpolate(_("结果将在征询结束后（%s）公布。"), [Portal.fmt.time(c.closes_at)]);
    } else {
      status.textContent = _("征询开始后公布实时结果。");
    }
    return null;
  }

  function load() {
    return Portal.api("GET", base).then(function (c) {
      consultation = c;
      $("loading").hidden = true;
      $("body").hidden = false;
      renderHeader(c);
      return Promise.all([renderAnswerBox(c), renderResultsBox(c)]);
    });
  }

  load().catch(function (err) {
    $("loading").hidden = true;
    Portal.flash(Portal.message(err), "error");
  });
});
