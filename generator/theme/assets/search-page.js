// papersite search, the search page: deep links (?q=&topic=), a topic filter with
// counts, results a page at a time, history; the searching is search-engine.js's.
"use strict";

(function () {
  const page = document.getElementById("search-page");
  if (!page) return;
  const engineApi = window.papersiteSearchEngine;
  if (!engineApi) return;
  const { search, records, deepen, dataFile, engine, searchPageHref, element, resultCard } = engineApi;
  const root = document.querySelector("form.site-search").dataset.root;
  const PAGE_SIZE = 20;
  const FIRST_ROWS = 5;

  const pageInput = document.getElementById("search-page-input");
  const pageStatus = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const filter = document.getElementById("topic-filter");
  const more = document.getElementById("search-more");
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
  function renderFilter(core, counts, total) {
    const choices = [["", "All topics", total]].concat(
      core.topics
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
    // With no results the box keeps its place (as reserved before the first paint), unseen:
    // nothing below it moves.
    filter.hidden = false;
    filter.classList.toggle("unused", total === 0);
    // On a phone the choices are one row that scrolls sideways: the chosen one in view.
    const chosen = filter.querySelector("input:checked");
    if (chosen) {
      const choice = chosen.parentElement.getBoundingClientRect();
      const box = filter.getBoundingClientRect();
      if (choice.right > box.right || choice.left < box.left) filter.scrollLeft += choice.left - box.left - 12;
    }
  }
  let lastRender = null;
  let rendering = 0;
  // Search, then show the first results once their records (and the topics, for the
  // filter's counts) have arrived; a newer search on the way makes this one give up.
  function render() {
    const ticket = ++rendering;
    const query = state.q.trim();
    pageInput.value = state.q;
    if (!query) {
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      more.hidden = true;
      if (pageStatus.textContent !== hint) pageStatus.textContent = hint;
      filter.hidden = true;
      return Promise.resolve();
    }
    return Promise.all([search(state.q, { prefix: true }), engine(), dataFile("topics", "search/topics.js")])
      .then(([found, { core }, topics]) => {
        const topicNumber = core.topics.findIndex(([, slug]) => slug === state.topic);
        const shown = found.results.filter((result) => topicNumber < 0 || topics[parseInt(result.ref, 36)].includes(topicNumber));
        // The first few rows come first (a few small files), the rest of the page after.
        return records(core, shown.slice(0, FIRST_ROWS)).then((rows) => {
          if (ticket !== rendering) return undefined;
          showResults(core, topics, found, shown, rows, topicNumber);
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
  function showResults(core, topics, { results, typo, complete, words, phrased, phrases }, shown, rows, topicNumber) {
    list.replaceChildren();
    list.removeAttribute("aria-busy");
    const counts = {};
    for (const result of results) {
      for (const n of topics[parseInt(result.ref, 36)]) counts[n] = (counts[n] || 0) + 1;
    }
    renderFilter(core, counts, results.length);
    // Of those shown, how many hold every word of the query (they come first).
    const whole = topicNumber < 0 ? complete : shown.filter((result) => results.indexOf(result) < complete).length;
    const together = topicNumber < 0 ? phrased : shown.filter((result) => results.indexOf(result) < phrased).length;
    lastRender = { core, shown, count: 0 };
    appendResults(rows, shown.length <= FIRST_ROWS);
    // Lets benchmarks/search_latency.py read the time from navigation to first results.
    if (!performance.getEntriesByName("papersite-results").length) {
      performance.mark("papersite-results");
    }
    const where = topicNumber >= 0 ? ` in ${core.topics[topicNumber][0]}` : "";
    const query = state.q.trim();
    if (!shown.length) {
      pageStatus.textContent = `No papers match “${query}”${where}. Try fewer or shorter words.`;
    } else if (phrases) {
      const named = Array.from(query.matchAll(/["\u201c\u201d\u201e]([^"\u201c\u201d\u201e]*)["\u201c\u201d\u201e]/g))
        .map((match) => `“${match[1].trim()}”`)
        .join(" and ");
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
  window.addEventListener("popstate", () => {
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
