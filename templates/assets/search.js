// papersite search: lunr.js 2.3.9 over the index the build made with lunr.py.
// Nothing from the index is ever inserted as HTML: results are built from text nodes.
"use strict";

(function () {
  const form = document.querySelector("form.site-search");
  if (!form) return;
  const root = form.dataset.root;
  const assets = form.dataset.assets;
  const onDisk = location.protocol === "file:";
  const SEPARATOR = /[\s\-]+/;
  const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  // As generator/stemming.py fold_word: no accents, "Stephane" finds "Stéphane".
  const ACCENTS = /[\u0300-\u036f]/g;
  const LETTERS = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i", "\u2019": "'", "\u02bc": "'" };
  const FOLDED = /[ßæœøłđðþı\u2019\u02bc]/g;
  const SUGGESTIONS = 8;
  const PAGE_SIZE = 50;
  const COMPLETIONS = 10; // generator/search.py COMPLETIONS

  // ---- Loading: lunr.js and the index arrive by <script> tags (fetch fails from file://).
  // A large index comes in shards: the first (titles) answers at once, the rest (abstracts)
  // follow; `onMore` callbacks re-run the query on screen when they arrive.
  let loading = null;
  const onMore = [];
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(script);
    });
  }
  function engine() {
    if (!loading) {
      // The index only sets a global, so both files load in parallel.
      loading = Promise.all([loadScript(assets + "lunr.js"), loadScript(assets + "search-index.js")])
        // Yield between the heavy steps so the page stays responsive while loading.
        .then(() => new Promise((resolve) => setTimeout(resolve)))
        .then(() => {
          const data = window.papersiteSearch;
          const loaded = {
            indexes: data.indexes.map((c) => lunr.Index.load(expandIndex(c))),
            data,
            done: data.more.length === 0,
          };
          loaded.complete = Promise.all(
            data.more.map((file) =>
              loadScript(assets + file).then(() => {
                const name = file.replace(/^search-|\.js$/g, "");
                loaded.indexes.push(lunr.Index.load(expandIndex(window.papersiteSearchShards[name])));
              }),
            ),
          ).then(() => {
            loaded.done = true;
            onMore.forEach((callback) => callback(loaded));
          });
          return loaded;
        });
    }
    return loading;
  }

  // As generator/search_index.py expand_index: the compact index in lunr's own shape.
  function expandIndex(compact) {
    const fields = compact.fields;
    const invertedIndex = compact.terms.map((term, number) => {
      const posting = { _index: number };
      fields.forEach((field, f) => {
        const refs = {};
        let doc = 0;
        for (const delta of compact.postings[number][f]) {
          doc += delta;
          refs[doc.toString(36)] = {};
        }
        posting[field] = refs;
      });
      return [term, posting];
    });
    invertedIndex.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const fieldVectors = [];
    fields.forEach((field, f) => {
      compact.vectors[f].forEach((row, doc) => {
        if (row === null) return;
        const elements = [];
        let term = 0;
        for (let i = 0; i < row.length; i += 2) {
          term += row[i];
          elements.push(term, row[i + 1]);
        }
        fieldVectors.push([field + "/" + doc.toString(36), elements]);
      });
    });
    return {
      version: compact.version,
      fields,
      fieldVectors,
      invertedIndex,
      pipeline: compact.pipeline,
    };
  }

  // ---- Queries: built with the query API, so no input can throw a QueryParseError.
  function foldWord(word) {
    return word.normalize("NFD").replace(ACCENTS, "").normalize("NFC").replace(FOLDED, (c) => LETTERS[c]);
  }
  function trimWord(word) {
    return foldWord(word).replace(EDGE, "");
  }
  function stem(word) {
    return lunr.stemmer(new lunr.Token(word)).toString();
  }
  function queryWords(text) {
    return text
      .toLowerCase()
      .split(SEPARATOR)
      .map(trimWord)
      .filter((word) => word && lunr.stopWordFilter(new lunr.Token(word)) !== undefined);
  }
  // Mirrors generator/search.py: each shard asked once, scores added up; papers with
  // every word first, then the rest, each by score then ref; nothing -> one typo per word.
  function ranked(indexes, words, stems, prefix, editDistance) {
    const last = words.length - 1;
    const byRef = new Map();
    for (const index of indexes) {
      const results = index.query((query) => {
        words.forEach((word, position) => {
          if (prefix && position === last) {
            // With no completion, a wildcard that matches nothing keeps the query from
            // being empty (an empty lunr.js query matches every document).
            const expanded = completions(index, stems[position]);
            for (const [term, boost] of expanded.length ? expanded : [[stems[position] + "*", 1]]) {
              query.term(term, { usePipeline: false, boost });
            }
          } else {
            query.term(word, { editDistance });
          }
        });
      });
      for (const result of results) {
        const entry = byRef.get(result.ref) || { ref: result.ref, score: 0, terms: new Set(), hits: new Set() };
        entry.score += result.score;
        const terms = Object.keys(result.matchData.metadata);
        terms.forEach((term) => entry.terms.add(term));
        stems.forEach((stem, position) => {
          if (editDistance || terms.includes(stem) ||
              (prefix && position === last && terms.some((term) => term.startsWith(stem)))) {
            entry.hits.add(position);
          }
        });
        byRef.set(result.ref, entry);
      }
    }
    const order = Array.from(byRef.values()).sort(
      (a, b) => b.score - a.score || parseInt(a.ref, 36) - parseInt(b.ref, 36),
    );
    const complete = order.filter((entry) => entry.hits.size === words.length);
    const results = complete.concat(order.filter((entry) => entry.hits.size < words.length));
    results.complete = complete.length;
    return results;
  }
  // While a word is being typed, it stands for its most common completions, each boosted
  // by its share of the most common one's documents ("transf" -> transformer before the
  // rarer transfer, which a plain wildcard would rank first for its idf).
  function completions(index, stem) {
    const counted = index.tokenSet
      .intersect(lunr.TokenSet.fromString(stem + "*"))
      .toArray()
      .map((term) => [term, documentCount(index.invertedIndex[term])]);
    counted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const top = counted.slice(0, COMPLETIONS);
    return top.map(([term, count]) => [term, count / top[0][1]]);
  }
  function documentCount(posting) {
    let count = 0;
    for (const field in posting) {
      if (field !== "_index") count += Object.keys(posting[field]).length;
    }
    return count;
  }
  // `partial`: later shards are still loading, so a typo search would be premature.
  function search(indexes, text, options) {
    const prefix = Boolean(options && options.prefix);
    const words = queryWords(text);
    if (!words.length) return { results: [], fuzzy: false };
    const stems = words.map(stem);
    const results = ranked(indexes, words, stems, prefix, 0);
    if (results.length || (options && options.partial)) {
      return { results, fuzzy: false, complete: results.complete, words: words.length };
    }
    const fuzzy = ranked(indexes, words, stems, false, 1);
    return { results: fuzzy, fuzzy: true, complete: fuzzy.complete, words: words.length };
  }

  // ---- Showing results.
  function paperHref(slug) {
    return root + "papers/" + slug + "/" + (onDisk ? "index.html" : "");
  }
  function searchPageHref(query, topic) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (topic) params.set("topic", topic);
    const search = params.toString();
    return root + "search/" + (onDisk ? "index.html" : "") + (search ? "?" + search : "");
  }
  // The words of a text whose stem is among the matched terms (regex matches).
  function* matchedWords(text, terms) {
    for (const match of text.matchAll(/[^\s\-]+/g)) {
      const core = trimWord(match[0].toLowerCase());
      if (core && terms.has(stem(core))) yield match;
    }
  }
  // Text with <mark> around words whose stem matched, as DOM nodes.
  function highlighted(text, terms) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of matchedWords(text, terms)) {
      // The word without the punctuation at its edges (what trimWord keeps).
      const word = match[0];
      const start = match.index + (word.length - word.replace(/^[^\p{L}\p{N}]+/u, "").length);
      const end = match.index + word.replace(/[^\p{L}\p{N}]+$/u, "").length;
      fragment.append(text.slice(last, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      fragment.append(mark);
      last = end;
    }
    fragment.append(text.slice(last));
    return fragment;
  }
  // The part of the excerpt from a little before the first matched word.
  function excerptAround(text, terms) {
    for (const match of matchedWords(text, terms)) {
      if (match.index <= 90) return text;
      return "…" + text.slice(text.indexOf(" ", match.index - 60) + 1);
    }
    return text;
  }
  function element(tag, className, children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children || []) node.append(child);
    return node;
  }

  // A paper of the store as an object: generator/search.py _store_row writes these rows.
  function record(data, ref) {
    const [title, slug, topics, excerpt, byline, date, arxiv, code] = data.store[parseInt(ref, 36)];
    return { title, slug, topics, excerpt, byline: byline || "", date: date || "", arxiv: arxiv || "", code: code || "" };
  }
  const MONTHS = "January February March April May June July August September October November December".split(" ");
  // As PaperDate.label: "March 19, 2021", "June 2016" or "2016".
  function dateLabel(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    if (!month) return String(year);
    return day ? `${MONTHS[month - 1]} ${day}, ${year}` : `${MONTHS[month - 1]} ${year}`;
  }
  // A result as templates/_cards.html makes a paper card, with the matched words marked.
  function resultCard(data, paper, terms) {
    const link = element("a", "", [highlighted(paper.title, terms)]);
    link.href = paperHref(paper.slug);
    const parts = [element("h2", "card-title", [link])];
    const meta = [];
    if (paper.byline) meta.push(element("span", "", [highlighted(paper.byline, terms)]));
    if (paper.date) {
      const time = element("time", "", [dateLabel(paper.date)]);
      time.dateTime = paper.date;
      meta.push(time);
    }
    if (meta.length) parts.push(element("p", "card-meta", meta));
    if (paper.excerpt) {
      parts.push(element("p", "card-snippet", [highlighted(excerptAround(paper.excerpt, terms), terms)]));
    }
    if (paper.topics.length) {
      const chips = element(
        "ul",
        "chips",
        paper.topics.map((n) => {
          const chip = element("a", "chip", [data.topics[n][0]]);
          chip.href = root + "topics/" + data.topics[n][1] + "/" + (onDisk ? "index.html" : "");
          return element("li", "", [chip]);
        }),
      );
      chips.setAttribute("aria-label", "Topics");
      parts.push(chips);
    }
    const actions = [];
    if (paper.arxiv) {
      actions.push(["arXiv", "https://arxiv.org/abs/" + paper.arxiv], ["PDF", "https://arxiv.org/pdf/" + paper.arxiv]);
    }
    if (paper.code) actions.push(["Code", paper.code]);
    if (actions.length) {
      parts.push(
        element(
          "p",
          "card-actions",
          actions.map(([label, url]) => {
            const action = element("a", "", [label]);
            action.href = url;
            return action;
          }),
        ),
      );
    }
    return element("li", "card paper-card", parts);
  }

  // ---- The header box: an ARIA combobox with a listbox of suggestions.
  const input = document.getElementById("site-search-input");
  const listbox = document.getElementById(input.getAttribute("aria-controls"));
  const status = form.querySelector("[role=status]");
  let active = -1;
  let lastQuery = "";

  function options() {
    return Array.from(listbox.querySelectorAll("[role=option]:not([hidden])"));
  }
  // Only whole suggestions, above the bottom of the screen: on a phone, one cut in half
  // reads as part of the page behind it. "See all" always stays.
  function fitSuggestions() {
    const limit = window.innerHeight - 8;
    const papers = Array.from(listbox.querySelectorAll(".suggestion:not(#suggestion-all)"));
    const overflows = () =>
      listbox.scrollHeight > listbox.clientHeight + 1 || listbox.getBoundingClientRect().bottom > limit;
    for (let last = papers.length - 1; last > 0 && overflows(); last--) papers[last].hidden = true;
  }
  function setActive(position) {
    const all = options();
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === position)));
    active = position;
    if (position >= 0 && all[position]) {
      input.setAttribute("aria-activedescendant", all[position].id);
      all[position].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }
  function option(id, href, children) {
    const link = element("a", "", children);
    link.href = href;
    link.tabIndex = -1;
    const item = element("li", "suggestion", [link]);
    item.id = id;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.addEventListener("mousedown", (event) => event.preventDefault());
    return item;
  }
  function showSuggestions({ indexes, data, done }, text) {
    lastQuery = text;
    listbox.replaceChildren();
    setActive(-1);
    if (!text.trim()) {
      close();
      status.textContent = "";
      return;
    }
    const { results, fuzzy } = search(indexes, text, { prefix: true, partial: !done });
    results.slice(0, SUGGESTIONS).forEach((result, i) => {
      const { title, slug, topics: topicNumbers } = record(data, result.ref);
      const topics = topicNumbers.map((n) => data.topics[n][0]).join(", ");
      listbox.append(
        option("suggestion-" + i, paperHref(slug), [
          element("span", "suggestion-title", [highlighted(title, result.terms)]),
          element("span", "suggestion-topics", [topics]),
        ]),
      );
    });
    const summary = results.length
      ? (fuzzy ? "No exact match; " : "") +
        `See all ${results.length} result${results.length === 1 ? "" : "s"}`
      : done
        ? `No papers match “${text.trim()}”`
        : "Searching abstracts…";
    listbox.append(option("suggestion-all", searchPageHref(text), [element("span", "suggestion-all", [summary])]));
    listbox.hidden = false;
    fitSuggestions();
    input.setAttribute("aria-expanded", "true");
    status.textContent = results.length
      ? `${results.length} result${results.length === 1 ? "" : "s"}${fuzzy ? " for similar words" : ""}`
      : `No papers match ${text.trim()}`;
  }

  onMore.push((loaded) => {
    if (!listbox.hidden && input.value) showSuggestions(loaded, input.value);
  });
  input.addEventListener("focus", () => engine().catch(() => {}));
  input.addEventListener("input", () => {
    const text = input.value;
    engine().then((loaded) => {
      if (input.value === text) showSuggestions(loaded, text);
    });
  });
  input.addEventListener("keydown", (event) => {
    const all = options();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      if (listbox.hidden) engine().then((loaded) => showSuggestions(loaded, input.value));
      setActive((active + 1) % all.length);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      setActive(active <= 0 ? all.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = active >= 0 ? all[active].querySelector("a") : null;
      location.href = chosen ? chosen.href : searchPageHref(input.value);
    } else if (event.key === "Escape") {
      // The first Esc closes the suggestions (and must not also clear the box, as a
      // search field does by itself); the next one clears it.
      if (!listbox.hidden) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
      }
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.href = searchPageHref(input.value);
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      (document.getElementById("search-page-input") || input).focus();
    }
  });

  // ---- The search page: deep links (?q=&topic=), topic filter with counts, history.
  const page = document.getElementById("search-page");
  if (!page) {
    window.papersiteSearchEngine = { engine, search, queryWords, expandIndex };
    return;
  }
  const pageInput = document.getElementById("search-page-input");
  const pageStatus = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const filter = document.getElementById("topic-filter");
  const more = document.getElementById("search-more");
  more.addEventListener("click", () => {
    const before = lastRender.count;
    if (showMore()) list.children[before].querySelector("a").focus();
  });
  let state = readUrl();
  // Keep the filter's place from the start, so the results do not move when it fills.
  filter.hidden = !state.q.trim();
  // The page arrives with the hint shown, so nothing new paints when the index arrives.
  const hint = pageStatus.textContent;
  if (state.q.trim()) {
    pageStatus.textContent = "Loading the search index…";
    list.setAttribute("aria-busy", "true");
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    return { q: params.get("q") || "", topic: params.get("topic") || "" };
  }
  function writeUrl(push) {
    const href = searchPageHref(state.q, state.topic).slice(root.length + "search/".length);
    try {
      history[push ? "pushState" : "replaceState"](state, "", href || "./");
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the page still works.
    }
  }
  function renderFilter(data, counts, total) {
    const choices = [["", "All topics", total]].concat(
      data.topics
        .map(([name, slug], n) => [slug, name, counts[n] || 0])
        .filter(([slug, , count]) => count > 0 || slug === state.topic)
        .sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1])),
    );
    filter.replaceChildren(element("legend", "", ["Filter by topic"]));
    for (const [slug, name, count] of choices) {
      const radio = element("input");
      radio.type = "radio";
      radio.name = "topic";
      radio.value = slug;
      radio.id = "topic-" + (slug || "all");
      radio.checked = slug === state.topic;
      const label = element("label", "", [name + " ", element("span", "count", [String(count)])]);
      label.htmlFor = radio.id;
      filter.append(element("div", "filter-choice", [radio, label]));
    }
    filter.hidden = total === 0;
  }
  let lastRender = null;
  function renderPage({ indexes, data, done }) {
    pageInput.value = state.q;
    list.replaceChildren();
    list.removeAttribute("aria-busy");
    more.hidden = true;
    if (!state.q.trim()) {
      if (pageStatus.textContent !== hint) pageStatus.textContent = hint;
      filter.hidden = true;
      return;
    }
    const { results, fuzzy, complete, words } = search(indexes, state.q, { prefix: false, partial: !done });
    const topicNumber = data.topics.findIndex(([, slug]) => slug === state.topic);
    const counts = {};
    for (const result of results) {
      for (const n of record(data, result.ref).topics) counts[n] = (counts[n] || 0) + 1;
    }
    renderFilter(data, counts, results.length);
    const shown = results.filter(
      (result) => topicNumber < 0 || record(data, result.ref).topics.includes(topicNumber),
    );
    // Of those, how many hold every word of the query (they come first).
    const whole = topicNumber < 0 ? complete : shown.filter((result) => results.indexOf(result) < complete).length;
    lastRender = { data, shown, count: 0 };
    showMore();
    // Lets benchmarks/search_latency.py read the time from navigation to first results.
    if (!performance.getEntriesByName("papersite-results").length) {
      performance.mark("papersite-results");
    }
    const where = topicNumber >= 0 ? ` in ${data.topics[topicNumber][0]}` : "";
    const query = state.q.trim();
    if (!shown.length && !done) {
      pageStatus.textContent = "Searching abstracts…";
    } else if (!shown.length) {
      pageStatus.textContent = `No papers match “${query}”${where}. Try fewer or shorter words.`;
    } else if (fuzzy) {
      pageStatus.textContent = `${plural(shown.length)}${where} for words like “${query}”`;
    } else if (words > 1 && whole < shown.length) {
      pageStatus.textContent =
        `${plural(whole)} with all of “${query}”${where}` +
        `, then ${shown.length - whole} with some of its words`;
    } else {
      pageStatus.textContent = `${plural(shown.length)}${where} for “${query}”`;
    }
  }
  function plural(count) {
    return `${count} paper${count === 1 ? "" : "s"}`;
  }
  // The next PAGE_SIZE results of the last search, and the button for the ones after.
  function showMore() {
    const { data, shown } = lastRender;
    const terms = (result) => result.terms;
    const next = shown.slice(lastRender.count, lastRender.count + PAGE_SIZE);
    for (const result of next) list.append(resultCard(data, record(data, result.ref), terms(result)));
    lastRender.count += next.length;
    const left = shown.length - lastRender.count;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more (${lastRender.count} of ${shown.length} shown)`;
    return next.length;
  }
  function update(push) {
    writeUrl(push);
    engine().then(renderPage);
  }

  let typingTimer = null;
  pageInput.addEventListener("input", () => {
    state = { q: pageInput.value, topic: state.topic };
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => update(false), 120);
  });
  page.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    state = { q: pageInput.value, topic: state.topic };
    update(true);
  });
  filter.addEventListener("change", (event) => {
    state = { q: state.q, topic: event.target.value };
    update(true);
  });
  onMore.push(renderPage);
  window.addEventListener("popstate", () => {
    state = readUrl();
    engine().then(renderPage);
  });
  function start() {
    engine()
      .then(renderPage)
      .catch((error) => {
        pageStatus.textContent = "Search could not start: " + error.message;
      });
  }
  // With a query, search at once; without one, the index (already preloaded by the page)
  // is read when the visitor reaches for the search box, not while the page is loading.
  if (state.q.trim()) start();
  else pageInput.addEventListener("focus", start, { once: true });
  window.papersiteSearchEngine = { engine, search, queryWords, expandIndex };
})();
