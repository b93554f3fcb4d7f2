// Opened from disk (file://), a link to "papers/x/" would show a folder listing:
// point such links (and forms) at the folder's index.html. On the web, nothing changes.
if (location.protocol === "file:") {
  const local = (url) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(url);
  for (const anchor of document.querySelectorAll("a[href]")) {
    const href = anchor.getAttribute("href");
    if (!local(href)) continue;
    const [path, fragment] = href.split("#");
    if (path === "" || !path.endsWith("/")) continue;
    anchor.setAttribute("href", path + "index.html" + (fragment ? "#" + fragment : ""));
  }
  for (const form of document.querySelectorAll("form[action]")) {
    const action = form.getAttribute("action");
    if (local(action) && action.endsWith("/")) form.setAttribute("action", action + "index.html");
  }
}

// "Copy BibTeX" on paper pages: the citation is a code block under the "Cite" heading.
for (const block of document.querySelectorAll("h2#cite + pre")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy BibTeX";
  const status = document.createElement("span");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    const text = block.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      // No clipboard API (e.g. a page opened from disk): copy through a selection.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    status.textContent = "Copied";
    setTimeout(() => (status.textContent = ""), 2000);
  });
  const bar = document.createElement("div");
  bar.className = "copy-bar";
  bar.append(button, status);
  block.before(bar);
}

// The theme button: auto (the system's), light, dark, in turn; the choice is remembered
// (the page's head applies it before anything is drawn).
const toggle = document.querySelector(".theme-toggle");
if (toggle) {
  const themes = ["auto", "light", "dark"];
  const names = { auto: "Auto", light: "Light", dark: "Dark" };
  const marks = { auto: "◐", light: "☀", dark: "☾" };
  const current = () => document.documentElement.dataset.theme || "auto";
  const show = () => {
    const theme = current();
    const mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = marks[theme];
    const name = document.createElement("span");
    name.className = "theme-name";
    name.textContent = names[theme];
    toggle.replaceChildren(mark, name);
    toggle.setAttribute("aria-label", `Theme: ${names[theme]}${theme === "auto" ? " (as your system)" : ""}. Change theme`);
  };
  toggle.addEventListener("click", () => {
    const next = themes[(themes.indexOf(current()) + 1) % themes.length];
    if (next === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
    try {
      if (next === "auto") localStorage.removeItem("papersite-theme");
      else localStorage.setItem("papersite-theme", next);
    } catch (error) {
      // No storage (a private window, say): the choice holds for this page only.
    }
    show();
  });
  show();
}

// Rows that scroll sideways (data-scrolls: the header's sections on a narrow phone, the
// search page's topic choices): the stylesheet fades an edge the row goes on past, so a
// cut word reads as "there is more". A script that refills a row sends it a scroll event.
// The section the page is in is scrolled into the row's view, never cut at its edge.
for (const row of document.querySelectorAll("[data-scrolls]")) {
  const current = row.querySelector("[aria-current]");
  if (current) {
    const past = current.getBoundingClientRect().right - row.getBoundingClientRect().right;
    if (past > 0) row.scrollLeft += past + 16;
  }
  const mark = () => {
    const more = [];
    if (row.scrollLeft > 1) more.push("left");
    if (row.scrollLeft + row.clientWidth < row.scrollWidth - 1) more.push("right");
    row.dataset.more = more.join(" ");
  };
  row.addEventListener("scroll", mark, { passive: true });
  new ResizeObserver(mark).observe(row);
}
