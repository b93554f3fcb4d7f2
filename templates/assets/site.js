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
