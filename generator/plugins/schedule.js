// The schedule plugin's sessions, split on the visitor's today (the page lists them all,
// by day): on the Schedule page, upcoming ones first, then past ones newest first; on
// the home page, the next session alone (the section stays hidden when none is to come).
(() => {
  const pad = (number) => String(number).padStart(2, "0");
  const now = new Date();
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const days = (root) => [...root.querySelectorAll("li[data-day]")];

  const all = document.querySelector("[data-sessions=all]");
  const upcoming = document.querySelector("[data-sessions=upcoming]");
  if (all && upcoming) {
    const coming = days(all).filter((item) => item.dataset.day >= today);
    const past = days(all).filter((item) => item.dataset.day < today).reverse();
    if (coming.length) {
      upcoming.querySelector("ol").append(...coming);
      upcoming.hidden = false;
    }
    all.querySelector("ol").append(...past);
    all.hidden = past.length === 0;
    const heading = all.querySelector("h2");
    if (coming.length) heading.textContent = heading.dataset.past;
  }

  const next = document.querySelector("[data-next-session]");
  if (next) {
    const first = days(next).find((item) => item.dataset.day >= today);
    for (const item of days(next)) if (item !== first) item.remove();
    next.hidden = first === undefined;
  }
})();
