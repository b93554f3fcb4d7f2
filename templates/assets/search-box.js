// papersite search, the header box: an ARIA combobox whose suggestions come from
// search-engine.js as the visitor types.
"use strict";

(function () {
  const form = document.querySelector("form.site-search");
  if (!form) return;
  const engineApi = window.papersiteSearchEngine;
  if (!engineApi) return;
  const { search, records, engine, paperHref, searchPageHref, highlighted, element } = engineApi;
  const SUGGESTIONS = 8;

  const input = document.getElementById("site-search-input");
  const listbox = document.getElementById(input.getAttribute("aria-controls"));
  const status = form.querySelector("[role=status]");
  let active = -1;

  function options() {
    return Array.from(listbox.querySelectorAll(".suggestion:not([hidden]) > [role=option]"));
  }
  // Only whole suggestions, above the bottom of the screen: on a phone, one cut in half
  // reads as part of the page behind it. "See all" always stays.
  function fitSuggestions() {
    const limit = window.innerHeight - 8;
    const papers = Array.from(listbox.querySelectorAll(".suggestion:not(:has(#suggestion-all))"));
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
  // Each suggestion is a link that is itself the option (a link inside an option is an
  // interactive control nested in another, which screen readers cannot reach).
  function option(id, href, children) {
    const link = element("a", "", children);
    link.href = href;
    link.tabIndex = -1;
    link.id = id;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    const item = element("li", "suggestion", [link]);
    item.setAttribute("role", "none");
    item.addEventListener("mousedown", (event) => event.preventDefault());
    return item;
  }
  // The suggestions for `text`, unless the box says something else by the time they come.
  function suggest(text) {
    if (!text.trim()) {
      listbox.replaceChildren();
      close();
      status.textContent = "";
      return Promise.resolve();
    }
    return search(text, { prefix: true })
      .then((found) =>
        engine().then(({ core }) =>
          records(core, found.results.slice(0, SUGGESTIONS)).then((rows) => {
            if (input.value === text) showSuggestions(core, text, found, rows);
          }),
        ),
      )
      .catch((error) => {
        status.textContent = "Search could not load: " + error.message;
      });
  }
  function showSuggestions(core, text, { results, typo }, rows) {
    listbox.replaceChildren();
    setActive(-1);
    const fuzzy = typo;
    rows.forEach(({ title, slug, topics: topicNumbers }, i) => {
      const result = results[i];
      const topics = topicNumbers.map((n) => core.topics[n][0]).join(", ");
      listbox.append(
        option("suggestion-" + i, paperHref(slug), [
          element("span", "suggestion-title", [highlighted(title, result.terms)]),
          element("span", "suggestion-topics", [topics]),
        ]),
      );
    });
    const summary = results.length
      ? (fuzzy ? "Some words corrected; " : "") +
        `See all ${results.length} result${results.length === 1 ? "" : "s"}`
      : `No papers match “${text.trim()}”`;
    listbox.append(option("suggestion-all", searchPageHref(text), [element("span", "suggestion-all", [summary])]));
    listbox.hidden = false;
    fitSuggestions();
    input.setAttribute("aria-expanded", "true");
    status.textContent = results.length
      ? `${results.length} result${results.length === 1 ? "" : "s"}${fuzzy ? " for similar words" : ""}`
      : `No papers match ${text.trim()}`;
  }

  input.addEventListener("focus", () => engine().catch(() => {}));
  input.addEventListener("input", () => suggest(input.value));
  input.addEventListener("keydown", (event) => {
    const all = options();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      if (listbox.hidden) suggest(input.value);
      setActive((active + 1) % all.length);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      setActive(active <= 0 ? all.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = active >= 0 ? all[active] : null;
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
})();
