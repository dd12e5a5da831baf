/* disclosure theme script: 长者模式 toggle (localStorage only), the scroll hint of wide tables, the
   返回正文 link of a table page and the highlight of a search match. Charts are inline SVG drawn
   at build time, so no chart code is loaded. A plain script (no modules, no network) so that pages
   work when opened from a folder. */
(function () {
  "use strict";
  var KEY = "dc-elder";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* storage disabled: toggle still works on this page */ }
  }
  if (stored()) { root.classList.add("dc-elder"); }

  function param(name) {
    var m = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    if (!m) { return ""; }
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { return ""; }
  }

  /* A wide table shows its hint only when it really scrolls sideways. */
  function markScrolling() {
    Array.prototype.forEach.call(document.querySelectorAll(".dc-table-wrap"), function (wrap) {
      var hint = wrap.previousElementSibling;
      if (hint && hint.classList.contains("dc-scroll-hint")) {
        hint.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
      }
    });
  }

  /* 收入 | 支出 side by side (公开01表 on a wide screen): row i of one block as tall as row i of the
     other, so both blocks' totals stand on one line as on the printed form. */
  function levelRows() {
    Array.prototype.forEach.call(document.querySelectorAll(".dc-grids-2"), function (pair) {
      var tables = pair.querySelectorAll("table");
      if (tables.length !== 2) { return; }
      var a = tables[0].rows, b = tables[1].rows, i;
      for (i = 0; i < a.length; i++) { a[i].style.height = ""; }
      for (i = 0; i < b.length; i++) { b[i].style.height = ""; }
      if (a.length !== b.length || window.getComputedStyle(pair).display !== "grid") { return; }
      var heights = [];
      for (i = 0; i < a.length; i++) {
        heights.push(Math.max(a[i].getBoundingClientRect().height, b[i].getBoundingClientRect().height));
      }
      for (i = 0; i < a.length; i++) { a[i].style.height = b[i].style.height = heights[i] + "px"; }
    });
  }

  /* Arriving at a figure's cell: scroll so that the table's column headers are in view too. */
  function showTarget() {
    var id = window.location.hash.slice(1);
    var cell = id ? document.getElementById(id) : null;
    if (!cell || cell.tagName !== "TD") { return; }
    var table = cell.closest("table");
    var head = table && table.querySelector("thead");
    if (!head) { return; }
    var top = head.getBoundingClientRect().top + window.pageYOffset - 8;
    var bottom = cell.getBoundingClientRect().bottom + window.pageYOffset;
    if (bottom - top < window.innerHeight) { window.scrollTo(0, top); }
    else { window.scrollTo(0, bottom - window.innerHeight + 16); }
    var wrap = cell.closest(".dc-table-wrap");
    if (wrap) { wrap.scrollLeft = Math.max(0, cell.offsetLeft - wrap.clientWidth / 2); }
  }

  /* A table page opened from a figure link (?from=dc-f-N) returns to that sentence of the report. */
  function backLink() {
    var from = param("from");
    if (!/^dc-f-\d+$/.test(from)) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".dc-back-link"), function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#" + from);
    });
  }

  /* A page opened from a search result (?hl=words) marks and scrolls to the first match. */
  function highlight() {
    var words = param("hl").replace(/^\s+|\s+$/g, "");
    var main = document.getElementById("dc-main") || document.querySelector("main");
    if (!words || !main) { return; }
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, null);
    var node;
    while ((node = walker.nextNode())) {
      var at = node.nodeValue.indexOf(words);
      if (at < 0 || !node.parentNode || node.parentNode.closest(".dc-print-tables, script, .dc-sr")) { continue; }
      var match = node.splitText(at);
      match.splitText(words.length);
      var mark = document.createElement("mark");
      mark.className = "dc-hl";
      match.parentNode.replaceChild(mark, match);
      mark.appendChild(match);
      var wrap = mark.closest(".dc-table-wrap");
      if (wrap) { wrap.scrollLeft = Math.max(0, mark.offsetLeft - wrap.clientWidth / 2); }
      mark.scrollIntoView({ block: "center" });
      return;
    }
  }

  function setupToggle() {
    var buttons = document.querySelectorAll(".dc-elder-toggle");
    function show() {
      var on = root.classList.contains("dc-elder");
      Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
    }
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        var on = !root.classList.contains("dc-elder");
        root.classList.toggle("dc-elder", on);
        store(on);
        show();
        markScrolling();
        levelRows();
      });
    });
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupToggle();
    markScrolling();
    levelRows();
    backLink();
    highlight();
  });
  window.addEventListener("load", showTarget);
  window.addEventListener("hashchange", showTarget);
  window.addEventListener("resize", function () { markScrolling(); levelRows(); });
})();
