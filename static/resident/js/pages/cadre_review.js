/* /cadre-review/: the yearly review of the two committees' cadres 两委干部测评 of the
   resident's community — every cadre with the three grades as big choices, one submission
   with an inline confirmation, "已参与" afterwards, the aggregates once published.

   Everything comes from /api/v1/cadre-rounds/… . The server is the one validator: a sheet
   with a cadre left out is sent as it is and the answer's field errors appear by each cadre
   (nothing is stored then). Only a complete sheet asks for confirmation first. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const P = window.Portal;
  const { h } = P;
  const _ = window.gettext;
  const interpolate = window.interpolate;

  const root = document.querySelector("[data-role=cadre-review]");
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const form = $("score-form");
  let round = null;

  const STATUS_BADGE = {
    open: "badge--open",
    closed: "badge--closed",
    published: "badge--ok",
    cancelled: "badge--danger",
  };

  function field(cadre) {
    return `scores.${cadre.id}`;
  }

  function cadreChoice(cadre) {
    const name = field(cadre);
    return h(
      "fieldset",
      { class: "cadre-choice" },
      h("legend", null, cadre.name, h("span", { class: "post" }, `${cadre.body_display} · ${cadre.post}`)),
      h(
        "div",
        { class: "rating__options" },
        round.choices.map((choice) =>
          h("label", null, h("input", { type: "radio", name, value: String(choice.value) }), h("span", null, choice.label))
        )
      ),
      h("p", { class: "field-error", "data-error-for": name, id: `error-${cadre.id}` })
    );
  }

  function fill(role, text) {
    $(role).textContent = text || "";
  }

  function render() {
    fill("title", round.title);
    fill(
      "meta",
      interpolate(_("%(community)s · %(opens)s 至 %(closes)s"), {
        community: round.community.name,
        opens: P.fmt.date(round.opens_at),
        closes: P.fmt.date(round.closes_at),
      }, true)
    );
    fill("description", round.description);
    const badges = P.clear($("badges"));
    badges.appendChild(
      h("span", { class: `badge ${STATUS_BADGE[round.status] || "badge--info"}` }, round.status_display)
    );
    if (round.has_taken_part) badges.appendChild(h("span", { class: "badge badge--ok" }, _("已参与")));
    renderStatus();
    renderResults();
    $("body").hidden = false;
  }

  function renderStatus() {
    const canSubmit = round.actions.includes("submit");
    form.hidden = !canSubmit;
    if (canSubmit && !$("cadres").childElementCount) {
      round.cadres.forEach((cadre) => $("cadres").appendChild(cadreChoice(cadre)));
    }
    if (round.has_taken_part) {
      fill("status", _("已参与：谢谢您的评价！"));
    } else if (canSubmit) {
      fill("status", interpolate(_("本次测评截止到 %s。"), [P.fmt.time(round.closes_at)]));
    } else if (round.status === "cancelled") {
      fill("status", interpolate(_("本次测评已取消：%s"), [round.cancel_reason]));
    } else {
      fill("status", round.reason || "");
    }
  }

  function renderResults() {
    const box = P.clear($("results"));
    if (round.actions.includes("view_aggregates")) {
      fill("results-note", interpolate(_("共 %s 位居民参与。"), [round.participant_count]));
      P.api("GET", `cadre-rounds/${round.id}/aggregates/`).then((data) => {
        data.bodies.concat([{ body_display: _("两委整体"), ...data.overall }]).forEach((item) => {
          box.appendChild(
            h(
              "div",
              { class: "cadre-result" },
              h("h3", null, item.body_display),
              h(
                "p",
                null,
                interpolate(_("满意 %(s)s 人次，基本满意 %(b)s 人次，不满意 %(u)s 人次；满意率 %(share)s%%。"), {
                  s: item.satisfied,
                  b: item.basically_satisfied,
                  u: item.unsatisfied,
                  share: item.satisfied_share === null ? "—" : item.satisfied_share,
                }, true)
              )
            )
          );
        });
      }).catch((err) => P.flash(P.message(err), "error"));
    } else if (round.status === "closed") {
      fill("results-note", round.results_note || _("测评已结束，结果待街道公布。"));
    } else if (round.status === "published") {
      fill("results-note", round.results_note || "");
    } else if (round.status === "cancelled") {
      fill("results-note", _("测评已取消，不公布结果。"));
    } else {
      fill("results-note", _("测评结束并公布后，这里显示党组织和居委会的整体评价。"));
    }
  }

  function sheet() {
    return round.cadres
      .map((cadre) => {
        const chosen = form.querySelector(`input[name="${field(cadre)}"]:checked`);
        return chosen ? { cadre: cadre.id, value: Number(chosen.value) } : null;
      })
      .filter(Boolean);
  }

  function send() {
    return P.api("POST", `cadre-rounds/${round.id}/submit/`, { scores: sheet() }).then(() => {
      $("confirm").hidden = true;
      P.flash(_("提交成功，谢谢您的参与！"), "success", $("submit-flash"));
      return load();
    });
  }

  P.bindForm(form, () => {
    if (sheet().length < round.cadres.length) return send(); // the answer names what is missing
    $("confirm").hidden = false;
    $("submit").hidden = true;
    $("confirm-yes").focus();
    return null;
  });

  P.button($("confirm-yes"), () =>
    send().catch((err) => {
      $("confirm").hidden = true;
      $("submit").hidden = false;
      P.showErrors(form, err);
    })
  );

  $("confirm-no").addEventListener("click", () => {
    $("confirm").hidden = true;
    $("submit").hidden = false;
    $("submit").focus();
  });

  function load() {
    return P.api("GET", "cadre-rounds/current/")
      .then((data) => {
        round = data;
        $("loading").hidden = true;
        render();
      })
      .catch((err) => {
        $("loading").hidden = true;
        const none = $("none");
        none.textContent = err.status === 404 ? _("本居民区暂时没有两委干部测评。") : P.message(err);
        none.hidden = false;
      });
  }

  load();
});
