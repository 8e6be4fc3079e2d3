/* 社区议题: my community's board with filters by state, category and "mine"; the filters live
   in the address so a reload or the back button keeps them. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.querySelector("[data-role=topic-filters]");
  var countLine = document.querySelector("[data-role=topic-count]");
  var category = form.elements.namedItem("category");
  var params = new URLSearchParams(window.location.search);

  form.elements.namedItem("state").value = params.get("state") || "";
  form.elements.namedItem("mine").checked = ["1", "true"].indexOf(params.get("mine")) >= 0;

  function filters() {
    return {
      state: form.elements.namedItem("state").value,
      category: category.value,
      mine: form.elements.namedItem("mine").checked ? "true" : "",
    };
  }

  function url() {
    return "topics/" + Portal.query(filters());
  }

  var board = Portal.list(document.querySelector("[data-role=topic-list]"), url(),
    PortalTopics.item, {
      empty: gettext("没有符合条件的议题。"),
      onPage: function (data, ctl) {
        countLine.textContent = ctl.count === null ? ""
          : interpolate(ngettext("共 %s 条议题", "共 %s 条议题", ctl.count), [ctl.count]);
      },
    });

  function apply() {
    var f = filters();
    var shown = {};
    if (f.state) shown.state = f.state;
    if (f.category) shown.category = f.category;
    if (f.mine) shown.mine = "1";
    window.history.replaceState(null, "", window.location.pathname + Portal.query(shown));
    countLine.textContent = "";
    board.reload(url());
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });

  Portal.api("GET", "categories/").then(function (rows) {
    rows.forEach(function (row) {
      category.appendChild(Portal.h("option", { value: row.id }, row.name));
    });
    var wanted = params.get("category");
    if (wanted) {
      category.value = wanted;
      if (category.value === wanted) board.reload(url());
    }
  }).catch(function (err) { Portal.flash(Portal.message(err), "error"); });
});
