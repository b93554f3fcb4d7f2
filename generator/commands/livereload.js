// papersite serve: reload on rebuild, swap CSS in place, show build errors.
// Injected only into pages served by `python -m generator serve`, never into `build` output.
(() => {
  const script = document.currentScript;
  let build = Number(script.dataset.build);
  const scrollKey = "papersite-scroll:" + location.pathname + location.search;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const restore = () => window.scrollTo(0, Number(saved));
    restore();
    window.addEventListener("load", restore);
  }

  // Once a reload is asked for, the page neither listens nor relays: its stream and
  // channel are closed before it goes, not as it goes (Chromium's renderer could crash when
  // several tabs reloaded at once with them still open), and the stream's lock is given
  // back (or, handed on by a tab that went first, passed on) at once. A reload the reader
  // stops (Stop, Esc: `serve` holds it while it rebuilds) leaves the page here: it joins
  // again, as of the build it was told of, so it is not reloaded again until the next one.
  let leaving = false;
  let navigations = 0;
  if (window.navigation) navigation.addEventListener("navigate", () => navigations++);
  function reload(version) {
    leaving = true;
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    hangUp();
    if (channel) channel.close();
    channel = null;
    if (window.navigation) {
      // A navigateerror may be another navigation's (one this reload cut short), or this
      // reload's cut short by the reader's click: only if no navigation began since is
      // the reload stopped.
      const failed = () => {
        const seen = navigations;
        setTimeout(() => {
          if (!leaving) return;
          if (navigations !== seen) {
            navigation.addEventListener("navigateerror", failed, { once: true });
            return;
          }
          leaving = false;
          sessionStorage.removeItem(scrollKey);
          build = Math.max(build, version);
          join();
          if (channel) channel.postMessage({ type: "joined" });
        });
      };
      navigation.addEventListener("navigateerror", failed, { once: true });
    }
    location.reload();
  }

  function stylesChanged(version) {
    hideError();
    swapStylesheets(version);
    build = version;
  }

  function swapStylesheets(version) {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("papersite-build", version);
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove());
      link.after(fresh);
    }
  }

  let overlay = null;
  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "papersite-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:auto 1rem 1rem 1rem;z-index:2147483647;max-height:50vh;" +
        "overflow:auto;background:#2b0d0d;color:#ffe4e4;border:2px solid #ff6b6b;" +
        "border-radius:10px;padding:1rem 1.25rem;font:14px/1.5 ui-monospace,monospace;" +
        "box-shadow:0 10px 40px rgba(0,0,0,.5)";
      const title = document.createElement("strong");
      title.textContent = "Build failed — still showing the last good site";
      const text = document.createElement("pre");
      // Its own colours and box: the theme's pre style (a light surface) must not win.
      text.style.cssText =
        "margin:.5rem 0 0;padding:0;border:0;border-radius:0;background:transparent;" +
        "color:inherit;font:inherit;white-space:pre-wrap;overflow:visible";
      overlay.append(title, text);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }
  function hideError() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function handle(event) {
    if (event.type === "hello") {
      if (event.session !== script.dataset.session) reload(build);  // from an earlier serve
      else if (event.error) showError(event.error);
      else if (event.build === build) hideError();
      // Only the styles changed since this page's build (saved before its stream opened).
      else if (event.pages <= build && build < event.build) stylesChanged(event.build);
      else reload(event.build);
    } else if (event.type === "reload") {
      reload(event.build);
    } else if (event.type === "css") {
      stylesChanged(event.build);
    } else if (event.type === "error") {
      showError(event.message);
    }
  }
  if (script.dataset.error) showError(script.dataset.error);

  let source = null;
  let channel = null;
  let release = null;  // gives the stream's lock back, while this tab holds it
  // Closes the stream, and gives its lock back (without Web Locks: none to give).
  function hangUp() {
    if (source) source.close();
    source = null;
    if (release) release();
    release = null;
  }
  function listen(onEvent) {
    const stream = new EventSource(script.dataset.events);
    stream.onmessage = (message) => onEvent(JSON.parse(message.data));
    // A stream the browser closed for good (Stop or Esc pressed while the page was
    // loading) gives the lock back, and the tab joins again a second later.
    stream.onerror = () => {
      if (stream.readyState !== EventSource.CLOSED || stream !== source || leaving) return;
      hangUp();
      setTimeout(() => leaving || join(), 1000);
    };
    source = stream;
  }

  let join;
  if (navigator.locks && window.BroadcastChannel) {
    // One connection for all open tabs: the tab holding the lock listens and relays
    // events to the others, so tabs never exhaust the browser's per-host connection
    // limit. When it closes, another tab takes the lock (and its "hello" tells every
    // tab whether it missed a build).
    const name = "papersite-livereload:" + new URL(script.dataset.events, location.href).href;
    let asked = false;  // a request for the lock is waiting
    // While this tab holds the lock: its stream's events to every tab.
    const relay = (event) => {
      if (leaving) return;
      channel.postMessage(event);
      handle(event);
    };
    join = () => {
      if (!channel) {
        channel = new BroadcastChannel(name);
        // A tab that joins again (its reload stopped) missed what was said meanwhile: the
        // tab listening opens its stream again, and every tab hears the new hello.
        channel.onmessage = (message) => {
          if (message.data.type !== "joined") handle(message.data);
          else if (source && release) {
            source.close();
            listen(relay);
          }
        };
      }
      if (asked) return;
      asked = true;
      navigator.locks.request(name, () => {
        asked = false;
        if (leaving) return undefined;
        return new Promise((resolve) => {
          release = resolve;
          listen(relay);
        });
      });
    };
  } else {
    // Without Web Locks, a hidden tab gives its connection back; "hello" on return.
    const connect = () => leaving || source || listen(handle);
    document.addEventListener("visibilitychange", () => (document.hidden ? hangUp() : connect()));
    window.addEventListener("pagehide", hangUp);
    join = () => document.hidden || connect();
  }
  join();
  window.papersiteLiveReload = { connected: () => source !== null && source.readyState !== EventSource.CLOSED };
})();
