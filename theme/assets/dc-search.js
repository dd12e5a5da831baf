/* Site search over the sharded index written at build time (assets/search/): the manifest names the
   unit-years and the number of shards; a query loads, by inserting plain <script> elements, only the
   shards of its character bigrams (unigrams for one-character words) and then the doc (url, title,
   text) of each hit it shows, one small script per page. Works on file://: no fetch, no XHR, no modules, nothing from the network. */
(function () {
  "use strict";
  var WORD = /[0-9a-z\u3400-\u9fff\uf900-\ufaff]+/g;
  var BATCH = 20;  /* results shown at a time */
  var DIR = "assets/search/";
  var store = { manifest: null, shards: {}, docs: {} };  /* docs: "key\npage" → [url, title, text] */

  function norm(s) { return String(s).normalize("NFKC").toLowerCase(); }
  function words(q) { return norm(q).match(WORD) || []; }
  /* The bigrams that cover every character of a word (every other one, and the last): a page that has
     the word has them all, and a query loads no more shards than it needs. */
  function cover(word) {
    if (word.length < 2) { return [word]; }
    var out = [];
    for (var i = 0; i < word.length - 1; i += 2) { out.push(word.substr(i, 2)); }
    if (word.length % 2 === 1) { out.push(word.substr(word.length - 2, 2)); }
    return out;
  }
  function hash(g) {  /* FNV-1a over code points, as the build computes it (gram_hash) */
    var h = 0x811c9dc5;
    for (var i = 0; i < g.length; i++) { h = Math.imul(h ^ g.charCodeAt(i), 0x01000193) >>> 0; }
    return h;
  }
  function shardOf(g, n) {
    var bits = 0;
    while ((1 << bits) < n) { bits++; }
    return bits ? hash(g) >>> (32 - bits) : 0;
  }
  function shardName(n) { var s = n.toString(16); while (s.length < 3) { s = "0" + s; } return "s-" + s + ".js"; }
  /* the same file names as the build writes (doc_path) */
  function docSrc(key, n) { return (key === "" ? DIR + "portal-docs/" : key + "/search-docs/") + n + ".js"; }

  /* Insert a <script> for each src not loaded yet; call done(failed) when all have run. */
  var loaded = {};
  function load(srcs, done) {
    var pending = 0, failed = false;
    function one() { pending--; if (pending === 0) { done(failed); } }
    srcs.forEach(function (src) {
      if (loaded[src]) { return; }
      loaded[src] = true;
      pending++;
      var s = document.createElement("script");
      s.src = src;
      s.className = "dc-search-data";
      s.onload = one;
      s.onerror = function () { failed = true; loaded[src] = false; one(); };
      document.head.appendChild(s);
    });
    if (pending === 0) { done(false); }
  }

  /* Pages (id*64+page is not safe past 53 bits, so "id:page") having a gram, with whether the title has it. */
  function postings(g) {
    var rows = store.shards[shardOf(g, store.manifest.shards)] || [], out = {}, needle = "," + g + ":";
    rows.forEach(function (row) {
      var frag = row[1], at = frag.indexOf(needle);
      if (at === -1) { return; }
      var end = frag.indexOf(",", at + 1), masks = frag.slice(at + needle.length, end).split("/");
      var body = pages(masks[0]), title = masks.length > 1 ? pages(masks[1]) : [];
      var inTitle = {};
      title.forEach(function (p) { inTitle[p] = true; });
      body.forEach(function (p) { out[row[0] + ":" + p] = { id: row[0], page: p, title: !!inTitle[p] }; });
    });
    return out;
  }
  function pages(hex) {
    var out = [];
    for (var j = 0; j < hex.length; j++) {
      var d = parseInt(hex.charAt(hex.length - 1 - j), 16);
      for (var b = 0; b < 4; b++) { if (d & (1 << b)) { out.push(j * 4 + b); } }
    }
    return out;
  }

  function candidates(gs) {
    var hits = null;
    gs.forEach(function (g) {
      var post = postings(g), next = {};
      if (hits === null) {
        Object.keys(post).forEach(function (k) { next[k] = { id: post[k].id, page: post[k].page, title: post[k].title ? 1 : 0 }; });
      } else {
        Object.keys(hits).forEach(function (k) { if (post[k]) { next[k] = hits[k]; next[k].title += post[k].title ? 1 : 0; } });
      }
      hits = next;
    });
    var list = Object.keys(hits || {}).map(function (k) { return hits[k]; });
    list.sort(function (a, b) { return b.title - a.title || a.id - b.id || a.page - b.page; });
    return list;
  }

  function count(hay, needle) {
    var n = 0, at = hay.indexOf(needle);
    while (at !== -1) { n++; at = hay.indexOf(needle, at + needle.length); }
    return n;
  }
  /* The page's doc, if the page really has every word (the bigrams could be apart). */
  function verify(hit, ws) {
    var doc = store.docs[store.manifest.keys[hit.id] + "\n" + hit.page];
    if (!doc) { return null; }
    var title = norm(doc[1]), text = norm(doc[2]), score = 0, seen = true;
    for (var i = 0; i < ws.length; i++) {
      var inTitle = count(title, ws[i]), inText = count(text, ws[i]);
      if (!inTitle && !inText) {
        if (doc[2].length < store.manifest["max_text"]) { return null; }  /* the whole page is here: the word is not */
        seen = false;  /* past the stored part: its bigrams all matched */
      }
      score += inTitle * 20 + inText;
    }
    return { doc: doc, first: text.indexOf(ws[0]), word: ws[0], score: score, seen: seen, order: hit };
  }

  /* The raw text's [start, end) of a match found at nStart (length nLen) in norm(raw): NFKC may
     lengthen a character ("…" becomes "..."), so positions in the two texts differ. */
  function rawRange(raw, nStart, nLen) {
    var pos = 0, start = -1;
    for (var i = 0; i < raw.length; i++) {
      if (start < 0 && pos >= nStart) { start = i; }
      if (start >= 0 && pos >= nStart + nLen) { return [start, i]; }
      pos += norm(raw.charAt(i)).length;
    }
    return start < 0 ? null : [start, raw.length];
  }

  function snippet(hit) {
    var text = hit.doc[2], range = hit.first >= 0 ? rawRange(text, hit.first, hit.word.length) : null;
    var at = range ? range[0] : 0, stop = range ? range[1] : 0;
    var start = Math.max(0, at - 30), end = Math.min(text.length, stop + 60);
    var p = document.createElement("p");
    p.className = "dc-search-snippet";
    p.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    if (range) {
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, stop);
      p.appendChild(mark);
    }
    p.appendChild(document.createTextNode(text.slice(range ? stop : at, end) + (end < text.length ? "…" : "")));
    return p;
  }

  /* What kind of page a result is, said for a reader (not its file name). */
  function kind(path) {
    if (path === "index.html") { return "栏目首页"; }
    if (/\/tables\/index\.html$/.test(path)) { return "全部公开表"; }
    if (/\/tables\/[^\/]+\.html$/.test(path)) { return "部门决算公开表"; }
    if (/\/performance\.html$/.test(path)) { return "部门整体支出绩效评价"; }
    if (/\/monitoring-[^\/]+\.html$/.test(path)) { return "预算执行进度"; }
    if (/\/\d{4}\/index\.html$/.test(path)) { return "部门决算公开报告"; }
    return "历年部门决算";
  }

  function item(hit) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var text = hit.doc[2], range = hit.first >= 0 ? rawRange(text, hit.first, hit.word.length) : null;
    /* the page opens at its match: ?hl= names the matched text, the page's script marks it */
    a.href = hit.doc[0] + (range ? "?hl=" + encodeURIComponent(text.slice(range[0], range[1])) : "");
    a.textContent = hit.doc[1];
    li.appendChild(a);
    li.appendChild(snippet(hit));
    var where = document.createElement("p");
    where.className = "dc-search-url";
    where.textContent = "栏目：" + kind(hit.doc[0]);
    li.appendChild(where);
    return li;
  }

  function run() {
    var input = document.getElementById("dc-search-q");
    var status = document.getElementById("dc-search-status");
    var list = document.getElementById("dc-search-results");
    var more = document.getElementById("dc-search-more");
    if (!input || !status || !list) { return; }
    var q = new URLSearchParams(window.location.search).get("q") || "";
    input.value = q;
    var header = document.getElementById("dc-q");
    if (header) { header.value = q; }
    var ws = words(q);
    if (!ws.length) { return; }
    if (!store.manifest) { status.textContent = "搜索索引缺失，请重新生成网站。"; return; }
    var gs = [];
    ws.forEach(function (w) { cover(w).forEach(function (g) { if (gs.indexOf(g) === -1) { gs.push(g); } }); });
    var need = [];
    gs.forEach(function (g) { var src = DIR + shardName(shardOf(g, store.manifest.shards)); if (need.indexOf(src) === -1) { need.push(src); } });
    status.textContent = "正在搜索“" + q + "”……";
    load(need, function (failed) {
      if (failed) { status.textContent = "搜索索引不完整，请重新生成网站。"; return; }
      /* Pages found by bigrams; a word of three or more characters may have its bigrams apart on a page,
         so such hits are checked against the loaded text, and only checked hits are counted. */
      var found = candidates(gs), next = 0, shown = 0;
      var exact = ws.every(function (w) { return w.length <= 2; });
      function say() {
        var text;
        if (!shown) { text = "没有找到与“" + q + "”相关的页面，请换一个关键词。"; }
        else if (exact || next >= found.length) { text = "“" + q + "”共找到 " + (exact ? found.length : shown) + " 个页面。"; }
        else { text = "“" + q + "”已找到 " + shown + " 个页面，点击“显示更多结果”继续查找。"; }
        status.textContent = text;
        if (more) { more.hidden = next >= found.length; }
      }
      function page(rounds) {
        var batch = found.slice(next, next + BATCH), keys = [], before = shown;
        batch.forEach(function (h) { keys.push(docSrc(store.manifest.keys[h.id], h.page)); });
        load(keys, function () {
          var ok = [];
          batch.forEach(function (h) { var hit = verify(h, ws); if (hit) { ok.push(hit); } });
          /* within a batch: title hits, then pages that show the words, then by how often */
          ok.sort(function (a, b) {
            return b.order.title - a.order.title || (b.seen ? 1 : 0) - (a.seen ? 1 : 0) || b.score - a.score ||
              a.order.id - b.order.id || a.order.page - b.order.page;
          });
          ok.forEach(function (hit) { list.appendChild(item(hit)); shown++; });
          next += batch.length;
          /* look once more when a batch came out thin (at most two batches a click) */
          if (shown - before < BATCH && next < found.length && rounds < 1) { page(rounds + 1); return; }
          say();
        });
      }
      if (more) { more.addEventListener("click", function () { page(0); }); }
      if (!found.length) { say(); return; }
      page(0);
    });
  }

  window.DC_SEARCH = {
    manifest: function (m) { store.manifest = m; },
    shard: function (n, rows) { store.shards[n] = rows; },
    doc: function (key, n, doc) { store.docs[key + "\n" + n] = doc; },
    cover: cover, hash: hash, shardOf: shardOf
  };
  document.addEventListener("DOMContentLoaded", run);
})();
