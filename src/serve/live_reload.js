// avisa serve: reloads the page after each successful rebuild, and shows a failed build's
// problems over the page (as text, never markup) until a build succeeds. It asks only the
// server it came from (the preview pages' Content-Security-Policy allows nothing else),
// and only while the page is shown: a browser keeps about six connections to a server, so
// the polls of many tabs in the background would hold up the pages asked for.
(() => {
  "use strict";
  const endpoint = "/.avisa/build";
  // the build the page comes from (`?build=` of this script's address): a page loaded
  // just as a newer build ended reloads at once
  const script = document.currentScript;
  const built = script ? new URL(script.src).searchParams.get("build") : null;
  // the last build this page was told of (the first question is answered at once)
  let seen = null;
  let box = null;
  let asking = null;

  const show = (text) => {
    if (!box) {
      box = document.createElement("pre");
      box.id = "avisa-build-problems";
      box.setAttribute("role", "alert");
      Object.assign(box.style, {
        position: "fixed", left: "0", right: "0", bottom: "0", maxHeight: "60vh",
        overflow: "auto", margin: "0", padding: "1em", zIndex: "2147483647",
        background: "#fff8f7", color: "#5c0f0a", borderTop: "4px solid #b3261e",
        font: "13px/1.45 ui-monospace, monospace", whiteSpace: "pre-wrap",
      });
      (document.body || document.documentElement).append(box);
    }
    box.textContent = "avisa serve: the last build failed. Fix what is below; the page reloads when a build succeeds.\n\n" + text;
  };

  const hide = () => {
    if (box) {
      box.remove();
      box = null;
    }
  };

  const shown = () =>
    document.visibilityState === "hidden"
      ? new Promise((resolve) => {
          document.addEventListener("visibilitychange", resolve, { once: true });
        })
      : null;

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && asking) asking.abort();
  });

  const poll = async () => {
    for (;;) {
      const wait = shown();
      if (wait) {
        await wait;
        continue;
      }
      let state;
      asking = new AbortController();
      try {
        const query = seen === null ? "" : "?since=" + encodeURIComponent(seen);
        const response = await fetch(endpoint + query, { cache: "no-store", signal: asking.signal });
        state = await response.json();
      } catch (e) {
        // hidden (asked again once shown), or the server is stopped or restarting
        if (!asking.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      } finally {
        asking = null;
      }
      const from = seen === null ? built : seen;
      if (from !== null && state.generation !== from && state.ok) {
        location.reload();
        return;
      }
      if (state.ok) hide(); else show(state.problems);
      seen = state.generation;
    }
  };

  poll();
})();
