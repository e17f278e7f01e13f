/* litreview search: header suggestions on every page and the full results
 * page (search.html), on a split index (litreview/write/search.py): the
 * manifest search-index.js, then only the pieces a query needs, each a
 * script under search/ that hands its data to window.LitreviewSearch.piece.
 * Pieces are loaded by adding <script src> elements, so search works from
 * file:// as over http, under any subpath, with a strict CSP (no eval, no
 * inline code, no fetch, no other origin). Paper data is always inserted as
 * text (textContent, createTextNode), never parsed as HTML. */
(function () {
  "use strict";

  var api = window.LitreviewSearch = window.LitreviewSearch || {};
  var hasDom = typeof document !== "undefined" && !!document.documentElement;
  var root = hasDom ? document.documentElement.getAttribute("data-root") || "" : "";
  var LUNR_SRC = root + "static/vendor/lunr/lunr.min.js";
  var PAGE_SIZE = 20;
  var SUGGESTIONS = 8;
  var FACET_VALUES_SHOWN = 12; // per group, before "Show all"
  var PHRASE_BATCH = 8; // text pieces loaded at once while checking a phrase
  var LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  /* ------------------------------------------------------------ pieces */

  var pieces = Object.create(null); // piece name -> its data
  var waiting = Object.create(null); // piece name -> promise of its data
  var ctx = null; // {manifest, pipeline, keys, keySet, fields, count, facetIndex}
  var ready = null;

  /* Every piece calls this with its name ("index", "t/qu", "d/3", "f/0", "a/3", "x/0") and data. */
  api.piece = function (name, value) { pieces[name] = value; };

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

  function pieceSrc(name) {
    if (name === "index") return root + "search-index.js";
    if (name.charAt(0) === "t") return root + "search/t/k" + name.slice(2) + ".js";
    return root + "search/" + name + ".js";
  }

  function load(name) {
    if (name in pieces) return Promise.resolve(pieces[name]);
    if (waiting[name]) return waiting[name];
    var promise = loadScript(pieceSrc(name)).then(function () {
      if (!(name in pieces)) throw new Error("search piece " + name + " is missing");
      return pieces[name];
    });
    waiting[name] = promise;
    promise.catch(function () { delete waiting[name]; });
    return promise;
  }

  function loadAll(names) { return Promise.all(names.map(load)); }

  function unique(list) {
    var seen = Object.create(null), out = [];
    list.forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(x); } });
    return out;
  }

  function ensureStyles() {
    if (!hasDom || document.querySelector("link[data-search-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = root + "static/css/search.css";
    link.setAttribute("data-search-css", "");
    document.head.appendChild(link);
  }

  /* lunr.js and the manifest: names of the fields, term pieces and facet values. */
  function ensureReady() {
    if (ctx) return Promise.resolve(ctx);
    if (ready) return ready;
    var started = typeof performance !== "undefined" ? performance.now() : 0;
    ready = (window.lunr ? Promise.resolve() : loadScript(LUNR_SRC))
      .then(function () { return load("index"); })
      .then(function (manifest) {
        if (!window.lunr) throw new Error("lunr.js missing");
        var keySet = Object.create(null);
        manifest.pieces.forEach(function (k) { keySet[k] = true; });
        ctx = {
          manifest: manifest, keys: manifest.pieces, keySet: keySet, fields: manifest.fields,
          count: manifest.count, pipeline: window.lunr.Pipeline.load(manifest.pipeline), facets: manifest.facets,
        };
        api.loadMs = (typeof performance !== "undefined" ? performance.now() : 0) - started;
        return ctx;
      });
    ready.catch(function () { ready = null; });
    return ready;
  }

  /* Which term piece holds a term: the longest piece key that starts its
   * piece name (a-z, 0-9, anything else "_"; search.py: piece_name). */
  function pieceName(word) {
    return Array.from(word).map(function (c) { return /[a-z0-9]/.test(c) ? c : "_"; }).join("");
  }

  function pieceOf(word) {
    var name = pieceName(word);
    for (var k = name.length; k >= 0; k--) if (ctx.keySet[name.slice(0, k)]) return name.slice(0, k);
    return null;
  }

  /* The pieces that hold every term starting with prefix. */
  function piecesUnder(prefix) {
    var name = pieceName(prefix), own = pieceOf(prefix);
    var found = ctx.keys.filter(function (k) { return k.length > name.length && k.slice(0, name.length) === name; });
    if (own !== null) found.push(own);
    return found;
  }

  function docPiece(ref) { return "d/" + Math.floor(ref / ctx.manifest.shards.docs); }
  function textPiece(ref) { return "a/" + Math.floor(ref / ctx.manifest.shards.docs); }
  function facetPiece(ref) { return "f/" + Math.floor(ref / ctx.manifest.shards.facets); }
  function exportPiece(ref) { return "x/" + Math.floor(ref / ctx.manifest.shards.export); }

  function docOf(ref) {
    var shard = pieces[docPiece(ref)];
    return shard ? shard[ref % ctx.manifest.shards.docs] : null;
  }

  function textOf(ref) {
    var shard = pieces[textPiece(ref)];
    return shard ? shard[ref % ctx.manifest.shards.docs] : null;
  }

  function exportOf(ref) { return pieces[exportPiece(ref)][ref % ctx.manifest.shards.export]; }

  /* Facet values of a paper: {topic, tags, year, venue, code} (indexes into the manifest's lists). */
  function facetsOf(ref) {
    var size = ctx.manifest.shards.facets, columns = pieces[facetPiece(ref)], i = ref % size;
    return { topic: columns.topic[i], tags: columns.tags[i], year: columns.year[i], venue: columns.venue[i], code: columns.code[i] };
  }

  function loadDocs(refs) { return loadAll(unique(refs.map(docPiece))); }
  function loadFacets(refs) { return loadAll(unique(refs.map(facetPiece))); }

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


  /* The query's lunr clauses, as lunr's QueryParser reads the text, then as
   * litreview has always adjusted them: stop words dropped, every word
   * required unless the query says +/- itself, the word being typed matched
   * as a prefix of its stem, and the words of "phrases" required. A fresh
   * list each time: lunr's Index#query rewrites clause terms as it runs. */
  function clauses(text, phrases, endsWord) {
    var L = window.lunr, q = new L.Query(ctx.fields);
    var lexer = new L.QueryLexer(text);
    lexer.run();
    var explicit = lexer.lexemes.some(function (l) { return l.type === L.QueryLexer.PRESENCE; });
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
          clause.wildcard = L.Query.wildcard.TRAILING;
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
    return q.clauses;
  }

  /* What each clause needs from the index: the pieces that may hold its
   * terms, and a test for the terms it can expand to. A word needs its own
   * piece; prefix* the pieces under the prefix (a wildcard before any letter
   * needs them all); a fuzzy word~1 the pieces under its first letter (so
   * fuzzy matches keep the first letter). */
  function plan(list) {
    var L = window.lunr, names = [], tests = [];
    list.forEach(function (clause) {
      var terms = clause.usePipeline ? ctx.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      terms.forEach(function (term) {
        if (clause.wildcard !== L.Query.wildcard.NONE || term.indexOf("*") >= 0) {
          var prefix = term.split("*")[0];
          names = names.concat(prefix ? piecesUnder(prefix) : ctx.keys);
          var pattern = new RegExp("^" + term.split("*").map(function (part) {
            return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          }).join(".*") + "$");
          tests.push(function (t) { return pattern.test(t); });
        } else if (clause.editDistance) {
          names = names.concat(piecesUnder(term.charAt(0)));
          var first = term.charAt(0);
          tests.push(function (t) { return t.charAt(0) === first; });
        } else {
          var own = pieceOf(term);
          if (own !== null) names.push(own);
          tests.push(function (t) { return t === term; });
        }
      });
    });
    return { pieces: unique(names).map(function (k) { return "t/" + k; }), tests: tests };
  }

  /* The rows of the loaded pieces that a query can expand to, sorted by
   * term: a term's number (its dimension in lunr's vectors) is its position. */
  function planRows(plan) {
    var rows = [], seen = Object.create(null);
    plan.pieces.forEach(function (name) {
      pieces[name].forEach(function (row) {
        var t = row[0];
        if (seen[t] || !plan.tests.some(function (test) { return test(t); })) return;
        seen[t] = true;
        rows.push(row);
      });
    });
    rows.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    return rows;
  }

  var NO_METADATA = Object.freeze({});

  /* The reference: a lunr.Index of just the terms a query can expand to, with
   * the same postings and field scores as lunr's index of the whole catalogue
   * has for those terms, queried by lunr itself. Only tests use it
   * (api.referenceScoring): it builds an object per posting, which at
   * 100,000 papers takes seconds for a common word; directQuery gives the
   * same results from the flat postings. */
  function lunrQuery(plan) {
    var L = window.lunr, rows = planRows(plan), fields = ctx.fields;
    var inverted = Object.create(null), vectors = Object.create(null), builder = new L.TokenSet.Builder();
    rows.forEach(function (row, index) {
      builder.insert(row[0]);
      var posting = { _index: index };
      for (var f = 0; f < fields.length; f++) {
        var flat = row[f + 1], refs = {}, ref = -1;
        if (flat) {
          for (var k = 0; k < flat.length; k += 2) {
            ref += flat[k];
            refs[ref] = NO_METADATA;
            var key = fields[f] + "/" + ref;
            (vectors[key] || (vectors[key] = [])).push(index, flat[k + 1] / 1000);
          }
        }
        posting[fields[f]] = refs;
      }
      inverted[row[0]] = posting;
    });
    builder.finish();
    var fieldVectors = Object.create(null);
    Object.keys(vectors).forEach(function (key) { fieldVectors[key] = new L.Vector(vectors[key]); });
    var index = new L.Index({ invertedIndex: inverted, fieldVectors: fieldVectors, tokenSet: builder.root, fields: fields, pipeline: ctx.pipeline });
    return function (list) {
      return index.query(function (q) { q.clauses = list; }).map(function (hit) {
        return { ref: Number(hit.ref), score: hit.score, terms: Object.keys(hit.matchData.metadata) };
      });
    };
  }

  /* lunr.Set's algebra on sets of refs: COMPLETE, EMPTY, or a Uint8Array of marks. */
  var COMPLETE = { complete: true }, EMPTY = { empty: true };
  function setUnion(a, b) {
    if (a === COMPLETE || b === COMPLETE) return COMPLETE;
    if (a === EMPTY) return b;
    if (b === EMPTY) return a;
    var marks = new Uint8Array(a);
    for (var i = 0; i < marks.length; i++) if (b[i]) marks[i] = 1;
    return marks;
  }
  function setIntersect(a, b) {
    if (a === COMPLETE) return b;
    if (b === COMPLETE) return a;
    if (a === EMPTY || b === EMPTY) return EMPTY;
    var marks = new Uint8Array(a.length);
    for (var i = 0; i < marks.length; i++) if (a[i] && b[i]) marks[i] = 1;
    return marks;
  }
  function marksOf(refs, count, into) {
    var marks = into || new Uint8Array(count);
    for (var i = 0; i < refs.length; i++) marks[refs[i]] = 1;
    return marks;
  }

  /* lunr.Index#query (lunr 2.3.9) computed straight from the loaded pieces'
   * flat postings, for the pieces a plan loaded: the same documents, the same
   * scores (the same floating-point operations, in the same order: each
   * field's dot product term by term in term-number order, divided by the
   * query vector's magnitude, the fields added in lunr's order) and so the
   * same ranking, without lunr's object per posting. Each hit's terms are the
   * ones it matched (lunr's matchData keys, as a set).
   * tests/test_search.py compares it with lunrQuery on many queries. */
  function directQuery(plan, list) {
    var L = window.lunr, fields = ctx.fields, nf = fields.length, count = ctx.count;
    var REQUIRED = L.Query.presence.REQUIRED, PROHIBITED = L.Query.presence.PROHIBITED;
    var rows = planRows(plan), number = Object.create(null), builder = new L.TokenSet.Builder();
    rows.forEach(function (row, index) { builder.insert(row[0]); number[row[0]] = index; });
    builder.finish();
    var tokenSet = builder.root, decoded = Object.create(null);
    function posting(index, f) { // a term's refs (ascending) and field scores in one field
      var key = index * nf + f;
      if (decoded[key]) return decoded[key];
      var flat = rows[index][f + 1] || [], n = flat.length / 2, ref = -1;
      var refs = new Int32Array(n), scores = new Float64Array(n);
      for (var k = 0; k < n; k++) {
        ref += flat[2 * k];
        refs[k] = ref;
        scores[k] = flat[2 * k + 1] / 1000;
      }
      return (decoded[key] = { refs: refs, scores: scores });
    }
    var queryVectors = fields.map(function () { return new L.Vector(); });
    var required = new Array(nf), prohibited = new Array(nf), termFieldCache = Object.create(null);
    // lunr's matchingFields, in insertion order: (field, ref) pairs, each once.
    var postings = 0; // an upper bound of how many there can be
    rows.forEach(function (row) { for (var f = 1; f <= nf; f++) postings += row[f] ? row[f].length / 2 : 0; });
    postings = Math.min(postings, count * nf);
    var seenFieldRef = new Uint8Array(count * nf), refOf = new Int32Array(postings), fieldOf = new Uint8Array(postings);
    var fieldRefs = 0, matched = [];
    list.forEach(function (clause) {
      var inFields = clause.fields.map(function (name) { return fields.indexOf(name); });
      var terms = clause.usePipeline ? ctx.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
      var clauseMatches = EMPTY;
      for (var m = 0; m < terms.length; m++) {
        clause.term = terms[m];
        var expanded = tokenSet.intersect(L.TokenSet.fromClause(clause)).toArray();
        if (expanded.length === 0 && clause.presence === REQUIRED) {
          inFields.forEach(function (f) { required[f] = EMPTY; });
          break;
        }
        for (var j = 0; j < expanded.length; j++) {
          var termIndex = number[expanded[j]];
          for (var k = 0; k < inFields.length; k++) {
            var f = inFields[k], found = posting(termIndex, f);
            if (clause.presence === REQUIRED) {
              clauseMatches = marksOf(found.refs, count, clauseMatches === EMPTY ? null : clauseMatches);
              if (required[f] === undefined) required[f] = COMPLETE;
            }
            if (clause.presence === PROHIBITED) {
              prohibited[f] = setUnion(prohibited[f] || EMPTY, marksOf(found.refs, count));
              continue;
            }
            queryVectors[f].upsert(termIndex, clause.boost, function (a, b) { return a + b; });
            if (termFieldCache[termIndex * nf + f]) continue;
            for (var l = 0; l < found.refs.length; l++) {
              var fieldRef = found.refs[l] * nf + f;
              if (!seenFieldRef[fieldRef]) {
                seenFieldRef[fieldRef] = 1;
                refOf[fieldRefs] = found.refs[l];
                fieldOf[fieldRefs++] = f;
              }
            }
            matched.push(termIndex, f);
            termFieldCache[termIndex * nf + f] = true;
          }
        }
      }
      if (clause.presence === REQUIRED) {
        inFields.forEach(function (f) { required[f] = setIntersect(required[f], clauseMatches); });
      }
    });
    var allRequired = COMPLETE, allProhibited = EMPTY;
    for (var f = 0; f < nf; f++) {
      if (required[f]) allRequired = setIntersect(allRequired, required[f]);
      if (prohibited[f]) allProhibited = setUnion(allProhibited, prohibited[f]);
    }
    // Each field's dot products, term by term in term-number order (lunr.Vector#dot's), from 0.
    var dots = queryVectors.map(function (vector, f) {
      var elements = vector.elements;
      if (!elements.length) return null;
      var acc = new Float64Array(count);
      for (var i = 0; i < elements.length; i += 2) {
        var found = posting(elements[i], f), weight = elements[i + 1], refs = found.refs, scores = found.scores;
        for (var r = 0; r < refs.length; r++) acc[refs[r]] += weight * scores[r];
      }
      return acc;
    });
    var magnitudes = queryVectors.map(function (vector) { return vector.magnitude(); });
    var most = Math.min(count, fieldRefs), hits = 0;
    var hitRef = new Int32Array(most), hitScore = new Float64Array(most), slot = new Int32Array(count).fill(-1);
    var needed = allRequired === COMPLETE ? null : allRequired, barred = allProhibited === EMPTY ? null : allProhibited;
    for (var at = 0; at < fieldRefs; at++) {
      var field = fieldOf[at], ref = refOf[at];
      if ((needed !== null && (needed === EMPTY || needed[ref] !== 1)) || (barred !== null && (barred === COMPLETE || barred[ref] === 1))) continue;
      var score = dots[field][ref] / magnitudes[field] || 0;
      if (slot[ref] >= 0) hitScore[slot[ref]] += score;
      else {
        slot[ref] = hits;
        hitRef[hits] = ref;
        hitScore[hits++] = score;
      }
    }
    var order = rankOrder(hitScore, hits);
    var matches = new Matches(rows, matched, posting), results = new Array(hits);
    for (var k = 0; k < hits; k++) results[k] = new Hit(hitRef[order[k]], hitScore[order[k]], matches);
    return results;
  }

  /* The hits in lunr's order: by score, highest first, and stably (ties keep the order they
   * were found in). A comparator sort of 95,000 hits (a common word at 100,000 papers) takes
   * 40-50 ms; this radix sort takes about 5: four stable counting passes over the scores' 64
   * bits, 16 at a time from the lowest, each digit mapped so that its order is the scores'
   * order, descending (a negative double's bits count down, a positive's up). */
  function rankOrder(hitScore, hits) {
    var scores = new Float64Array(hits);
    for (var i = 0; i < hits; i++) scores[i] = hitScore[i] + 0; // -0 becomes 0: they tie
    var digits = new Uint16Array(scores.buffer), top = LITTLE_ENDIAN ? 3 : 0;
    var order = new Int32Array(hits), spare = new Int32Array(hits), key = new Uint16Array(hits);
    var count = new Int32Array(65537);
    for (var o = 0; o < hits; o++) order[o] = o;
    for (var pass = 0; pass < 4; pass++) {
      var at = LITTLE_ENDIAN ? pass : 3 - pass, flip = pass === 3 ? 0x7fff : 0xffff;
      for (var k = 0; k < hits; k++) {
        var digit = digits[4 * k + at];
        key[k] = digits[4 * k + top] & 0x8000 ? digit : digit ^ flip;
      }
      count.fill(0);
      for (var a = 0; a < hits; a++) count[key[a] + 1]++;
      if (hits === 0 || count[key[0] + 1] === hits) continue; // one value: the order stays
      for (var c = 0; c < 65536; c++) count[c + 1] += count[c];
      for (var b = 0; b < hits; b++) spare[count[key[order[b]]]++] = order[b];
      var swap = order;
      order = spare;
      spare = swap;
    }
    return order;
  }

  /* A result: its ref, score and (when asked: only shown results need them) the terms it matched. */
  function Hit(ref, score, matches) {
    this.ref = ref;
    this.score = score;
    this.matches = matches;
  }
  Object.defineProperty(Hit.prototype, "terms", {
    get: function () { return this.matches.of(this.ref); },
  });

  /* The (term, field) postings a query matched; a hit's terms are those whose posting holds it. */
  function Matches(rows, matched, posting) {
    this.rows = rows;
    this.matched = matched;
    this.posting = posting;
  }
  Matches.prototype.of = function (ref) {
    var terms = [], seen = Object.create(null);
    for (var t = 0; t < this.matched.length; t += 2) {
      var term = this.matched[t];
      if (seen[term]) continue;
      var refs = this.posting(term, this.matched[t + 1]).refs, lo = 0, hi = refs.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (refs[mid] < ref) lo = mid + 1; else hi = mid;
      }
      if (lo < refs.length && refs[lo] === ref) {
        seen[term] = true;
        terms.push(this.rows[term][0]);
      }
    }
    return terms;
  };

  function isNegated(list) {
    return list.every(function (c) { return c.presence === window.lunr.Query.presence.PROHIBITED; });
  }

  /* lunr's results for the prepared query text, loading the pieces it needs. */
  function runQuery(text, phrases, endsWord) {
    var planned = plan(clauses(text, phrases, endsWord));
    return loadAll(planned.pieces).then(function () {
      var query = api.referenceScoring ? lunrQuery(planned) : function (list) { return directQuery(planned, list); };
      var list = clauses(text, phrases, endsWord);
      if (!isNegated(list)) return query(list);
      // Only -excluded words (or only stop words): every paper but those, as lunr does.
      var excluded = Object.create(null);
      list.forEach(function (c) { c.presence = window.lunr.Query.presence.OPTIONAL; });
      if (list.length) query(list).forEach(function (hit) { excluded[hit.ref] = true; });
      var all = [];
      for (var ref = 0; ref < ctx.count; ref++) {
        if (!excluded[ref]) all.push({ ref: ref, score: 0, terms: [] });
      }
      return all;
    });
  }

  /* search(raw) -> Promise of {results: [{ref, score, terms}], hint, phrases}.
   * An empty query lists every paper in catalogue order. Phrases are checked
   * afterwards (verify), since the index does not know word positions. */
  function search(raw) {
    return ensureReady().then(function () {
      var phrases = [], hint = null;
      var rest = raw.replace(/"([^"]*)"?/g, function (m, inner) {
        var words = inner.split(/[\s\-]+/).filter(Boolean);
        if (words.length) phrases.push(words);
        return " ";
      });
      rest = rest.replace(NOISE, " ").trim();
      if (!rest && !phrases.length) {
        var every = [];
        for (var r = 0; r < ctx.count; r++) every.push({ ref: r, score: 0, terms: [] });
        return { results: every, hint: null, phrases: [] };
      }
      var endsWord = !/[\s"]$/.test(raw);
      // lunr's parser throws QueryParseError synchronously: run it inside the promise chain.
      return Promise.resolve().then(function () { return runQuery(rest, phrases, endsWord); }).catch(function (err) {
        if (!(err instanceof window.lunr.QueryParseError)) throw err;
        hint = err.message;
        rest = rest.replace(SYNTAX, " ").trim();
        return runQuery(rest, phrases, endsWord).catch(function () { return []; });
      }).then(function (hits) {
        var phraseStems = phrases.map(function (words) {
          var items = stemsAt(words.join(" ")).stems;
          while (items.length && items[items.length - 1] === "|") items.pop();
          return items;
        });
        return {
          results: hits, // {ref (a number), score, terms}
          hint: hint,
          phrases: phraseStems,
        };
      });
    });
  }

  function labelName(kind, index) {
    var v = ctx.facets[kind][index];
    return v ? v.title || v.name : "";
  }

  /* Does the paper have every phrase, word by word, in its title, topic, tags or abstract? */
  function hasPhrases(result, phrases) {
    var doc = docOf(result.ref), full = textOf(result.ref);
    var labels = [doc.title, doc.topicTitle || ""].concat(doc.tags.map(function (slug) { return tagName(slug); }));
    var labelStems = labels.map(function (label) { return stemsAt(label).stems; });
    var text = stemsAt(full);
    return phrases.every(function (p) {
      var i = sequenceAt(text.stems, p);
      if (i >= 0 && (result.at === undefined || text.at[i] < result.at)) result.at = text.at[i];
      return i >= 0 || labelStems.some(function (stems) { return sequenceAt(stems, p) >= 0; });
    });
  }

  /* Keep the results that have the phrases, checking them in rank order a
   * few pieces at a time; progress(sure, done) after each batch, and stop
   * early once `enough` are sure (suggestions need only a few). */
  function verify(found, progress, enough) {
    if (!found.phrases.length) return Promise.resolve(found.results);
    var todo = found.results.slice(), sure = [];
    function step() {
      if (!todo.length || (enough && sure.length >= enough)) return Promise.resolve(sure);
      var names = [], batch = [];
      while (todo.length) {
        var ref = todo[0].ref, more = unique(names.concat([docPiece(ref), textPiece(ref)]));
        if (more.length > 2 * PHRASE_BATCH && batch.length) break;
        names = more;
        batch.push(todo.shift());
      }
      return loadAll(names).then(function () {
        batch.forEach(function (r) { if (hasPhrases(r, found.phrases)) sure.push(r); });
        if (progress) progress(sure, !todo.length);
        return step();
      });
    }
    return step();
  }

  var tagNames = null;

  function tagName(slug) {
    if (!tagNames) {
      tagNames = Object.create(null);
      ctx.facets.tags.forEach(function (t) { tagNames[t.slug] = t.name; });
    }
    return tagNames[slug] || slug;
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

  /* Where the first matched word (or the phrase) is in the whole abstract, or -1. */
  function matchAt(result, full) {
    if (result.at !== undefined) return result.at;
    var wanted = {}, re = /[^\s\-]+/g, m;
    result.terms.forEach(function (t) { wanted[t] = true; });
    while ((m = re.exec(full))) if (wanted[stemOf(m[0])]) return m.index;
    return -1;
  }

  /* A shortened snippet that may miss the match: the whole abstract is worth loading. */
  function wantsText(result) {
    var doc = docOf(result.ref);
    if (!doc || !doc.cut || !result.terms.length || textOf(result.ref) !== null) return false;
    var wanted = {};
    result.terms.forEach(function (t) { wanted[t] = true; });
    return !(doc.text.match(/[^\s\-]+/g) || []).some(function (w) { return wanted[stemOf(w)]; });
  }

  /* The stored snippet, or (once the whole abstract is loaded) ~320 characters
   * around the first matched word, starting at a sentence when one is near. */
  function snippetFor(result) {
    var doc = docOf(result.ref), full = textOf(result.ref);
    if (!full || !result.terms.length) return doc.text;
    var at = matchAt(result, full);
    if (at < 0 || at + 40 < doc.text.length) return doc.text;
    var start = Math.max(0, at - 120);
    var sentence = full.lastIndexOf(". ", at);
    if (sentence >= 0 && at - sentence < 200) start = sentence + 2;
    else if (start > 0) start = full.indexOf(" ", start) + 1;
    var end = Math.min(full.length, start + SNIPPET);
    if (end < full.length) end = full.lastIndexOf(" ", end);
    return (start > 0 ? "\u2026 " : "") + full.slice(start, end) + (end < full.length ? " \u2026" : "");
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
    this.asked = 0;
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
    function prefetch() { ensureStyles(); ensureReady().catch(function () {}); }
    input.addEventListener("focus", prefetch);
    input.addEventListener("pointerenter", prefetch);
    input.addEventListener("input", function () { self.update(); });
    input.addEventListener("keydown", function (e) { self.key(e); });
    document.addEventListener("click", function (e) {
      if (!self.box.contains(e.target) && e.target !== input) self.close();
    });
  }

  Suggest.prototype.update = function () {
    var self = this, raw = this.input.value, asked = ++this.asked;
    ensureStyles();
    if (!raw.trim()) return this.close();
    function current() { return asked === self.asked; }
    search(raw).then(function (found) {
      if (!current()) return null; // a newer keystroke will render
      return verify(found, null, SUGGESTIONS).then(function (sure) {
        var shown = sure.slice(0, SUGGESTIONS);
        return loadDocs(shown.map(function (r) { return r.ref; })).then(function () {
          if (current()) self.render(raw, shown, found.phrases.length ? sure.length : found.results.length);
        });
      });
    }).catch(function () { if (current()) self.render(raw, null, 0); });
  };

  Suggest.prototype.render = function (raw, shown, total) {
    var self = this;
    this.list.textContent = "";
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.message.textContent = !shown ? "Search is unavailable: the index could not be loaded."
      : shown.length ? "" : "No papers match.";
    this.message.hidden = !this.message.textContent;
    (shown || []).forEach(function (result, i) {
      // The link itself is the option (no interactive control nested in an option),
      // so it still opens in a new tab with a middle click.
      var doc = docOf(result.ref);
      var item = el("li", "search-suggest-item");
      item.setAttribute("role", "none");
      var link = el("a");
      link.id = self.list.id + "-" + i;
      link.setAttribute("role", "option");
      link.setAttribute("aria-selected", "false");
      link.href = root + "papers/" + doc.id + ".html";
      link.tabIndex = -1;
      appendHighlighted(link.appendChild(el("span", "search-suggest-title")), doc.title, result.terms);
      if (doc.topicTitle) link.appendChild(el("span", "search-suggest-topic", doc.topicTitle));
      item.appendChild(link);
      link.addEventListener("mousemove", function () { self.highlight(i); });
      self.list.appendChild(item);
    });
    this.more.href = root + "search.html?q=" + encodeURIComponent(raw);
    this.more.textContent = total > SUGGESTIONS ? "All " + total + " results" : "Open the search page";
    this.more.hidden = !shown;
    this.box.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    if (api.onSuggest) api.onSuggest(total);
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

  /* Facet groups: a paper must match every group that has ticked values, and
   * any one of the ticked values within a group (AND across, OR within). */
  function facetGroups() {
    var f = ctx.facets;
    return [
      { param: "code", title: "Code", values: [{ value: "1", label: "Has code" }],
        of: function (v) { return v.code ? ["1"] : []; } },
      { param: "topic", title: "Topic", values: f.topics.map(function (t) { return { value: t.slug, label: t.title }; }),
        of: function (v) { return v.topic >= 0 ? [f.topics[v.topic].slug] : []; } },
      { param: "tag", title: "Tags", values: f.tags.map(function (t) { return { value: t.slug, label: t.name }; }),
        of: function (v) { return v.tags.map(function (i) { return f.tags[i].slug; }); } },
      { param: "year", title: "Year", values: (f.years || []).map(function (y) { return { value: String(y.year), label: String(y.year) }; }),
        of: function (v) { return v.year ? [String(v.year)] : []; } },
      { param: "venue", title: "Venue", values: (f.venues || []).map(function (x) { return { value: x.name, label: x.name }; }),
        of: function (v) { return v.venue >= 0 ? [f.venues[v.venue].name] : []; } },
    ].filter(function (g) { return g.values.length; });
  }

  var PARAMS = ["code", "topic", "tag", "year", "venue"];

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
    this.pager = document.getElementById("search-pages");
    this.exporter = document.getElementById("search-export");
    this.token = 0;
    this.expanded = {};
    this.results = [];
    this.baseTitle = document.title;
    this.readUrl();
    app.hidden = false;
    var noscript = document.getElementById("search-noscript");
    if (noscript) noscript.hidden = true;
    this.input.addEventListener("input", function () {
      self.state.q = self.input.value;
      self.state.page = 1;
      self.writeUrl(false);
      self.render();
    });
    this.input.form.addEventListener("submit", function (e) { e.preventDefault(); self.render(); });
    window.addEventListener("popstate", function () { self.readUrl(); self.render(); });
    this.status.textContent = "Loading the search index…";
    ensureReady().then(function () { self.render(); }, function () {
      self.status.textContent = "Search is unavailable: the index (search-index.js) could not be loaded.";
    });
  }

  SearchPage.prototype.readUrl = function () {
    var params = new URLSearchParams(window.location.search);
    var page = parseInt(params.get("page") || "1", 10);
    this.state = { q: params.get("q") || "", page: page > 0 ? page : 1, filters: {} };
    var filters = this.state.filters;
    PARAMS.forEach(function (p) { filters[p] = params.getAll(p).filter(Boolean); });
    this.input.value = this.state.q;
  };

  SearchPage.prototype.writeUrl = function (push) {
    var params = new URLSearchParams(), s = this.state;
    if (s.q) params.set("q", s.q);
    PARAMS.forEach(function (p) { s.filters[p].forEach(function (v) { params.append(p, v); }); });
    if (s.page > 1) params.set("page", String(s.page));
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      if (push) window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    } catch (err) { /* some file:// setups refuse history changes; the page still works */ }
  };

  SearchPage.prototype.filtered = function () {
    var filters = this.state.filters;
    return PARAMS.some(function (p) { return filters[p].length > 0; });
  };

  /* The groups a paper fails (by index in groups), given its facet values. */
  SearchPage.prototype.failures = function (groups, values) {
    var filters = this.state.filters, failed = [];
    groups.forEach(function (g, i) {
      var wanted = filters[g.param];
      if (wanted.length && !values[i].some(function (v) { return wanted.indexOf(v) >= 0; })) failed.push(i);
    });
    return failed;
  };

  function valuesOf(groups, ref) {
    var v = facetsOf(ref);
    return groups.map(function (g) { return g.of(v); });
  }

  SearchPage.prototype.render = function () {
    var self = this, token = ++this.token, s = this.state, raw = s.q.trim();
    if (!ctx) return;
    function current() { return token === self.token; }
    search(s.q).then(function (found) {
      if (!current()) return null;
      self.renderHint(found.hint);
      document.title = raw ? raw + " – " + self.baseTitle : self.baseTitle;
      return verify(found, function (sure, done) {
        if (current() && !done) self.show(sure, found, false, token);
      }).then(function (sure) { return current() ? self.show(sure, found, true, token) : null; });
    }).catch(function (err) {
      if (current()) self.status.textContent = "Search is unavailable: a piece of the index could not be loaded (" + err.message + ").";
    });
  };

  /* Show the results (all: before filters), page by page: the page's
   * results as soon as their metadata has loaded, then the facet counts. */
  SearchPage.prototype.show = function (all, found, complete, token) {
    var self = this, s = this.state, groups = facetGroups(), filtered = this.filtered();
    var checking = complete && found.phrases.length === 0 ? null : complete;
    var refs = all.map(function (r) { return r.ref; });
    // Facet values: first when filtering (they decide what is listed), else after the page.
    var facetsReady = filtered ? loadFacets(refs) : null;
    var listed = !filtered ? Promise.resolve(all) : facetsReady.then(function () {
      return all.filter(function (r) { return !self.failures(groups, valuesOf(groups, r.ref)).length; });
    });
    return listed.then(function (results) {
      if (token !== self.token) return null;
      var pages = Math.max(1, Math.ceil(results.length / PAGE_SIZE));
      var page = Math.min(s.page, pages);
      var shown = results.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      self.results = results;
      // Each result as soon as its metadata (and that of those above it) has arrived.
      var listedCount = -1;
      function renderArrived() {
        if (token !== self.token) return;
        var k = 0;
        while (k < shown.length && docOf(shown[k].ref)) k += 1;
        if (k <= listedCount || (k === 0 && shown.length)) return;
        listedCount = k;
        self.renderResults(shown.slice(0, k), results.length, all.length, checking);
        if (api.firstResultsAt === null) api.firstResultsAt = performance.now(); // first results (or "no papers") shown
      }
      var names = unique(shown.map(function (r) { return docPiece(r.ref); }));
      names.forEach(function (name) { load(name).then(renderArrived, function () {}); });
      return loadAll(names).then(function () {
        if (token !== self.token) return null;
        renderArrived();
        self.renderPager(page, pages);
        self.renderExport(results);
        // Whole abstracts where the stored snippet misses the matched words.
        var needed = shown.filter(wantsText);
        if (needed.length) {
          loadAll(unique(needed.map(function (r) { return textPiece(r.ref); }))).then(function () {
            if (token === self.token) self.renderResults(shown, results.length, all.length, checking);
          }, function () {});
        }
        return (facetsReady || loadFacets(refs)).then(function () {
          if (token !== self.token) return;
          self.renderFacets(all, groups);
          if (complete) {
            api.rendered = (api.rendered || 0) + 1;
            api.shown = s.q; // the query whose results, counts and facets are on the page
          }
        });
      });
    });
  };

  SearchPage.prototype.renderHint = function (hint) {
    this.hint.textContent = "";
    this.hint.hidden = !hint;
    if (!hint) return;
    this.hint.appendChild(el("strong", null, "That query uses search syntax that could not be read"));
    this.hint.appendChild(document.createTextNode(" (" + hint + "), so the words were searched on their own. "));
    this.hint.appendChild(document.createTextNode(
      "Syntax: \"exact phrase\", +required, -excluded, prefix*, title:word (fields: " + ctx.fields.join(", ") + ")."));
  };

  SearchPage.prototype.renderFacets = function (all, groups) {
    var self = this, filters = this.state.filters, box = this.facetsBox;
    // Count each value among the results that pass the other groups' filters.
    var counts = groups.map(function () { return Object.create(null); });
    all.forEach(function (r) {
      var values = valuesOf(groups, r.ref), failed = self.failures(groups, values);
      if (failed.length > 1) return;
      values.forEach(function (list, i) {
        if (failed.length && failed[0] !== i) return;
        list.forEach(function (v) { counts[i][v] = (counts[i][v] || 0) + 1; });
      });
    });
    box.textContent = "";
    box.appendChild(el("p", "facet-note", "Papers match every group you filter by, and any value you tick within a group."));
    groups.forEach(function (g, i) {
      var fieldset = el("fieldset", "facet-group");
      fieldset.appendChild(el("legend", null, g.title));
      var options = g.values.filter(function (v) { return counts[i][v.value] || filters[g.param].indexOf(v.value) >= 0; });
      var limit = self.expanded[g.param] ? options.length : FACET_VALUES_SHOWN;
      options.slice(0, limit).forEach(function (v) {
        var n = counts[i][v.value] || 0, on = filters[g.param].indexOf(v.value) >= 0;
        var row = el("label", "facet-option" + (n ? "" : " is-empty"));
        var input = el("input");
        input.type = "checkbox";
        input.name = g.param;
        input.value = v.value;
        input.checked = on;
        input.addEventListener("change", function () {
          var list = filters[g.param].filter(function (x) { return x !== v.value; });
          if (input.checked) list.push(v.value);
          filters[g.param] = list;
          self.state.page = 1;
          self.writeUrl(true);
          self.render();
        });
        row.appendChild(input);
        row.appendChild(el("span", "facet-label", v.label));
        row.appendChild(el("span", "facet-count", String(n)));
        fieldset.appendChild(row);
      });
      if (options.length > FACET_VALUES_SHOWN) {
        var toggle = el("button", "facet-more", self.expanded[g.param] ? "Show fewer" : "Show all " + options.length);
        toggle.type = "button";
        toggle.addEventListener("click", function () {
          self.expanded[g.param] = !self.expanded[g.param];
          self.renderFacets(all, groups);
        });
        fieldset.appendChild(toggle);
      }
      if (options.length) box.appendChild(fieldset);
    });
    if (this.filtered()) {
      var clear = el("button", "facet-clear", "Clear filters");
      clear.type = "button";
      clear.addEventListener("click", function () {
        PARAMS.forEach(function (p) { filters[p] = []; });
        self.state.page = 1;
        self.writeUrl(true);
        self.render();
      });
      box.appendChild(clear);
    }
  };

  /* checking: true while a phrase is still being checked in the abstracts (false when done, null without phrases). */
  SearchPage.prototype.renderResults = function (shown, total, unfiltered, checking) {
    var raw = this.state.q.trim(), filtered = this.filtered(), list = this.list;
    list.textContent = "";
    var pending = checking === false ? " Checking the phrase in the whole abstracts…" : "";
    if (!total) {
      var message = raw ? "No papers match “" + raw + "”" : "No papers";
      message += filtered && unfiltered ? " with these filters (" + unfiltered + " without them)." : ".";
      this.status.textContent = message + pending;
      var tips = el("li", "search-empty");
      tips.textContent = filtered && unfiltered
        ? "Clear a filter to see more papers."
        : "Check the spelling, use fewer or more general words, or try a prefix such as quant*.";
      list.appendChild(tips);
      return;
    }
    this.status.textContent = (raw ? total + (total === 1 ? " paper matches “" : " papers match “") + raw + "”"
      : total + " papers") + (filtered ? " (filtered)" : "") + "." + pending;
    shown.forEach(function (r) {
      var doc = docOf(r.ref);
      var item = el("li", "search-result");
      var heading = el("h3", "search-result-title");
      var link = el("a");
      link.href = root + "papers/" + doc.id + ".html";
      appendHighlighted(link, doc.title, r.terms);
      heading.appendChild(link);
      item.appendChild(heading);
      if (doc.authors || doc.venue || doc.year) {
        var byline = el("p", "search-result-byline");
        byline.textContent = [doc.authors, doc.venue, doc.year].filter(Boolean).join(" · ");
        item.appendChild(byline);
      }
      var meta = el("p", "search-result-meta");
      if (doc.topicTitle) meta.appendChild(el("span", "search-result-topic", doc.topicTitle));
      doc.tags.forEach(function (t) { meta.appendChild(el("span", "search-result-tag", tagName(t))); });
      if (doc.code) meta.appendChild(el("span", "search-result-code", "code"));
      if (meta.childNodes.length) item.appendChild(meta);
      var snippet = el("p", "search-result-snippet");
      appendHighlighted(snippet, snippetFor(r), r.terms);
      item.appendChild(snippet);
      list.appendChild(item);
    });
  };

  SearchPage.prototype.renderPager = function (page, pages) {
    var self = this, pager = this.pager;
    pager.textContent = "";
    pager.hidden = pages <= 1;
    if (pages <= 1) return;
    function go(n) {
      self.state.page = n;
      self.writeUrl(true);
      self.render();
      self.list.scrollIntoView({ block: "start" });
    }
    var prev = el("button", "search-page-prev", "Previous");
    prev.type = "button";
    prev.disabled = page <= 1;
    prev.addEventListener("click", function () { go(page - 1); });
    var next = el("button", "search-page-next", "Next");
    next.type = "button";
    next.disabled = page >= pages;
    next.addEventListener("click", function () { go(page + 1); });
    pager.appendChild(prev);
    pager.appendChild(el("span", "search-page-of", "Page " + page + " of " + pages));
    pager.appendChild(next);
  };

  function csvCell(value) {
    return /[",\r\n]/.test(value) ? "\"" + value.replace(/"/g, "\"\"") + "\"" : value;
  }

  /* BibTeX or CSV of the filtered results, in their order, made here from the export pieces. */
  function exportText(refs, kind) {
    return loadAll(unique(refs.map(exportPiece))).then(function () {
      if (kind === "bib") return refs.map(function (ref) { return exportOf(ref)[0]; }).join("\n");
      var lines = [ctx.manifest.csv.map(csvCell).join(",")];
      refs.forEach(function (ref) { lines.push(exportOf(ref)[1].map(csvCell).join(",")); });
      return lines.join("\r\n") + "\r\n";
    });
  }

  SearchPage.prototype.renderExport = function (results) {
    var self = this, box = this.exporter;
    box.textContent = "";
    box.hidden = !results.length;
    if (!results.length) return;
    box.appendChild(document.createTextNode("Export " + (results.length === 1 ? "this result" : "these " + results.length + " results") + ": "));
    [["bib", "BibTeX", "application/x-bibtex"], ["csv", "CSV", "text/csv"]].forEach(function (kind, i) {
      var button = el("button", "search-export-" + kind[0], kind[1]);
      button.type = "button";
      button.addEventListener("click", function () {
        var refs = self.results.map(function (r) { return r.ref; });
        button.disabled = true;
        exportText(refs, kind[0]).then(function (text) {
          var url = URL.createObjectURL(new Blob([text], { type: kind[2] + ";charset=utf-8" }));
          var a = el("a");
          a.href = url;
          a.download = "search-results." + kind[0];
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        }).catch(function () {
          self.status.textContent = "The export could not be made: a piece of the index could not be loaded.";
        }).then(function () { button.disabled = false; });
      });
      if (i) box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    });
    box.appendChild(document.createTextNode(" (without abstracts; papers.bib and papers.csv have every paper in full)"));
  };

  /* ------------------------------------------------------------ start */

  api.ready = ensureReady;
  api.search = search;
  api.verify = verify;
  api.loadDocs = loadDocs;
  api.doc = docOf;
  api.exportText = exportText;
  api.pieceOf = function (term) { return ensureReady().then(function () { return pieceOf(term); }); };
  api.rankOrder = rankOrder; // for tests
  api.loadMs = null;
  api.firstResultsAt = null;

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

  if (!hasDom) return;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
