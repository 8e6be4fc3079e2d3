/*
 * The leaders' dashboard: fills the page from the dashboard API and draws the charts with
 * Apache ECharts (static/vendor/echarts). No build step; plain ES2017.
 *
 * State lives in the address bar (?unit=street:12&period=month&date=2026-11&sort=…), so a
 * view can be bookmarked, reloaded or sent to a colleague. Every number on the page comes from
 * the API; the page computes nothing. Charts say in their aria-label that the table below
 * them holds the same numbers, and each chart container gets data-ready="1" once drawn.
 */
(function () {
  "use strict";

  const defs = JSON.parse(document.getElementById("dashboard-definitions").textContent);
  const FIG = defs.figures;
  const MSG = defs.messages;
  const main = document.getElementById("main");
  const API = main.dataset.api;
  const $ = (id) => document.getElementById(id);
  const charts = {};
  let generation = 0; // a newer load wins over a slower older one

  // ------------------------------------------------------------------------------------------
  // State

  function todayParts() {
    const now = new Date();
    return { year: now.getFullYear(), month: now.getMonth() + 1 };
  }

  function readState() {
    const q = new URLSearchParams(window.location.search);
    return {
      unit: q.get("unit") || "",
      period: q.get("period") || "month",
      date: q.get("date") || "",
      from: q.get("from") || "",
      to: q.get("to") || "",
      sort: q.get("sort") || "topics_raised",
    };
  }

  let state = readState();

  function query(extra) {
    const q = new URLSearchParams();
    if (state.unit) q.set("unit", state.unit);
    q.set("period", state.period);
    if (state.period === "custom") {
      if (state.from) q.set("from", state.from);
      if (state.to) q.set("to", state.to);
    } else if (state.date) {
      q.set("date", state.date);
    }
    Object.entries(extra || {}).forEach(([k, v]) => q.set(k, v));
    return q;
  }

  function pushState() {
    const q = query({ sort: state.sort });
    window.history.replaceState(null, "", "?" + q.toString());
  }

  // ------------------------------------------------------------------------------------------
  // Formatting

  function format(key, value) {
    if (value === null || value === undefined) return MSG.empty;
    const kind = (FIG[key] || {}).kind;
    if (kind === "percent") return value.toFixed(1) + "%";
    if (kind === "yuan") {
      return Number(value).toLocaleString("zh-CN", {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
    }
    if (kind === "hours" || kind === "days" || kind === "score") {
      return Number(value).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
    }
    return Number(value).toLocaleString("zh-CN");
  }

  function fill(el, key, value) {
    el.textContent = format(key, value);
    el.dataset.value = value === null || value === undefined ? "" : String(value);
    el.classList.toggle("is-empty", value === null || value === undefined);
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_m, name) => values[name]);
  }

  // ------------------------------------------------------------------------------------------
  // API

  async function get(path, params) {
    let response;
    try {
      response = await fetch(API + path + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch (_err) {
      throw new Error(MSG.network);
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_err) {
      body = null;
    }
    if (!response.ok) {
      const fields = body && body.fields ? Object.values(body.fields).flat().join(" ") : "";
      const error = new Error([(body && body.detail) || MSG.failed, fields].join(" ").trim());
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function setStatus(text, isError) {
    const el = $("status");
    el.textContent = text;
    el.classList.toggle("is-error", Boolean(isError));
  }

  // ------------------------------------------------------------------------------------------
  // Controls

  function showPeriodFields() {
    document.querySelectorAll("[data-period]").forEach((el) => {
      el.hidden = el.dataset.period !== $("period-kind").value;
    });
  }

  function controlsFromState(period) {
    $("period-kind").value = state.period;
    const first = period ? period.first_day : null;
    const now = todayParts();
    const year = first ? Number(first.slice(0, 4)) : now.year;
    const month = first ? Number(first.slice(5, 7)) : now.month;
    $("period-month").value = `${year}-${String(month).padStart(2, "0")}`;
    $("period-quarter-year").value = year;
    $("period-quarter").value = String(Math.floor((month - 1) / 3) + 1);
    $("period-year").value = year;
    $("period-from").value = state.from || (period ? period.first_day : "");
    $("period-to").value = state.to || (period ? period.last_day : "");
    $("ranking-sort").value = state.sort;
    showPeriodFields();
  }

  function stateFromControls() {
    const kind = $("period-kind").value;
    state.period = kind;
    state.from = "";
    state.to = "";
    if (kind === "month") state.date = $("period-month").value;
    else if (kind === "quarter") {
      state.date = `${$("period-quarter-year").value}-Q${$("period-quarter").value}`;
    } else if (kind === "year") state.date = $("period-year").value;
    else {
      state.date = "";
      state.from = $("period-from").value;
      state.to = $("period-to").value;
    }
  }

  function renderBreadcrumb(crumbs) {
    const list = $("breadcrumb");
    list.textContent = "";
    crumbs.forEach((unit, i) => {
      const item = document.createElement("li");
      const label = `${unit.level_label} ${unit.name}`;
      if (i === crumbs.length - 1) {
        const current = document.createElement("span");
        current.setAttribute("aria-current", "page");
        current.textContent = label;
        item.appendChild(current);
      } else {
        const link = document.createElement("a");
        link.href = "?" + query({ unit: unit.ref }).toString();
        link.dataset.unit = unit.ref;
        link.textContent = label;
        item.appendChild(link);
      }
      list.appendChild(item);
    });
  }

  function renderChildren(children) {
    const select = $("unit-select");
    select.textContent = "";
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = children.length ? MSG.chooseChild : MSG.noChildren;
    select.appendChild(placeholder);
    children.forEach((unit) => {
      const option = document.createElement("option");
      option.value = unit.ref;
      option.textContent = unit.name;
      select.appendChild(option);
    });
    select.disabled = children.length === 0;
  }

  function renderExports() {
    document.querySelectorAll("[data-export]").forEach((block) => {
      block.querySelectorAll("a[data-format]").forEach((link) => {
        const extra = { format: link.dataset.format };
        if (block.dataset.export === "ranking") extra.sort = state.sort;
        link.href = `${API}${block.dataset.export}/export/?${query(extra).toString()}`;
      });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Tables

  function cell(tag, text, attrs) {
    const el = document.createElement(tag);
    el.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => el.setAttribute(k, v));
    return el;
  }

  function renderTrendTable(months) {
    const table = $("table-trend");
    const head = document.createElement("tr");
    head.appendChild(cell("th", MSG.month, { scope: "col" }));
    defs.trend.forEach((key) => head.appendChild(cell("th", FIG[key].label, { scope: "col" })));
    table.tHead.replaceChildren(head);
    const rows = months.map((row) => {
      const tr = document.createElement("tr");
      tr.appendChild(cell("th", row.month, { scope: "row" }));
      defs.trend.forEach((key) => {
        const td = cell("td", "", { "data-key": key });
        fill(td, key, row[key]);
        tr.appendChild(td);
      });
      return tr;
    });
    table.tBodies[0].replaceChildren(...rows);
  }

  function renderRankingTable(body) {
    const table = $("table-ranking");
    const head = document.createElement("tr");
    head.appendChild(cell("th", MSG.rank, { scope: "col" }));
    head.appendChild(cell("th", MSG.unit, { scope: "col" }));
    body.columns.forEach((key) => {
      const th = cell("th", FIG[key].label, { scope: "col" });
      if (key === body.sort) th.setAttribute("aria-sort", "descending");
      head.appendChild(th);
    });
    table.tHead.replaceChildren(head);
    const rows = body.rows.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.unit = row.ref;
      tr.appendChild(cell("td", row.rank === null ? MSG.empty : String(row.rank)));
      const th = cell("th", "", { scope: "row" });
      const link = cell("a", row.name, {
        href: "?" + query({ unit: row.ref }).toString(),
        "data-unit": row.ref,
        "aria-label": interpolate(MSG.drill, { name: row.name }),
      });
      th.appendChild(link);
      tr.appendChild(th);
      body.columns.forEach((key) => {
        const td = cell("td", "", { "data-key": key });
        fill(td, key, row.figures[key]);
        tr.appendChild(td);
      });
      return tr;
    });
    table.tBodies[0].replaceChildren(...rows);
    $("ranking-caption").textContent = `${document.getElementById("h-ranking").textContent} · ${
      FIG[body.sort].label
    }`;
  }

  // ------------------------------------------------------------------------------------------
  // Charts

  const PALETTE = ["#1d5fa8", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0f766e"];

  function draw(id, option) {
    const el = $(id);
    if (!window.echarts) return;
    el.dataset.ready = "0";
    let chart = charts[id];
    if (!chart) {
      chart = window.echarts.init(el, null, { renderer: "svg" });
      charts[id] = chart;
    }
    chart.off("finished");
    chart.on("finished", () => {
      el.dataset.ready = "1";
    });
    chart.setOption(
      Object.assign({ color: PALETTE, animationDuration: 300, aria: { enabled: false } }, option),
      true
    );
  }

  function axisFont() {
    return { fontSize: 14, color: "#1f2933" };
  }

  function drawTrend(months) {
    const x = months.map((m) => m.month);
    const series = (key, type, extra) =>
      Object.assign(
        { name: FIG[key].label, type: type, data: months.map((m) => m[key]) },
        extra || {}
      );
    draw("chart-trend", {
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: axisFont() },
      grid: { left: 48, right: 56, top: 64, bottom: 36 },
      xAxis: { type: "category", data: x, axisLabel: axisFont() },
      yAxis: [
        { type: "value", minInterval: 1, axisLabel: axisFont() },
        { type: "value", min: 0, max: 100, axisLabel: Object.assign({ formatter: "{value}%" }, axisFont()) },
      ],
      series: [
        series("topics_raised", "bar"),
        series("answered_within_4h", "bar"),
        series("projects_adopted", "bar"),
        series("problems_solved", "bar"),
        series("answered_within_4h_share", "line", { yAxisIndex: 1, connectNulls: true }),
      ],
    });
    draw("chart-volunteers", {
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: axisFont() },
      grid: { left: 56, right: 64, top: 48, bottom: 36 },
      xAxis: { type: "category", data: x, axisLabel: axisFont() },
      yAxis: [
        { type: "value", name: MSG.hours, axisLabel: axisFont() },
        { type: "value", minInterval: 1, axisLabel: axisFont() },
      ],
      series: [
        series("volunteer_hours", "bar"),
        series("points_issued", "line", { yAxisIndex: 1 }),
      ],
    });
  }

  function drawStages(figures) {
    const keys = defs.stages.map((s) => s.key);
    draw("chart-stages", {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 24, top: 24, bottom: 36 },
      xAxis: { type: "category", data: defs.stages.map((s) => s.label), axisLabel: axisFont() },
      yAxis: { type: "value", minInterval: 1, axisLabel: axisFont() },
      series: [
        {
          name: MSG.projects,
          type: "bar",
          data: keys.map((k) => figures[k]),
          label: { show: true, position: "top", fontSize: 14 },
        },
      ],
    });
  }

  function drawRanking(body) {
    const block = $("chart-ranking");
    const empty = body.rows.length === 0;
    $("ranking-empty").hidden = !empty;
    block.hidden = empty;
    $("table-ranking").hidden = empty;
    if (empty) {
      block.dataset.ready = "1";
      return;
    }
    // Horizontal bars, the first-ranked at the top.
    const rows = body.rows.slice().reverse();
    block.style.height = Math.max(240, rows.length * 36 + 80) + "px";
    if (charts["chart-ranking"]) charts["chart-ranking"].resize();
    draw("chart-ranking", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 120, right: 72, top: 24, bottom: 24 },
      xAxis: { type: "value", axisLabel: axisFont() },
      yAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: axisFont() },
      series: [
        {
          name: FIG[body.sort].label,
          type: "bar",
          data: rows.map((r) => r.figures[body.sort]),
          label: {
            show: true,
            position: "right",
            fontSize: 14,
            formatter: (p) => format(body.sort, p.value),
          },
        },
      ],
    });
  }

  // ------------------------------------------------------------------------------------------
  // Grid events and disputes (GET cases/): counts only.

  const WEEK_KEYS = [
    "found",
    "cleared_within_week",
    "cleared_within_week_share",
    "handled",
    "handled_on_time",
    "handled_on_time_share",
    "returned",
    "reopened",
  ];
  const DISPUTE_KEYS = ["opened", "agreement", "referred", "withdrawn"];

  function count(value, isShare) {
    if (value === null || value === undefined) return MSG.empty;
    return isShare ? value.toFixed(1) + "%" : Number(value).toLocaleString("zh-CN");
  }

  function countCell(tag, key, value) {
    const td = cell(tag, count(value, key.endsWith("_share")), { "data-key": key });
    td.dataset.value = value === null || value === undefined ? "" : String(value);
    return td;
  }

  function disputeHeader(key) {
    return document.querySelector(`#table-disputes th[data-key='${key}']`).textContent;
  }

  function renderCases(body) {
    $("table-events").tBodies[0].replaceChildren(
      ...body.events_by_state.map((row) => {
        const tr = document.createElement("tr");
        tr.dataset.state = row.state;
        tr.appendChild(cell("th", row.label, { scope: "row" }));
        tr.appendChild(countCell("td", "count", row.count));
        return tr;
      })
    );
    $("weeks-empty").hidden = body.weeks.length > 0;
    $("table-weeks").hidden = body.weeks.length === 0;
    $("table-weeks").tBodies[0].replaceChildren(
      ...body.weeks.map((row) => {
        const tr = document.createElement("tr");
        tr.dataset.unit = row.ref;
        tr.dataset.week = row.week;
        tr.appendChild(cell("th", `${row.week}（${row.week_start}）`, { scope: "row" }));
        tr.appendChild(cell("td", row.name));
        WEEK_KEYS.forEach((key) => tr.appendChild(countCell("td", key, row[key])));
        return tr;
      })
    );
    const disputes = body.disputes_by_category;
    $("disputes-empty").hidden = disputes.length > 0;
    $("chart-disputes").hidden = disputes.length === 0;
    $("table-disputes").hidden = disputes.length === 0;
    $("table-disputes").tBodies[0].replaceChildren(
      ...disputes.map((row) => {
        const tr = document.createElement("tr");
        tr.dataset.category = row.category;
        tr.appendChild(cell("th", row.label, { scope: "row" }));
        DISPUTE_KEYS.forEach((key) => tr.appendChild(countCell("td", key, row[key])));
        return tr;
      })
    );
  }

  function drawCases(body) {
    const states = body.events_by_state;
    draw("chart-events", {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 24, top: 24, bottom: 36 },
      xAxis: { type: "category", data: states.map((s) => s.label), axisLabel: axisFont() },
      yAxis: { type: "value", minInterval: 1, axisLabel: axisFont() },
      series: [
        {
          name: MSG.events,
          type: "bar",
          data: states.map((s) => s.count),
          label: { show: true, position: "top", fontSize: 14 },
        },
      ],
    });
    const disputes = body.disputes_by_category;
    if (!disputes.length) {
      $("chart-disputes").dataset.ready = "1";
      return;
    }
    if (charts["chart-disputes"]) charts["chart-disputes"].resize();
    draw("chart-disputes", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, textStyle: axisFont() },
      grid: { left: 48, right: 24, top: 64, bottom: 36 },
      xAxis: { type: "category", data: disputes.map((d) => d.label), axisLabel: axisFont() },
      yAxis: { type: "value", minInterval: 1, axisLabel: axisFont() },
      series: DISPUTE_KEYS.map((key) => ({
        name: disputeHeader(key),
        type: "bar",
        data: disputes.map((d) => d[key]),
      })),
    });
  }

  // ------------------------------------------------------------------------------------------
  // Loading

  async function resolveUnit() {
    if (state.unit) return;
    const roots = await get("units/", new URLSearchParams());
    if (roots.units.length) state.unit = roots.units[0].ref;
  }

  // The five reads go one after another, each drawn as soon as it arrives: the cards first.
  // One page then holds one server worker at a time (the portal runs a few sync workers), and
  // a slow ranking never delays the summary.
  async function load() {
    const mine = ++generation;
    const current = () => mine === generation;
    setStatus(MSG.loading);
    main.setAttribute("aria-busy", "true");
    main.dataset.loaded = "0";
    try {
      await resolveUnit();
      const summary = await get("summary/", query());
      if (!current()) return;
      state.unit = summary.unit.ref;
      if (state.period !== "custom") state.date = summary.period.key;
      pushState();
      controlsFromState(summary.period);
      renderBreadcrumb(summary.breadcrumb);
      $("scope-title").textContent = `${summary.unit.level_label} ${summary.unit.name} · ${summary.period.label}`;
      $("as-of").textContent = interpolate(MSG.asOf, {
        at: summary.as_of.replace("T", " ").slice(0, 16),
      });
      document.querySelectorAll("[data-figure]").forEach((el) => {
        fill(el, el.dataset.figure, summary.figures[el.dataset.figure]);
      });
      renderExports();
      drawStages(summary.figures);

      const trend = await get("trend/", query());
      if (!current()) return;
      renderTrendTable(trend.months);
      drawTrend(trend.months);

      const ranking = await get("ranking/", query({ sort: state.sort }));
      if (!current()) return;
      renderRankingTable(ranking);
      drawRanking(ranking);

      const cases = await get("cases/", query());
      if (!current()) return;
      renderCases(cases);
      drawCases(cases);

      const units = await get("units/", new URLSearchParams({ parent: state.unit }));
      if (!current()) return;
      renderChildren(units.units);
      main.dataset.loaded = "1";
      setStatus(interpolate(MSG.loaded, { unit: summary.unit.name, period: summary.period.label }));
    } catch (error) {
      if (!current()) return;
      setStatus(error.message || MSG.failed, true);
    } finally {
      if (current()) main.removeAttribute("aria-busy");
    }
  }

  function go(unit) {
    state.unit = unit;
    load().then(() => $("scope-title").focus());
  }

  // ------------------------------------------------------------------------------------------
  // Events

  $("period-kind").addEventListener("change", showPeriodFields);
  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    stateFromControls();
    load();
  });
  $("unit-select").addEventListener("change", (event) => {
    if (event.target.value) go(event.target.value);
  });
  $("ranking-sort").addEventListener("change", (event) => {
    state.sort = event.target.value;
    load();
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-unit]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(link.dataset.unit);
  });
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));

  controlsFromState(null);
  load();
})();
