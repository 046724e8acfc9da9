// InvestDesk pages: charts, drag-and-drop uploads, the stage board, the menu, evidence highlighting, error notices.
// Every page works without this file; it only makes them quicker to use. No inline scripts anywhere (CSP).
(function () {
  "use strict";

  // Messages this script writes, in the page's language (given by the page: data-messages on <body>).
  var messages = null;
  function t(text, values) {
    if (messages === null) {
      try { messages = JSON.parse((document.body && document.body.dataset.messages) || "{}"); } catch (err) { messages = {}; }
    }
    var out = messages[text] || text;
    return out.replace(/%\((\w+)\)s/g, function (all, key) { return values && key in values ? values[key] : all; });
  }

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
      el.textContent = t("No data yet.");
      el.dataset.drawn = "1";
      return;
    }
    var traces;
    var layout = {
      margin: { l: 10, r: 16, t: 10, b: 30 }, height: 280, paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)", font: { family: getComputedStyle(document.body).fontFamily || "sans-serif", size: 12, color: "#1e2a36" },
      showlegend: false
    };
    var narrow = el.clientWidth < 420;
    if (spec.kind === "funnel") {
      traces = [{ type: "funnel", y: spec.labels, x: spec.values, textinfo: "value", textposition: "inside",
        customdata: spec.now, hovertemplate: "%{y}: %{x} reached this stage, %{customdata} there now<extra></extra>",
        marker: { color: COLORS }, connector: { line: { color: "#d8dee6" } } }];
      layout.yaxis = { automargin: true };
      layout.margin.b = 10;
    } else if (spec.kind === "hbar") {
      traces = [{ type: "bar", orientation: "h", y: spec.labels, x: spec.values, marker: { color: "#1d4a7a" },
        hovertemplate: "%{y}: %{x:,.0f} " + (spec.unit || "") + "<extra></extra>" }];
      layout.yaxis = { automargin: true, tickfont: { size: narrow ? 10 : 12 } };
      layout.xaxis = { automargin: true, rangemode: "tozero", nticks: narrow ? 4 : 6 };
      // A few bars stay slim and the chart short, rather than one bar filling the card.
      layout.height = Math.max(150, Math.min(380, 60 + spec.labels.length * 26));
      layout.bargap = spec.labels.length < 4 ? 0.5 : 0.25;
    } else if (spec.kind === "grouped") {
      var colors = ["#1a5fb4", "#23753a"];
      traces = spec.series.map(function (s, i) {
        return { type: "bar", name: s.name, x: spec.labels, y: s.values, marker: { color: colors[i % colors.length] },
          hovertemplate: s.name + " %{x}: %{y} " + (spec.unit || "") + "<extra></extra>" };
      });
      layout.barmode = "group";
      layout.showlegend = true;
      layout.legend = { orientation: "h", y: 1.12, x: 0 };
      layout.margin.t = 30;
      layout.xaxis = { automargin: true, type: "category" };
      layout.yaxis = { automargin: true, rangemode: "tozero" };
    } else {
      traces = [{ type: "bar", x: spec.labels, y: spec.values, marker: { color: "#1a5fb4" },
        hovertemplate: "%{x}: %{y} " + (spec.unit || "") + "<extra></extra>" }];
      layout.xaxis = { automargin: true, type: "category" };
      layout.yaxis = { automargin: true };
      layout.bargap = spec.values.length < 4 ? 0.6 : 0.25;
    }
    if (spec.integer) {
      // Counts: whole-number ticks, one per unit when the numbers are small.
      var axis = spec.kind === "hbar" ? layout.xaxis : layout.yaxis;
      var top = Math.max.apply(null, (spec.series || [{ values: spec.values }]).reduce(function (all, s) {
        return all.concat(s.values);
      }, [0]));
      axis.tickformat = "d";
      if (top <= 8) axis.dtick = 1;
    }
    window.Plotly.newPlot(el, traces, layout, { displayModeBar: false, responsive: true });
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
      state.textContent = t("Waiting");
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
          state.textContent = bar.value < 100 ? bar.value + " %" : t("Reading…");
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
          link.textContent = r.duplicate ? t("Already stored: open") : t("Review %(num)s items", { num: r.item_count || 0 });
          state.appendChild(link);
        } else {
          state.className = "u-state err";
          state.textContent = (results[0] && results[0].error) || body.detail || t("Upload failed (%(status)s)", { status: xhr.status });
        }
      });
      xhr.addEventListener("error", function () {
        state.className = "u-state err";
        state.textContent = t("Network error");
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

  // ---- board: drag a card to another stage (SortableJS, mouse and touch) ----
  // A card dropped on another column is put back where it came from until the server answers: the page then
  // shows the board the server sends, or, if the move is refused or the reason dialog is cancelled, the card
  // stays in its old column, fully drawn.
  function revert(card, origin) {
    card.draggable = true;  // SortableJS clears it on drop; the card put back is still movable
    if (!origin || !origin.from.isConnected) return;
    if (origin.next && origin.next.parentNode === origin.from) origin.from.insertBefore(card, origin.next);
    else origin.from.appendChild(card);
  }

  function moveCard(card, column, origin) {
    var stage = column.dataset.stage;
    var board = column.closest("[data-board]");
    var query = board.dataset.moveQuery;
    revert(card, origin);
    var send = function (reason) {
      var values = { to_stage: stage, version: card.dataset.version, from: "board", query: query,
        csrf_token: csrfToken() };
      if (reason) values.reason = reason;
      card.classList.add("saving");
      var done = function () { card.classList.remove("saving"); };
      window.htmx.ajax("POST", "/opportunities/" + card.dataset.id + "/move" + (query ? "?" + query : ""),
        { target: "#board", swap: "outerHTML", values: values }).then(done, done);
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
    dialog.returnValue = "";
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
      dialog.onclose = null;
      if (dialog.returnValue === "ok" && text.value.trim()) done(text.value.trim());
    };
    dialog.showModal();
    text.focus();
  }

  function setupBoard(root) {
    if (typeof window.Sortable === "undefined") return;
    var boards = root.matches && root.matches("[data-board]") ? [root] : root.querySelectorAll("[data-board]");
    Array.prototype.forEach.call(boards, function (board) {
      if (!board.hasAttribute("data-can-move")) return;
      var origin = null;
      board.querySelectorAll(".board-column").forEach(function (column) {
        if (column.sortable) return;
        column.sortable = window.Sortable.create(column, {
          group: "board", sort: false, draggable: ".board-card.movable", animation: 150,
          filter: "button, input", preventOnFilter: false,
          delay: 200, delayOnTouchOnly: true, touchStartThreshold: 5,
          ghostClass: "board-ghost", chosenClass: "board-chosen", dragClass: "dragging",
          onStart: function (evt) {
            origin = { from: evt.from, next: evt.item.nextSibling };
            board.querySelectorAll(".board-column").forEach(function (c) { c.classList.add("drop-ready"); });
          },
          onEnd: function (evt) {
            board.querySelectorAll(".board-column").forEach(function (c) {
              c.classList.remove("drop-ready", "drop-target");
            });
            var here = origin;
            origin = null;
            if (evt.to === evt.from) { revert(evt.item, here); return; }
            moveCard(evt.item, evt.to, here);
          },
          onMove: function (evt) {
            board.querySelectorAll(".board-column.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
            if (evt.to) evt.to.classList.add("drop-target");
            return true;
          }
        });
      });
    });
  }

  // SortableJS animates with style properties; htmx, when it settles a swapped board, copies the old cards'
  // attributes onto the new ones, and a copied style attribute is inline style the policy refuses. The board
  // the server sends needs none of them.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var target = e.detail.target;
    if (target && target.matches && target.matches("[data-board]")) {
      target.querySelectorAll("[style]").forEach(function (el) { el.removeAttribute("style"); });
    }
  });

  // ---- navigation: the menu button opens the sections on narrow screens ----
  function setNav(open) {
    var button = document.querySelector("[data-menu-toggle]");
    var backdrop = document.querySelector(".nav-backdrop");
    document.body.classList.toggle("nav-open", open);
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
    if (backdrop) backdrop.hidden = !open;
    if (open) {
      var first = document.querySelector("#sidenav a");
      if (first) first.focus();
    }
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    if (e.target.closest("[data-menu-toggle]")) {
      setNav(!document.body.classList.contains("nav-open"));
    } else if (e.target.closest("[data-menu-close]")) {
      setNav(false);
    }
    var account = document.querySelector("details.account[open]");
    if (account && !e.target.closest("details.account")) account.open = false;
  });

  // ---- a table wider than its card scrolls inside it: keyboard users reach it with Tab and scroll it ----
  function markScrollable() {
    document.querySelectorAll(".table-wrap, .card").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible";
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.dataset.scrollFocus = "1";
      } else if (!scrolls && el.dataset.scrollFocus) {
        el.removeAttribute("tabindex");
        delete el.dataset.scrollFocus;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  document.addEventListener("htmx:afterSettle", markScrollable);
  window.addEventListener("resize", markScrollable);

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

  // ---- review: the "Accepting will ..." line of an item follows its "Accept as" choice ----
  // Each choice carries its own sentence (data-says, in the page's language); the choice proposed first gets the
  // line as the page gave it back (with its link to the record).
  function followChoice(select) {
    var line = document.getElementById(select.dataset.planLine || "");
    var option = select.options[select.selectedIndex];
    if (!line || !option || option.disabled) return;
    if (line.dataset.first === undefined) {
      line.dataset.first = line.innerHTML;
      line.dataset.firstPlan = line.dataset.plan || "";
    }
    if (select.selectedIndex === 0) {
      line.innerHTML = line.dataset.first;
      line.dataset.plan = line.dataset.firstPlan;
    } else {
      line.textContent = option.dataset.says || "";
      line.dataset.plan = option.dataset.plan || "";
    }
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select.merge-choice")) followChoice(e.target);
  });

  // ---- htmx: errors as notices, not silent failures ----
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var msg = xhr.getResponseHeader("HX-Error");
    toast(msg ? decodeURIComponent(msg) : t("The server refused that (%(status)s).", { status: xhr.status }));
  });
  document.addEventListener("htmx:sendError", function () { toast(t("The server cannot be reached.")); });
  document.addEventListener("htmx:load", function (e) {
    drawCharts(e.detail.elt);
    setupBoard(e.detail.elt);
    // A search swaps in a new "Accept as" list with the first record found chosen: the line says so.
    if (e.detail.elt.matches && e.detail.elt.matches("select.merge-choice")) followChoice(e.detail.elt);
  });

  // ---- search suggestions: the arrow keys walk from the box into the list and back ----
  function setupSuggest() {
    var input = document.getElementById("top-q");
    var box = document.getElementById("search-suggest");
    if (!input || !box) return;
    function options() { return Array.prototype.slice.call(box.querySelectorAll("[role=option]")); }
    function go(i) {
      var opts = options();
      opts.forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      if (i < 0 || !opts.length) { input.focus(); input.removeAttribute("aria-activedescendant"); return; }
      var o = opts[Math.min(i, opts.length - 1)];
      o.setAttribute("aria-selected", "true");
      o.focus();
    }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && options().length) { e.preventDefault(); go(0); }
      else if (e.key === "ArrowUp" && options().length) { e.preventDefault(); go(options().length - 1); }
    });
    box.addEventListener("keydown", function (e) {
      var opts = options(), i = opts.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); go(i + 1 < opts.length ? i + 1 : -1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); go(i - 1); }
      else if (e.key === "Home") { e.preventDefault(); go(0); }
      else if (e.key === "End") { e.preventDefault(); go(opts.length - 1); }
      else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) { input.focus(); }
    });
    // Leaving the search (a click elsewhere, Tab past the list) closes the list.
    document.addEventListener("click", function (e) {
      if (!input.form.contains(e.target)) box.innerHTML = "";
    });
    input.setAttribute("aria-expanded", "false");
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target === box) input.setAttribute("aria-expanded", options().length ? "true" : "false");
    });
  }

  function init() {
    drawCharts(document);
    setupSuggest();
    document.querySelectorAll("[data-dropzone]").forEach(setupUpload);
    setupBoard(document);
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        var q = document.getElementById("top-q");
        if (q) { e.preventDefault(); q.focus(); }
      }
      if (e.key === "Escape") {
        var box = document.getElementById("search-suggest");
        if (box) box.innerHTML = "";
        if (document.body.classList.contains("nav-open")) {
          setNav(false);
          var button = document.querySelector("[data-menu-toggle]");
          if (button) button.focus();
        }
        var account = document.querySelector("details.account[open]");
        if (account) account.open = false;
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("load", function () { drawCharts(document); });
})();
