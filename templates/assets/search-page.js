// papersite search, the search page: deep links (?q=&topic=&sort=&year=&author=), filters
// by topic, year range and author with counts, newest first on request, results a page at
// a time, history; the searching is search-engine.js's.
"use strict";

(function () {
  const page = document.getElementById("search-page");
  if (!page) return;
  const engineApi = window.papersiteSearchEngine;
  if (!engineApi) return;
  const { search, records, deepen, dataFile, engine, searchHereHref, element, resultCard } = engineApi;
  const root = document.querySelector("form.site-search").dataset.root;
  const PAGE_SIZE = 20;
  const FIRST_ROWS = 5;

  const pageInput = document.getElementById("search-page-input");
  const pageStatus = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const filter = document.getElementById("topic-filter");
  const more = document.getElementById("search-more");
  const tools = document.getElementById("search-tools");
  const sortChoice = document.getElementById("search-sort");
  const yearFrom = document.getElementById("year-from");
  const yearTo = document.getElementById("year-to");
  const authorChoice = document.getElementById("author-filter");
  const AUTHOR_CHOICES = 40;
  more.addEventListener("click", () => {
    const before = lastRender.count;
    showMore()
      .then((added) => {
        if (added) list.children[before].querySelector("a").focus();
      })
      .catch((error) => {
        pageStatus.textContent = `Search could not load (${error.message}). Check the connection and try again.`;
      });
  });
  let state = readUrl();
  // Keep the filters' places from the start, so the results do not move when they fill.
  filter.hidden = !state.q.trim();
  tools.hidden = !state.q.trim();
  // The page arrives with the hint shown, so nothing new paints when the index arrives.
  const hint = pageStatus.textContent;
  if (state.q.trim()) {
    pageStatus.textContent = "Loading the search index…";
    list.setAttribute("aria-busy", "true");
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const choice = (name) => params.get(name) || "";
    return { q: choice("q"), topic: choice("topic"), sort: choice("sort"), year: choice("year"), author: choice("author") };
  }
  // `year=2023`, `2021-2023`, `2021-` or `-2023`: the years it lets through (0: no bound).
  function yearRange(text) {
    const match = /^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$/.exec(text || "");
    if (!match || (!match[1] && !match[3])) return [0, 0];
    const from = Number(match[1] || 0);
    const to = match[2] ? Number(match[3] || 0) : from;
    return from && to && from > to ? [to, from] : [from, to];
  }
  function yearText(from, to) {
    if (!from && !to) return "";
    if (from === to) return String(from);
    return `${from || ""}-${to || ""}`;
  }
  function choices() {
    return { sort: state.sort === "date" ? "date" : "", year: state.year, author: state.author };
  }
  function stateHref() {
    return searchHereHref(state.q, state.topic, choices()) || "./";
  }
  // Typing writes the query into an entry of its own: the first pause makes one (so Back
  // returns to the query before), the next ones rewrite it; Enter keeps it as it is.
  let typingTimer = null;
  let typedEntry = false;
  // Whether the address already asks what `state` does (a #main the skip link left aside).
  function shown() {
    return new URL(stateHref(), location.href).search === location.search;
  }
  // A new entry, or one the address bar moved to: typing not yet written is in `state`
  // (or belongs to the page left), and the next pause makes an entry of its own.
  function settle() {
    clearTimeout(typingTimer);
    typedEntry = false;
  }
  function writeUrl(push) {
    if (push) settle();
    try {
      history[push ? "pushState" : "replaceState"](state, "", stateHref());
    } catch (error) {
      // Some browsers refuse history changes on file:// pages; the page still works.
    }
  }
  function renderFilter(core, counts, total) {
    const choices = [["", "All topics", total]].concat(
      core.topics
        .map(([name, slug], n) => [slug, name, counts[n] || 0])
        .filter(([slug, , count]) => count > 0 || slug === state.topic)
        .sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1])),
    );
    // The choices have a row of their own: on a phone it scrolls sideways and fades at an
    // edge with more (site.js), under the legend, which the fade would cut.
    const row = filter.querySelector(".filter-choices");
    row.replaceChildren();
    for (const [slug, name, count] of choices) {
      const radio = element("input");
      radio.type = "radio";
      radio.name = "topic";
      radio.value = slug;
      radio.id = "topic-" + (slug || "all");
      // An unknown topic in the address filters nothing: "All topics" is the one chosen.
      radio.checked = slug === (choices.some(([known]) => known === state.topic) ? state.topic : "");
      const label = element("label", "", [name + " ", element("span", "count", [String(count)])]);
      label.htmlFor = radio.id;
      row.append(element("div", "filter-choice", [radio, label]));
    }
    // With no results the box keeps its place (as reserved before the first paint), unseen:
    // nothing below it moves.
    filter.hidden = false;
    filter.classList.toggle("unused", total === 0);
    // On a phone the choices are one row that scrolls sideways: the chosen one in view.
    const chosen = filter.querySelector("input:checked");
    if (chosen) {
      const choice = chosen.parentElement.getBoundingClientRect();
      const box = row.getBoundingClientRect();
      if (choice.right > box.right || choice.left < box.left) row.scrollLeft += choice.left - box.left - 12;
    }
    row.dispatchEvent(new Event("scroll")); // its edges marked again (site.js)
  }
  // The year and author of every paper (generator/search/index.py facet_files): loaded
  // before the results when a choice needs them, else once the results are shown.
  function facets() {
    return Promise.all([dataFile("dates", "search/dates.js"), dataFile("people", "search/people.js")]).then(
      ([dates, people]) => ({ dates, people }),
    );
  }
  // Whether a result passes the chosen topic, years and author, `skip` aside (a filter's
  // own counts are those of the results the other filters let through).
  function passes(doc, picked, topics, facet, skip) {
    if (skip !== "topic" && picked.topic >= 0 && !topics.of[doc].includes(topics.codes[picked.topic])) return false;
    if (!facet) return true;
    const [from, to] = picked.years;
    if (skip !== "year" && (from || to)) {
      const year = Math.floor(facet.dates[doc] / 10000);
      if (!year || (from && year < from) || (to && year > to)) return false;
    }
    if (skip !== "author" && picked.author >= 0 && !facet.people.of[doc].includes(picked.author)) return false;
    return true;
  }
  function picks(core, facet) {
    return {
      topic: core.topics.findIndex(([, slug]) => slug === state.topic),
      years: yearRange(state.year),
      author: facet ? facet.people.names.findIndex(([, slug]) => slug === state.author) : -1,
    };
  }
  // The results shown: those passing every filter, newest first if asked (papers whose
  // date is not known last; the same date keeps the order of relevance).
  function narrowed(results, picked, topics, facet) {
    const shown = results.filter((result) => passes(parseInt(result.ref, 36), picked, topics, facet));
    if (state.sort === "date" && facet) {
      const date = (result) => facet.dates[parseInt(result.ref, 36)] || -1;
      shown.sort((a, b) => date(b) - date(a));
    }
    return shown;
  }
  function option(value, label, selected) {
    const choice = element("option", "", [label]);
    choice.value = value;
    choice.selected = selected;
    return choice;
  }
  // The sort, year and author choices, with the counts of the results they would show.
  function renderTools(results, picked, topics, facet) {
    sortChoice.value = state.sort === "date" ? "date" : "";
    const years = new Map();
    const authors = new Map();
    for (const result of results) {
      const doc = parseInt(result.ref, 36);
      if (passes(doc, picked, topics, facet, "year")) {
        const year = Math.floor(facet.dates[doc] / 10000);
        if (year) years.set(year, (years.get(year) || 0) + 1);
      }
      if (passes(doc, picked, topics, facet, "author")) {
        for (const n of facet.people.of[doc]) authors.set(n, (authors.get(n) || 0) + 1);
      }
    }
    const [from, to] = picked.years;
    for (const bound of [from, to]) if (bound && !years.has(bound)) years.set(bound, 0);
    const ordered = Array.from(years).sort((a, b) => b[0] - a[0]);
    // Each choice's count is what choosing it shows: "From 2021" the papers of 2021 and
    // after (up to the chosen end), "To 2016" those of 2016 and before (from the start).
    const within = (low, high) =>
      ordered.reduce((sum, [year, count]) => sum + ((!low || year >= low) && (!high || year <= high) ? count : 0), 0);
    yearFrom.replaceChildren(
      option("", "Any year", !from),
      // (a From after the chosen To moves the To along: see the change handler)
      ...ordered.map(([year]) => option(String(year), `${year} (${within(year, !to ? 0 : Math.max(to, year))})`, year === from)),
    );
    yearTo.replaceChildren(
      option("", "Any year", !to),
      ...ordered.map(([year]) => option(String(year), `${year} (${within(!from ? 0 : Math.min(from, year), year)})`, year === to)),
    );
    const names = facet.people.names;
    const top = Array.from(authors)
      .sort((a, b) => b[1] - a[1] || names[a[0]][0].localeCompare(names[b[0]][0]))
      .slice(0, AUTHOR_CHOICES);
    if (picked.author >= 0 && !top.some(([n]) => n === picked.author)) top.push([picked.author, authors.get(picked.author) || 0]);
    authorChoice.replaceChildren(
      option("", "All authors", picked.author < 0),
      ...top.map(([n, count]) => option(names[n][1], `${names[n][0]} (${count})`, n === picked.author)),
    );
    yearFrom.disabled = yearTo.disabled = ordered.length === 0;
    authorChoice.disabled = top.length === 0;
  }
  let lastRender = null;
  // Each paper's topics (search/topics.js): `of[doc]` holds a character of `codes` for
  // each of its topics (the n-th character for topic n).
  let topicTable = null;
  function topicData() {
    return dataFile("topics", "search/topics.js").then(
      (data) => (topicTable ||= { codes: data.codes, of: data.of.split(",") }),
    );
  }
  let rendering = 0;
  // Search, then show the first results once their records (and the topics, for the
  // filter's counts) have arrived; a newer search on the way makes this one give up.
  function render() {
    const ticket = ++rendering;
    const asked = state.q; // (typing changes state.q before its search starts)
    const query = asked.trim();
    pageInput.value = asked;
    if (!query) {
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      more.hidden = true;
      if (pageStatus.textContent !== hint) pageStatus.textContent = hint;
      filter.hidden = true;
      tools.hidden = true;
      return Promise.resolve();
    }
    list.setAttribute("aria-busy", "true"); // until this search's results are shown
    const needed = Boolean(state.sort || state.year || state.author);
    return Promise.all([
      search(asked, { prefix: true }),
      engine(),
      topicData(),
      needed ? facets() : Promise.resolve(null),
    ])
      .then(([found, { core }, topics, facet]) => {
        const picked = picks(core, facet);
        const shown = narrowed(found.results, picked, topics, facet);
        // The first few rows come first (a few small files), the rest of the page after.
        return records(core, shown.slice(0, FIRST_ROWS)).then((rows) => {
          if (ticket !== rendering) return undefined;
          showResults(core, topics, found, shown, rows, picked, facet, query);
          const later = facet ? Promise.resolve(facet) : facets();
          later
            .then((loaded) => {
              if (ticket === rendering) renderTools(found.results, picks(core, loaded), topics, loaded);
            })
            .catch(() => undefined);
          return records(core, shown.slice(FIRST_ROWS, PAGE_SIZE)).then((rest) => {
            if (ticket === rendering) appendResults(rest);
          });
        });
      })
      .catch((error) => {
        if (ticket !== rendering) return;
        list.removeAttribute("aria-busy");
        pageStatus.textContent = `Search could not load (${error.message}). Check the connection and search again.`;
      });
  }
  // The status names `query`, the words these results are for (the box may hold more).
  function showResults(core, topics, { results, typo, complete, words, phrased, phrases }, shown, rows, picked, facet, query) {
    list.replaceChildren();
    const counts = {};
    let total = 0;
    for (const result of results) {
      const doc = parseInt(result.ref, 36);
      if (!passes(doc, picked, topics, facet, "topic")) continue;
      total += 1;
      for (const code of topics.of[doc]) {
        const n = topics.codes.indexOf(code);
        counts[n] = (counts[n] || 0) + 1;
      }
    }
    renderFilter(core, counts, total);
    tools.hidden = false;
    const filtered = picked.topic >= 0 || picked.years[0] || picked.years[1] || picked.author >= 0;
    // Of those shown, how many hold every word of the query, and its phrases (they come first).
    const rank = new Map(results.map((result, i) => [result, i]));
    const whole = filtered ? shown.filter((result) => rank.get(result) < complete).length : complete;
    const together = filtered ? shown.filter((result) => rank.get(result) < phrased).length : phrased;
    lastRender = { core, shown, count: 0 };
    appendResults(rows, shown.length <= FIRST_ROWS);
    // Lets benchmarks/search_latency.py read the time from navigation to first results.
    if (!performance.getEntriesByName("papersite-results").length) {
      performance.mark("papersite-results");
    }
    const where = described(core, picked, facet);
    if (!shown.length) {
      // When the filters leave none of the papers the words found, say so, not "fewer words".
      const advice = results.length ? `${plural(results.length)} without the filters` : "Try fewer or shorter words";
      pageStatus.textContent = `No papers match “${query}”${where}. ${advice}.`;
    } else if (state.sort === "date" && facet) {
      pageStatus.textContent = `${plural(shown.length)}${where} for “${query}”, newest first`;
    } else if (phrases.length) {
      const named = phrases.map((phrase) => `“${phrase}”`).join(" and ");
      pageStatus.textContent =
        `${plural(together)} with ${named}${where}` +
        (shown.length > together ? `, then ${shown.length - together} with its words apart or some of them` : "");
    } else if (typo) {
      pageStatus.textContent = `${plural(shown.length)}${where} for words like “${query}”`;
    } else if (words > 1 && whole < shown.length) {
      pageStatus.textContent =
        `${plural(whole)} with all of “${query}”${where}` +
        `, then ${shown.length - whole} with some of its words`;
    } else {
      pageStatus.textContent = `${plural(shown.length)}${where} for “${query}”`;
    }
  }
  // The filters chosen, as words: " in Vision transformers from 2021 to 2023 by Kaiming He".
  function described(core, picked, facet) {
    let where = picked.topic >= 0 ? ` in ${core.topics[picked.topic][0]}` : "";
    const [from, to] = picked.years;
    if (from && from === to) where += ` from ${from}`;
    else if (from && to) where += ` from ${from} to ${to}`;
    else if (from) where += ` from ${from} on`;
    else if (to) where += ` up to ${to}`;
    if (picked.author >= 0) where += ` by ${facet.people.names[picked.author][0]}`;
    return where;
  }
  function plural(count) {
    return `${count} paper${count === 1 ? "" : "s"}`;
  }
  // Cards for the next results of the last search, and the button for the ones after.
  // (The button waits while the rest of the first page is on its way.)
  function appendResults(rows, final = true) {
    const { core, shown } = lastRender;
    const results = shown.slice(lastRender.count, lastRender.count + rows.length);
    const cards = rows.map((row, i) => resultCard(core, row, results[i].terms));
    list.append(...cards);
    deepen(core, results, cards);
    lastRender.count += rows.length;
    // Busy until the page's last rows are in (the first few come before the rest).
    if (final) list.removeAttribute("aria-busy");
    else list.setAttribute("aria-busy", "true");
    const left = shown.length - lastRender.count;
    more.hidden = left <= 0 || !final;
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more (${lastRender.count} of ${shown.length} shown)`;
  }
  function showMore() {
    const { core, shown, count } = lastRender;
    const ticket = rendering;
    return records(core, shown.slice(count, count + PAGE_SIZE)).then((rows) => {
      if (ticket !== rendering) return 0;
      appendResults(rows);
      return rows.length;
    });
  }
  function update(push) {
    writeUrl(push);
    return render();
  }

  // Typing writes the query into an entry of its own (see typedEntry, above writeUrl).
  pageInput.addEventListener("input", () => {
    state = { ...state, q: pageInput.value };
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      update(!typedEntry && !shown());
      typedEntry = true;
    }, 120);
  });
  page.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typingTimer);
    state = { ...state, q: pageInput.value };
    update(!typedEntry && !shown());
    settle();
  });
  filter.addEventListener("change", (event) => {
    state = { ...state, topic: event.target.value };
    update(true);
  });
  sortChoice.addEventListener("change", () => {
    state = { ...state, sort: sortChoice.value };
    update(true);
  });
  for (const bound of [yearFrom, yearTo]) {
    bound.addEventListener("change", () => {
      let [from, to] = [Number(yearFrom.value) || 0, Number(yearTo.value) || 0];
      if (from && to && from > to) [from, to] = bound === yearFrom ? [from, from] : [to, to];
      state = { ...state, year: yearText(from, to) };
      update(true);
    });
  }
  authorChoice.addEventListener("change", () => {
    state = { ...state, author: authorChoice.value };
    update(true);
  });
  window.addEventListener("popstate", () => {
    settle();
    state = readUrl();
    render();
  });
  function start() {
    render();
  }
  // With a query, search at once; without one, the index (already preloaded by the page)
  // is read when the visitor reaches for the search box, not while the page is loading.
  if (state.q.trim()) start();
  else pageInput.addEventListener("focus", start, { once: true });
})();
