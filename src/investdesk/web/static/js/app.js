// InvestDesk pages: charts, drag-and-drop uploads, the stage board, evidence highlighting, error notices.
// Every page works without this file; it only makes them quicker to use. No inline scripts anywhere (CSP).
(function () {
  "use strict";

  function csrfToken() {
    return document.body ? document.body.dataset.csrf || "" : "";
  }

  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts";
      box.className = "toasts";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    var item = document.createElement("div");
    item.className = "toast " + (kind || "error");
    item.textContent = message;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 7000);
  }

  // ---- charts (Plotly, served by the app itself) ----
  var COLORS = ["#12355b", "#1d4a7a", "#1a5fb4", "#3d7cc9", "#f2a33a"];

  function drawChart(el) {
    if (el.dataset.drawn || typeof window.Plotly === "undefined") return;
    var spec = JSON.parse(el.dataset.chart || "{}");
    if (!spec.values || spec.values.length === 0 || spec.values.every(function (v) { return !v; })) {
      el.classList.add("chart-empty");
      el.textContent = "No data yet.";
      el.dataset.drawn = "1";
      return;
    }
    var trace;
    var layout = {
      margin: { l: 10, r: 10, t: 10, b: 30 }, height: 280, paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)", font: { family: "Segoe UI, Roboto, Arial, sans-serif", size: 12, color: "#1e2a36" },
      showlegend: false
    };
    if (spec.kind === "funnel") {
      trace = { type: "funnel", y: spec.labels, x: spec.values, textinfo: "value+percent initial",
        customdata: spec.now, hovertemplate: "%{y}: %{x} reached, %{customdata} there now<extra></extra>",
        marker: { color: COLORS }, connector: { line: { color: "#d8dee6" } } };
      layout.margin.l = 90;
    } else if (spec.kind === "hbar") {
      trace = { type: "bar", orientation: "h", y: spec.labels, x: spec.values, marker: { color: "#1d4a7a" },
        hovertemplate: "%{y}: %{x:,.0f} " + (spec.unit || "") + "<extra></extra>" };
      layout.margin.l = 150;
      layout.yaxis = { automargin: true };
    } else {
      trace = { type: "bar", x: spec.labels, y: spec.values, marker: { color: "#1a5fb4" },
        hovertemplate: "%{x}: %{y} " + (spec.unit || "") + "<extra></extra>" };
      layout.xaxis = { automargin: true };
      layout.bargap = spec.values.length < 4 ? 0.6 : 0.25;
    }
    window.Plotly.newPlot(el, [trace], layout, { displayModeBar: false, responsive: true });
    el.dataset.drawn = "1";
    if (spec.links) {
      el.on("plotly_click", function (ev) {
        var p = ev.points && ev.points[0];
        if (p && spec.links[p.pointIndex]) window.location.href = spec.links[p.pointIndex];
      });
    }
  }

  function drawCharts(root) {
    root.querySelectorAll("[data-chart]").forEach(drawChart);
  }

  // ---- uploads: drag and drop, several at once, a progress bar each ----
  function setupUpload(zone) {
    var form = zone.closest("form");
    var input = form.querySelector("input[type=file]");
    var list = document.getElementById(zone.dataset.list || "upload-list");
    var url = form.getAttribute("action");

    function upload(file) {
      var row = document.createElement("li");
      var name = document.createElement("span");
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var state = document.createElement("span");
      state.className = "u-state";
      state.textContent = "Waiting";
      row.append(name, bar, state);
      list.appendChild(row);
      var data = new FormData();
      data.append("files", file);
      data.append("csrf_token", csrfToken());
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          state.textContent = bar.value < 100 ? bar.value + " %" : "Reading…";
        }
      });
      xhr.addEventListener("load", function () {
        bar.value = 100;
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        var results = body.results || [];
        if (xhr.status >= 200 && xhr.status < 300 && results.length && !results[0].error) {
          var r = results[0];
          state.className = "u-state ok";
          state.textContent = "";
          var link = document.createElement("a");
          link.href = r.url;
          link.textContent = r.duplicate ? "Already stored: open" : "Review " + (r.item_count || 0) + " items";
          state.appendChild(link);
        } else {
          state.className = "u-state err";
          state.textContent = (results[0] && results[0].error) || body.detail || "Upload failed (" + xhr.status + ")";
        }
      });
      xhr.addEventListener("error", function () {
        state.className = "u-state err";
        state.textContent = "Network error";
      });
      xhr.send(data);
    }

    function handle(files) {
      Array.prototype.forEach.call(files, upload);
    }

    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) { handle(e.dataTransfer.files); });
    zone.addEventListener("click", function () { input.click(); });
    zone.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); }
    });
    input.addEventListener("change", function () { handle(input.files); input.value = ""; });
    form.addEventListener("submit", function (e) {
      if (input.files.length) { e.preventDefault(); handle(input.files); input.value = ""; }
    });
    form.classList.add("enhanced");
  }

  // ---- board: drag a card to another stage ----
  var dragged = null;

  function moveCard(card, column) {
    var stage = column.dataset.stage;
    var board = column.closest("[data-board]");
    var query = board.dataset.moveQuery;
    var send = function (reason) {
      var values = { to_stage: stage, version: card.dataset.version, from: "board", query: query,
        csrf_token: csrfToken() };
      if (reason) values.reason = reason;
      window.htmx.ajax("POST", "/opportunities/" + card.dataset.id + "/move" + (query ? "?" + query : ""),
        { target: "#board", swap: "outerHTML", values: values });
    };
    if (column.hasAttribute("data-needs-reason")) {
      askReason(column.dataset.stageName, send);
    } else {
      send(null);
    }
  }

  function askReason(stageName, done) {
    var dialog = document.getElementById("reason-dialog");
    var text = dialog.querySelector("textarea");
    var err = dialog.querySelector("[data-reason-error]");
    dialog.querySelector("[data-stage-name]").textContent = stageName;
    text.value = "";
    err.classList.add("hidden");
    dialog.onclose = null;
    var form = dialog.querySelector("form");
    form.onsubmit = function (e) {
      var submitter = e.submitter;
      if (submitter && submitter.value === "ok" && !text.value.trim()) {
        e.preventDefault();
        err.classList.remove("hidden");
        text.focus();
      }
    };
    dialog.onclose = function () {
      if (dialog.returnValue === "ok" && text.value.trim()) done(text.value.trim());
    };
    dialog.showModal();
    text.focus();
  }

  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".board-card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.dataset.id);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".board-column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });
  document.addEventListener("dragover", function (e) {
    var column = e.target.closest && e.target.closest(".board-column");
    if (!column || !dragged) return;
    e.preventDefault();
    column.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (e) {
    var column = e.target.closest && e.target.closest(".board-column");
    if (column && !column.contains(e.relatedTarget)) column.classList.remove("drop-target");
  });
  document.addEventListener("drop", function (e) {
    var column = e.target.closest && e.target.closest(".board-column");
    if (!column || !dragged) return;
    e.preventDefault();
    column.classList.remove("drop-target");
    var card = dragged;
    dragged = null;
    if (card.closest(".board-column") === column) return;
    moveCard(card, column);
  });

  // ---- review: an item and its evidence sentence light up together ----
  function clearActive() {
    document.querySelectorAll(".doc-text mark.active, .item.active").forEach(function (el) { el.classList.remove("active"); });
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    var item = e.target.closest(".item[data-item]");
    if (item && !e.target.closest("button, a, input, select, textarea, summary, form")) {
      clearActive();
      item.classList.add("active");
      var mark = item.dataset.span !== undefined ? document.getElementById("span-" + item.dataset.span) : null;
      if (mark) {
        mark.classList.add("active");
        mark.scrollIntoView({ block: "center", behavior: "smooth" });
      }
      return;
    }
    var clicked = e.target.closest(".doc-text mark[data-span]");
    if (clicked) {
      clearActive();
      clicked.classList.add("active");
      var first = null;
      document.querySelectorAll('.item[data-span="' + clicked.dataset.span + '"]').forEach(function (el) {
        el.classList.add("active");
        first = first || el;
      });
      if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });

  // ---- htmx: errors as notices, not silent failures ----
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var msg = xhr.getResponseHeader("HX-Error");
    toast(msg ? decodeURIComponent(msg) : "The server refused that (" + xhr.status + ").");
  });
  document.addEventListener("htmx:sendError", function () { toast("The server cannot be reached."); });
  document.addEventListener("htmx:load", function (e) { drawCharts(e.detail.elt); });

  function init() {
    drawCharts(document);
    document.querySelectorAll("[data-dropzone]").forEach(setupUpload);
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        var q = document.getElementById("top-q");
        if (q) { e.preventDefault(); q.focus(); }
      }
      if (e.key === "Escape") {
        var box = document.getElementById("search-suggest");
        if (box) box.innerHTML = "";
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("load", function () { drawCharts(document); });
})();
