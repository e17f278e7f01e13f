/* litreview search: header suggestions on every page and the full results
 * page (search.html). Loads lunr.js and the prebuilt index lazily by adding
 * <script src> elements, so it works from file:// and under any subpath, with
 * a strict CSP (no eval, no inline code). Paper data is always inserted as
 * text (textContent, createTextNode), never parsed as HTML. */
(function () {
  "use strict";

  var root = document.documentElement.getAttribute("data-root") || "";
  var LUNR_SRC = root + "static/vendor/lunr/lunr.min.js";
  var INDEX_SRC = root + "search-index.js";
  var TEXT_SRC = root + "search-text.js"; // whole abstracts, loaded after the index
  var PAGE_SIZE = 50;
  var SUGGESTIONS = 8;
  var data = null; // {index, docs, facets, byId}
  var loading = null;
  var textLoading = null;

  /* ------------------------------------------------------------ loading */

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function ensureStyles() {
    if (document.querySelector("link[data-search-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = root + "static/css/search.css";
    link.setAttribute("data-search-css", "");
    document.head.appendChild(link);
  }

  /* The index ships in a compact form (see litreview/write/search.py): rebuild
   * lunr's serialised JSON, recomputing each field vector score exactly as
   * lunr's builder does (BM25, k1 1.2, b 0.75, rounded to 3 decimals). */
  function expand(compact) {
    var fields = compact.fields, boosts = compact.boosts, count = compact.documentCount;
    var K1 = 1.2, B = 0.75, nf = fields.length;
    var inverted = [], idf = [], tfs = [], lengths = [], f, r, i;
    // lunr copies a posting's metadata before use (lunr.MatchData), so one
    // shared empty object serves every document: far less garbage to collect.
    var NO_METADATA = Object.freeze({});
    for (i = 0; i < count * nf; i++) { tfs.push([]); lengths.push(0); }
    compact.postings.forEach(function (entry, index) {
      var posting = { _index: index }, withTerm = 0;
      for (var f = 0; f < nf; f++) {
        var coded = entry[f + 1], refs = {}, ref = -1;
        for (var k = 0; k < coded.length; k++) {
          var item = coded[k], delta = typeof item === "number" ? item : item[0];
          var tf = typeof item === "number" ? 1 : item[1];
          ref += delta;
          refs[ref] = NO_METADATA;
          tfs[ref * nf + f].push(index, tf);
          lengths[ref * nf + f] += tf;
        }
        posting[fields[f]] = refs;
        withTerm += coded.length;
      }
      inverted.push([entry[0], posting]);
      var x = (count - withTerm + 0.5) / (withTerm + 0.5);
      idf.push(Math.log(1 + Math.abs(x)));
    });
    var average = [];
    for (f = 0; f < nf; f++) {
      var sum = 0;
      for (r = 0; r < count; r++) sum += lengths[r * nf + f];
      average.push(sum / count);
    }
    var vectors = [];
    for (r = 0; r < count; r++) {
      for (f = 0; f < nf; f++) {
        var pairs = tfs[r * nf + f], elements = [];
        for (i = 0; i < pairs.length; i += 2) {
          var norm = K1 * (1 - B + B * (lengths[r * nf + f] / average[f]));
          var score = idf[pairs[i]] * ((K1 + 1) * pairs[i + 1]) / (norm + pairs[i + 1]) * boosts[f];
          elements.push(pairs[i], Math.round(score * 1000) / 1000);
        }
        vectors.push([fields[f] + "/" + r, elements]);
      }
    }
    return { version: compact.version, fields: fields, fieldVectors: vectors, invertedIndex: inverted, pipeline: compact.pipeline };
  }

  function ensureLoaded() {
    if (data) return Promise.resolve(data);
    if (loading) return loading;
    var started = performance.now();
    loading = (window.lunr ? Promise.resolve() : loadScript(LUNR_SRC))
      .then(function () { return window.LITREVIEW_SEARCH ? null : loadScript(INDEX_SRC); })
      .then(function () {
        var payload = window.LITREVIEW_SEARCH;
        if (!payload || !window.lunr) throw new Error("search index missing");
        data = {
          index: window.lunr.Index.load(expand(payload.index)),
          docs: payload.docs,
          facets: payload.facets,
          fields: payload.fields,
        };
        window.LitreviewSearch.loadMs = performance.now() - started;
        return data;
      });
    loading.catch(function () { loading = null; });
    return loading;
  }

  /* Whole abstracts: exact phrase checks and snippets around the match. */
  function ensureText() {
    if (data && data.full) return Promise.resolve(data.full);
    if (textLoading) return textLoading;
    textLoading = ensureLoaded()
      .then(function () { return window.LITREVIEW_SEARCH_TEXT ? null : loadScript(TEXT_SRC); })
      .then(function () {
        if (!window.LITREVIEW_SEARCH_TEXT) throw new Error("search text missing");
        data.full = window.LITREVIEW_SEARCH_TEXT;
        window.LitreviewSearch.textReady = true;
        return data.full;
      });
    textLoading.catch(function () { textLoading = null; });
    return textLoading;
  }

  /* ------------------------------------------------------------ querying */

  var stemCache = Object.create(null); // word as written -> its index term ("" for stop words)

  function stemOf(word) {
    var cached = stemCache[word];
    if (cached !== undefined) return cached;
    var token = window.lunr.trimmer(new window.lunr.Token(word.toLowerCase()));
    var stem = !token.toString() || window.lunr.stopWordFilter(token) === undefined ? ""
      : window.lunr.stemmer(token).toString();
    return (stemCache[word] = stem);
  }

  // Punctuation that is neither part of words nor lunr syntax: dropped.
  var NOISE = /[()\[\]{}<>,;!?“”‘’`=|\\&#$%@"]/g;
  var SYNTAX = /[:+\-*~^]/g;

  /* A text as phrase items, each with its character offset: stems, stop words
   * as written (so "memory and bandwidth" is not "memory bandwidth"), and "|"
   * after a word that ends a clause (so "memory, bandwidth" is not either). */
  var itemCache = Object.create(null); // word as written -> phrase item ("" when none)

  function phraseItem(raw) {
    var item = itemCache[raw];
    if (item !== undefined) return item;
    var L = window.lunr, token = L.trimmer(new L.Token(raw.toLowerCase())), word = token.toString();
    item = !word ? "" : L.stopWordFilter(token) === undefined ? word : L.stemmer(token).toString();
    itemCache[raw] = item;
    return item;
  }

  var textCache = Object.create(null); // text -> its phrase items, for repeated phrase queries

  function stemsAt(text) {
    if (textCache[text]) return textCache[text];
    var stems = [], at = [], re = /[^\s\-]+/g, m;
    while ((m = re.exec(text))) {
      var item = phraseItem(m[0]);
      if (!item) continue;
      stems.push(item);
      at.push(m.index);
      if (/[,.;:!?)\]]$/.test(m[0])) { stems.push("|"); at.push(m.index); }
    }
    return (textCache[text] = { stems: stems, at: at });
  }

  /* Index in haystack where needle starts as consecutive items, or -1. */
  function sequenceAt(haystack, needle) {
    outer: for (var i = 0; i + needle.length <= haystack.length; i++) {
      for (var j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return i;
    }
    return needle.length === 0 ? 0 : -1;
  }

  function runQuery(text, phrases, endsWord) {
    var L = window.lunr, explicit = false;
    var lexer = new L.QueryLexer(text);
    lexer.run();
    explicit = lexer.lexemes.some(function (l) { return l.type === L.QueryLexer.PRESENCE; });
    return data.index.query(function (q) {
      new L.QueryParser(text, q).parse();
      var kept = [];
      q.clauses.forEach(function (clause, position) {
        if (clause.usePipeline && clause.wildcard === L.Query.wildcard.NONE) {
          var token = L.trimmer(new L.Token(clause.term));
          if (!token.toString() || L.stopWordFilter(token) === undefined) return;
          clause.term = token.toString();
          // The word being typed: match it as a prefix of its stem.
          if (position === q.clauses.length - 1 && endsWord && clause.term.length >= 3 && !clause.editDistance) {
            clause.term = L.stemmer(token).toString() + "*";
            clause.usePipeline = false;
          }
        }
        if (!explicit) clause.presence = L.Query.presence.REQUIRED;
        kept.push(clause);
      });
      q.clauses = kept;
      phrases.forEach(function (words) {
        words.forEach(function (w) {
          var token = L.trimmer(new L.Token(w.toLowerCase()));
          if (token.toString() && L.stopWordFilter(token) !== undefined) {
            q.term(token.toString(), { presence: L.Query.presence.REQUIRED });
          }
        });
      });
    });
  }

  /* search(raw) -> {results: [{ref, doc, terms}], hint: message|null, pending: bool}
   * pending: a phrase could not be checked everywhere yet (whole abstracts not loaded). */
  function search(raw) {
    var phrases = [], hint = null;
    var rest = raw.replace(/"([^"]*)"?/g, function (m, inner) {
      var words = inner.split(/[\s\-]+/).filter(Boolean);
      if (words.length) phrases.push(words);
      return " ";
    });
    rest = rest.replace(NOISE, " ").trim();
    var endsWord = !/[\s"]$/.test(raw);
    var hits;
    try {
      hits = runQuery(rest, phrases, endsWord);
    } catch (err) {
      if (!(err instanceof window.lunr.QueryParseError)) throw err;
      hint = err.message;
      rest = rest.replace(SYNTAX, " ").trim();
      try { hits = runQuery(rest, phrases, endsWord); } catch (again) { hits = []; }
    }
    var phraseStems = phrases.map(function (words) {
      var items = stemsAt(words.join(" ")).stems;
      while (items.length && items[items.length - 1] === "|") items.pop();
      return items;
    });
    var sure = [], unsure = [], full = data.full;
    hits.forEach(function (hit) {
      var doc = data.docs[Number(hit.ref)];
      var result = { ref: hit.ref, doc: doc, score: hit.score, terms: Object.keys(hit.matchData.metadata) };
      if (!phraseStems.length) return sure.push(result);
      var labels = [doc.title, doc.topicTitle || ""].concat(doc.tags.map(function (t) { return facetName("tags", t); }));
      var labelStems = labels.map(function (label) { return stemsAt(label).stems; });
      var text = stemsAt(full ? full[Number(hit.ref)] : doc.text);
      var all = phraseStems.every(function (p) {
        var i = sequenceAt(text.stems, p);
        if (i >= 0 && (result.at === undefined || text.at[i] < result.at)) result.at = text.at[i];
        return i >= 0 || labelStems.some(function (stems) { return sequenceAt(stems, p) >= 0; });
      });
      // Until the whole abstracts are loaded, a phrase beyond the snippet cannot be
      // checked: keep those papers, after the sure ones, and say the answer is pending.
      if (all) sure.push(result);
      else if (doc.cut && !full) unsure.push(result);
    });
    return { results: sure.concat(unsure), hint: hint, pending: phraseStems.length > 0 && !full };
  }

  /* ------------------------------------------------------------ DOM helpers */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* Append text to parent, wrapping words whose stem was matched in <mark>. */
  function appendHighlighted(parent, text, terms) {
    var wanted = {};
    terms.forEach(function (t) { wanted[t] = true; });
    var re = /[^\s\-]+/g, last = 0, m;
    while ((m = re.exec(text))) {
      var word = m[0];
      var core = word.replace(/^\W+/, "").replace(/\W+$/, "");
      var stem = core && terms.length ? stemOf(core) : "";
      if (stem && wanted[stem]) {
        var start = m.index + word.indexOf(core);
        parent.appendChild(document.createTextNode(text.slice(last, start)));
        parent.appendChild(el("mark", null, core));
        last = start + core.length;
      }
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  var SNIPPET = 320;

  /* The stored snippet, or (once whole abstracts are loaded) ~320 characters
   * around the first matched word, starting at a sentence when one is near. */
  function snippetFor(result) {
    var full = data.full ? data.full[Number(result.ref)] : null;
    if (!full || !result.terms.length) return result.doc.text;
    var at = result.at === undefined ? -1 : result.at; // where a quoted phrase was found
    if (at < 0) {
      var wanted = {}, re = /[^\s\-]+/g, m;
      result.terms.forEach(function (t) { wanted[t] = true; });
      while ((m = re.exec(full))) {
        if (wanted[stemOf(m[0])]) { at = m.index; break; }
      }
    }
    if (at < 0 || at + 40 < result.doc.text.length) return result.doc.text;
    var start = Math.max(0, at - 120);
    var sentence = full.lastIndexOf(". ", at);
    if (sentence >= 0 && at - sentence < 200) start = sentence + 2;
    else if (start > 0) start = full.indexOf(" ", start) + 1;
    var end = Math.min(full.length, start + SNIPPET);
    if (end < full.length) end = full.lastIndexOf(" ", end);
    return (start > 0 ? "\u2026 " : "") + full.slice(start, end) + (end < full.length ? " \u2026" : "");
  }

  function facetName(kind, slug) {
    var list = data.facets[kind] || [];
    for (var i = 0; i < list.length; i++) if (list[i].slug === slug) return list[i].title || list[i].name;
    return slug;
  }

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  /* ------------------------------------------------------------ suggestions */

  var suggestCount = 0;

  function Suggest(input) {
    suggestCount += 1;
    var self = this, listId = "search-suggest-" + suggestCount;
    this.input = input;
    this.form = input.form;
    this.active = -1;
    this.box = el("div", "search-suggest");
    this.box.hidden = true;
    this.list = el("ul", "search-suggest-list");
    this.list.id = listId;
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Matching papers");
    this.more = el("a", "search-suggest-more");
    this.message = el("p", "search-suggest-empty");
    this.message.setAttribute("role", "status");
    this.box.appendChild(this.message);
    this.box.appendChild(this.list);
    this.box.appendChild(this.more);
    (this.form || input.parentNode).appendChild(this.box);
    if (this.form) this.form.classList.add("has-suggest");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    // Start loading as soon as the reader reaches for the box, before the first keystroke.
    function prefetch() { ensureStyles(); ensureLoaded().catch(function () {}); }
    input.addEventListener("focus", prefetch);
    input.addEventListener("pointerenter", prefetch);
    input.addEventListener("input", function () { self.update(); });
    input.addEventListener("keydown", function (e) { self.key(e); });
    document.addEventListener("click", function (e) {
      if (!self.box.contains(e.target) && e.target !== input) self.close();
    });
  }

  Suggest.prototype.update = function () {
    var self = this, raw = this.input.value;
    ensureStyles();
    if (!raw.trim()) return this.close();
    ensureLoaded().then(function () {
      if (self.input.value !== raw) return; // a newer keystroke will render
      var found = search(raw);
      self.render(raw, found);
      if (found.pending) ensureText().then(function () { if (self.input.value === raw) self.update(); }, function () {});
    }, function () { self.render(raw, null); });
  };

  Suggest.prototype.render = function (raw, found) {
    var self = this;
    this.list.textContent = "";
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.message.textContent = !found ? "Search is unavailable: the index could not be loaded."
      : found.results.length ? "" : "No papers match.";
    this.message.hidden = !this.message.textContent;
    (found ? found.results.slice(0, SUGGESTIONS) : []).forEach(function (result, i) {
      // The link itself is the option (no interactive control nested in an option),
      // so it still opens in a new tab with a middle click.
      var item = el("li", "search-suggest-item");
      item.setAttribute("role", "none");
      var link = el("a");
      link.id = self.list.id + "-" + i;
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      link.href = root + result.doc.url;
      link.tabIndex = -1;
      appendHighlighted(link.appendChild(el("span", "search-suggest-title")), result.doc.title, result.terms);
      if (result.doc.topicTitle) link.appendChild(el("span", "search-suggest-topic", result.doc.topicTitle));
      item.appendChild(link);
      link.addEventListener("mousemove", function () { self.highlight(i); });
      self.list.appendChild(item);
    });
    var total = found ? found.results.length : 0;
    this.more.href = root + "search.html?q=" + encodeURIComponent(raw);
    this.more.textContent = total > SUGGESTIONS ? "All " + total + " results" : "Open the search page";
    this.more.hidden = !found;
    this.box.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (window.LitreviewSearch.onSuggest) window.LitreviewSearch.onSuggest(total);
  };

  Suggest.prototype.items = function () { return this.list.querySelectorAll("[role=option]"); };

  Suggest.prototype.highlight = function (i) {
    var items = this.items();
    if (!items.length) return;
    this.active = (i + items.length) % items.length;
    for (var k = 0; k < items.length; k++) {
      items[k].setAttribute("aria-selected", k === this.active ? "true" : "false");
      items[k].classList.toggle("is-active", k === this.active);
    }
    this.input.setAttribute("aria-activedescendant", items[this.active].id);
    items[this.active].scrollIntoView({ block: "nearest" });
  };

  Suggest.prototype.key = function (e) {
    var open = !this.box.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!open) { this.update(); return; }
      e.preventDefault();
      this.highlight(this.active + (e.key === "ArrowDown" ? 1 : -1) + (this.active < 0 && e.key === "ArrowUp" ? 1 : 0));
    } else if (e.key === "Enter" && open && this.active >= 0) {
      e.preventDefault();
      window.location.href = this.items()[this.active].href;
    } else if (e.key === "Escape") {
      if (open) { e.preventDefault(); this.close(); }
    }
  };

  Suggest.prototype.close = function () {
    this.box.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  /* ------------------------------------------------------------ results page */

  function SearchPage(app) {
    var self = this;
    this.app = app;
    this.input = document.getElementById("search-query");
    this.status = document.getElementById("search-status");
    this.hint = document.getElementById("search-hint");
    this.facetsBox = document.getElementById("search-facets");
    // Filters open beside the results on wide screens, folded above them on phones.
    var fold = document.getElementById("search-facets-box");
    if (fold && window.matchMedia) fold.open = window.matchMedia("(min-width: 48rem)").matches;
    this.list = document.getElementById("search-results");
    this.moreButton = document.getElementById("search-more");
    this.shown = PAGE_SIZE;
    this.baseTitle = document.title;
    this.readUrl();
    app.hidden = false;
    var noscript = document.getElementById("search-noscript");
    if (noscript) noscript.hidden = true;
    this.input.addEventListener("input", function () {
      self.state.q = self.input.value;
      self.shown = PAGE_SIZE;
      self.writeUrl(false);
      self.render();
    });
    this.input.form.addEventListener("submit", function (e) { e.preventDefault(); self.render(); });
    this.moreButton.addEventListener("click", function () { self.shown += PAGE_SIZE; self.render(); });
    window.addEventListener("popstate", function () { self.readUrl(); self.render(); });
    this.status.textContent = "Loading the search index…";
    ensureLoaded().then(function () {
      self.render();
      // Then the whole abstracts, for exact phrases and better snippets.
      return ensureText().then(function () { self.render(); }, function () {});
    }, function () {
      self.status.textContent = "Search is unavailable: the index (search-index.js) could not be loaded.";
    });
  }

  SearchPage.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    this.state = {
      q: params.get("q") || "",
      topic: params.get("topic") || "",
      tags: params.getAll("tag"),
      code: params.get("code") === "1",
      year: params.get("year") || "",
      venue: params.get("venue") || "",
    };
    this.input.value = this.state.q;
  };

  SearchPage.prototype.writeUrl = function (push) {
    var params = new URLSearchParams();
    if (this.state.q) params.set("q", this.state.q);
    if (this.state.topic) params.set("topic", this.state.topic);
    this.state.tags.forEach(function (t) { params.append("tag", t); });
    if (this.state.code) params.set("code", "1");
    if (this.state.year) params.set("year", this.state.year);
    if (this.state.venue) params.set("venue", this.state.venue);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    } catch (err) { /* some file:// setups refuse history changes; the page still works */ }
  };

  SearchPage.prototype.matches = function (doc, skip) {
    var s = this.state;
    if (skip !== "topic" && s.topic && doc.topic !== s.topic) return false;
    if (skip !== "tags" && s.tags.some(function (t) { return doc.tags.indexOf(t) < 0; })) return false;
    if (skip !== "code" && s.code && !doc.code) return false;
    if (skip !== "year" && s.year && String(doc.year || "") !== s.year) return false;
    if (skip !== "venue" && s.venue && (doc.venue || "") !== s.venue) return false;
    return true;
  };

  SearchPage.prototype.render = function () {
    if (!data) return;
    var self = this, s = this.state, found;
    var raw = s.q.trim();
    if (raw) {
      found = search(s.q);
    } else {
      found = { results: data.docs.map(function (doc, i) { return { ref: String(i), doc: doc, terms: [] }; }), hint: null };
    }
    var all = found.results;
    var results = all.filter(function (r) { return self.matches(r.doc); });
    this.renderHint(found.hint);
    this.renderFacets(all);
    this.renderResults(results, raw, all.length);
    if (found.pending) this.status.textContent += " Checking the phrase in the whole abstracts…";
    document.title = raw ? raw + " – " + this.baseTitle : this.baseTitle;
  };

  SearchPage.prototype.renderHint = function (hint) {
    this.hint.textContent = "";
    this.hint.hidden = !hint;
    if (!hint) return;
    this.hint.appendChild(el("strong", null, "That query uses search syntax that could not be read"));
    this.hint.appendChild(document.createTextNode(" (" + hint + "), so the words were searched on their own. "));
    this.hint.appendChild(document.createTextNode(
      "Syntax: \"exact phrase\", +required, -excluded, prefix*, title:word (fields: " + data.fields.join(", ") + ")."));
  };

  SearchPage.prototype.renderFacets = function (all) {
    var self = this, s = this.state, box = this.facetsBox;
    box.textContent = "";

    function count(skip, test) {
      var n = 0;
      all.forEach(function (r) { if (self.matches(r.doc, skip) && test(r.doc)) n += 1; });
      return n;
    }

    function option(group, type, name, value, label, n, checked, onChange) {
      var row = el("label", "facet-option" + (n ? "" : " is-empty"));
      var input = el("input");
      input.type = type;
      input.name = name;
      input.value = value;
      input.checked = checked;
      input.addEventListener("change", function () { onChange(input.checked); self.shown = PAGE_SIZE; self.writeUrl(true); self.render(); });
      row.appendChild(input);
      row.appendChild(el("span", "facet-label", label));
      row.appendChild(el("span", "facet-count", String(n)));
      group.appendChild(row);
    }

    function group(title) {
      var fieldset = el("fieldset", "facet-group");
      fieldset.appendChild(el("legend", null, title));
      box.appendChild(fieldset);
      return fieldset;
    }

    var code = group("Code");
    option(code, "checkbox", "code", "1", "Has code", count("code", function (d) { return d.code; }), s.code,
      function (on) { s.code = on; });

    if (data.facets.topics.length) {
      var topics = group("Topic");
      option(topics, "radio", "topic", "", "All topics", count("topic", function () { return true; }), !s.topic,
        function () { s.topic = ""; });
      data.facets.topics.forEach(function (t) {
        var n = count("topic", function (d) { return d.topic === t.slug; });
        if (!n && s.topic !== t.slug) return;
        option(topics, "radio", "topic", t.slug, t.title, n, s.topic === t.slug, function () { s.topic = t.slug; });
      });
    }
    if (data.facets.tags.length) {
      var tags = group("Tags");
      data.facets.tags.forEach(function (t) {
        var n = count("tags", function (d) { return d.tags.indexOf(t.slug) >= 0; });
        var on = s.tags.indexOf(t.slug) >= 0;
        if (!n && !on) return;
        option(tags, "checkbox", "tag", t.slug, t.name, n, on, function (checked) {
          s.tags = s.tags.filter(function (x) { return x !== t.slug; });
          if (checked) s.tags.push(t.slug);
        });
      });
    }
    if (data.facets.years && data.facets.years.length) {
      var years = group("Year");
      option(years, "radio", "year", "", "All years", count("year", function () { return true; }), !s.year,
        function () { s.year = ""; });
      data.facets.years.forEach(function (y) {
        var value = String(y.year);
        var n = count("year", function (d) { return String(d.year || "") === value; });
        if (!n && s.year !== value) return;
        option(years, "radio", "year", value, value, n, s.year === value, function () { s.year = value; });
      });
    }
    if (data.facets.venues && data.facets.venues.length) {
      var venues = group("Venue");
      option(venues, "radio", "venue", "", "All venues", count("venue", function () { return true; }), !s.venue,
        function () { s.venue = ""; });
      data.facets.venues.forEach(function (v) {
        var n = count("venue", function (d) { return (d.venue || "") === v.name; });
        if (!n && s.venue !== v.name) return;
        option(venues, "radio", "venue", v.name, v.name, n, s.venue === v.name, function () { s.venue = v.name; });
      });
    }
    if (s.topic || s.tags.length || s.code || s.year || s.venue) {
      var clear = el("button", "facet-clear", "Clear filters");
      clear.type = "button";
      clear.addEventListener("click", function () {
        s.topic = ""; s.tags = []; s.code = false; s.year = ""; s.venue = ""; self.writeUrl(true); self.render();
      });
      box.appendChild(clear);
    }
  };

  SearchPage.prototype.renderResults = function (results, raw, unfiltered) {
    var self = this, s = this.state;
    this.list.textContent = "";
    var filtered = s.topic || s.tags.length || s.code || s.year || s.venue;
    if (!results.length) {
      var message = raw ? "No papers match “" + raw + "”" : "No papers";
      message += filtered && unfiltered ? " with these filters (" + unfiltered + " without them)." : ".";
      this.status.textContent = message;
      var tips = el("li", "search-empty");
      tips.textContent = filtered && unfiltered
        ? "Clear a filter to see more papers."
        : "Check the spelling, use fewer or more general words, or try a prefix such as quant*.";
      this.list.appendChild(tips);
      this.moreButton.hidden = true;
      return;
    }
    this.status.textContent = (raw ? results.length + (results.length === 1 ? " paper matches “" : " papers match “") + raw + "”"
      : results.length + " papers") + (filtered ? " (filtered)" : "") + ".";
    results.slice(0, this.shown).forEach(function (r) {
      var item = el("li", "search-result");
      var heading = el("h3", "search-result-title");
      var link = el("a");
      link.href = root + r.doc.url;
      appendHighlighted(link, r.doc.title, r.terms);
      heading.appendChild(link);
      item.appendChild(heading);
      if (r.doc.authors || r.doc.venue || r.doc.year) {
        var byline = el("p", "search-result-byline");
        byline.textContent = [r.doc.authors, r.doc.venue, r.doc.year].filter(Boolean).join(" · ");
        item.appendChild(byline);
      }
      var meta = el("p", "search-result-meta");
      if (r.doc.topicTitle) meta.appendChild(el("span", "search-result-topic", r.doc.topicTitle));
      r.doc.tags.forEach(function (t) { meta.appendChild(el("span", "search-result-tag", facetName("tags", t))); });
      if (r.doc.code) meta.appendChild(el("span", "search-result-code", "code"));
      if (meta.childNodes.length) item.appendChild(meta);
      var snippet = el("p", "search-result-snippet");
      appendHighlighted(snippet, snippetFor(r), r.terms);
      item.appendChild(snippet);
      self.list.appendChild(item);
    });
    this.moreButton.hidden = results.length <= this.shown;
  };

  /* ------------------------------------------------------------ start */

  window.LitreviewSearch = {
    load: ensureLoaded, loadText: ensureText, search: function (q) { return search(q); }, loadMs: null, textReady: false,
  };

  function start() {
    var app = document.getElementById("search-app");
    if (app) new SearchPage(app);
    ["site-search-input", "home-search-input"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input) new Suggest(input);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      var target = document.getElementById(app ? "search-query" : "site-search-input");
      if (!target) return;
      e.preventDefault();
      target.focus();
      target.select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
