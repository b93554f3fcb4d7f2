// Opened from disk (file://), a link to "papers/x/" would show a folder listing:
// point such links at the folder's index.html instead. On the web, nothing changes.
if (location.protocol === "file:") {
  for (const anchor of document.querySelectorAll("a[href]")) {
    const href = anchor.getAttribute("href");
    if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(href)) continue;
    const [path, fragment] = href.split("#");
    if (path === "" || !path.endsWith("/")) continue;
    anchor.setAttribute("href", path + "index.html" + (fragment ? "#" + fragment : ""));
  }
}
