/* /consultations/: my community's consultations and polls — open now, upcoming, closed — each
   saying whether I have answered or may still. GET /api/v1/consultations/?phase=… */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("[data-role=filters]");
  var PHASES = ["open", "upcoming", "closed"];
  var EMPTY = {
    open: gettext("现在没有正在进行的意见征询。"),
    upcoming: gettext("没有即将开始的意见征询。"),
    closed: gettext("还没有已结束的意见征询。"),
  };
  var initial = new URLSearchParams(window.location.search).get("phase");
  var phase = PHASES.indexOf(initial) >= 0 ? initial : "open";
  form.querySelector('input[value="' + phase + '"]').checked = true;

  var container = document.querySelector("[data-role=list]");
  var listing = Portal.list(container, "consultations/?phase=" + phase, PortalBoard.consultationItem, {
    empty: EMPTY[phase],
  });
  var status = container.nextElementSibling;

  form.addEventListener("change", function () {
    phase = form.elements.phase.value;
    window.history.replaceState(null, "", window.location.pathname + "?phase=" + phase);
    listing.reload("consultations/?phase=" + phase).then(function () {
      if (listing.count === 0) status.textContent = EMPTY[phase];
    }).catch(function () {});
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
});
