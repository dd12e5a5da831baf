/* Site search over window.DC_SEARCH_INDEX (written at build time by search-index.js): character bigrams,
   unigrams for one-character words; every word of the query must appear in the page. No network. */
(function () {
  "use strict";
  var WORD = /[0-9a-z\u3400-\u9fff\uf900-\ufaff]+/g;

  function norm(s) { return String(s).normalize("NFKC").toLowerCase(); }
  function words(q) { return norm(q).match(WORD) || []; }
  function grams(word) {
    if (word.length < 2) { return [word]; }
    var out = [];
    for (var i = 0; i < word.length - 1; i++) { out.push(word.substr(i, 2)); }
    return out;
  }
  function count(hay, needle) {
    var n = 0, at = hay.indexOf(needle);
    while (at !== -1) { n++; at = hay.indexOf(needle, at + needle.length); }
    return n;
  }

  function search(index, query) {
    var ws = words(query);
    if (!ws.length) { return []; }
    var candidates = null;
    ws.forEach(function (w) {
      grams(w).forEach(function (g) {
        var posting = index.grams[g] || [];
        if (candidates === null) { candidates = posting.slice(); }
        else { candidates = candidates.filter(function (n) { return posting.indexOf(n) !== -1; }); }
      });
    });
    var hits = [];
    (candidates || []).forEach(function (n) {
      var doc = index.docs[n];
      var title = norm(doc[1]), text = norm(doc[2]);
      var score = 0;
      for (var i = 0; i < ws.length; i++) {
        var inTitle = count(title, ws[i]), inText = count(text, ws[i]);
        if (!inTitle && !inText) {
          if (doc[2].length < index.max_text) { return; }  /* the whole page is here: the word is not */
          inText = 1;  /* past the stored part: its bigrams all matched */
        }
        score += inTitle * 20 + inText;
      }
      hits.push({ doc: doc, score: score, first: text.indexOf(ws[0]), word: ws[0] });
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.doc[0] < b.doc[0] ? -1 : 1); });
    return hits;
  }

  function snippet(hit) {
    var text = hit.doc[2], at = Math.max(hit.first, 0);
    var start = Math.max(0, at - 30), end = Math.min(text.length, at + hit.word.length + 60);
    var p = document.createElement("p");
    p.className = "dc-search-snippet";
    p.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    if (hit.first >= 0) {
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + hit.word.length);
      p.appendChild(mark);
      p.appendChild(document.createTextNode(text.slice(at + hit.word.length, end) + (end < text.length ? "…" : "")));
    }
    return p;
  }

  function run() {
    var index = window.DC_SEARCH_INDEX;
    var input = document.getElementById("dc-search-q");
    var status = document.getElementById("dc-search-status");
    var list = document.getElementById("dc-search-results");
    if (!index || !input || !status || !list) { return; }
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    var header = document.getElementById("dc-q");
    if (header) { header.value = q; }
    if (!q.trim()) { return; }
    var hits = search(index, q);
    status.textContent = hits.length ? "“" + q + "”共找到 " + hits.length + " 个页面。" : "没有找到与“" + q + "”相关的页面，请换一个关键词。";
    hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hit.doc[0];
      a.textContent = hit.doc[1];
      li.appendChild(a);
      li.appendChild(snippet(hit));
      var url = document.createElement("p");
      url.className = "dc-search-url";
      url.textContent = hit.doc[0];
      li.appendChild(url);
      list.appendChild(li);
    });
  }

  window.DC_SEARCH = { search: search };
  document.addEventListener("DOMContentLoaded", run);
})();
