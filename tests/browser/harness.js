// Test-only driver, evaluated in the page over DevTools (never shipped): feeds inputs
// through the reader's own paths (a real `drop` DragEvent with a DataTransfer of File
// objects, the paste box and its button) and reads the result back from the DOM.
(() => {
  const root = () => document.querySelector(".avisa-checker");
  const box = () => root().querySelector(".avisa-checker-result");
  const T = {};
  T.ready = () =>
    document.readyState === "complete" &&
    !!root() &&
    (root().classList.contains("is-ready") || root().hasAttribute("data-checker-error"));
  T.drop = (files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    const zone = root().querySelector(".avisa-checker-drop");
    for (const type of ["dragenter", "dragover", "drop"]) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
    return box().hasAttribute("data-verdict");
  };
  // Drops the Files held by a (test-created) file input, timing drop → verdict.
  T.dropFromInput = (selector) => {
    const files = document.querySelector(selector).files;
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    const zone = root().querySelector(".avisa-checker-drop");
    T.timing = { start: performance.now(), end: null };
    const observer = new MutationObserver(() => {
      if (box().hasAttribute("data-verdict") && T.timing.end === null) {
        T.timing.end = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(box(), { attributes: true, attributeFilter: ["data-verdict"] });
    for (const type of ["dragenter", "dragover", "drop"]) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
    return files.length;
  };
  T.elapsedMs = () => (T.timing && T.timing.end !== null ? T.timing.end - T.timing.start : null);
  T.paste = (text) => {
    const area = root().querySelector(".avisa-checker-text");
    area.focus();
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    root().querySelector(".avisa-checker-check").click();
    return box().hasAttribute("data-verdict");
  };
  T.settled = (timeoutMs) =>
    new Promise((resolve) => {
      const t0 = Date.now();
      (function poll() {
        if (box().hasAttribute("data-verdict")) resolve(true);
        else if (Date.now() - t0 > timeoutMs) resolve(false);
        else setTimeout(poll, 10);
      })();
    });
  T.report = () => {
    const b = box();
    const view = b.querySelector(".avisa-log-view");
    const attr = (sel, name) => [...b.querySelectorAll(sel)].map((e) => e.getAttribute(name));
    return {
      checker_error: root().getAttribute("data-checker-error"),
      hidden: b.hidden,
      verdict: b.getAttribute("data-verdict"),
      message_key: b.getAttribute("data-message"),
      engine: b.getAttribute("data-engine"),
      verdict_class: (b.querySelector(".avisa-verdict") || {}).className || null,
      label: (b.querySelector(".avisa-verdict-label") || {}).textContent || null,
      message: (b.querySelector(".avisa-verdict-message") || {}).textContent || null,
      highlight: attr(".avisa-log-match", "data-line"),
      evidence: attr(".avisa-log-evidence", "data-line"),
      every_match_marked: [...b.querySelectorAll(".avisa-log-match")].every((e) => !!e.querySelector("mark")),
      notes: [...b.querySelectorAll(".avisa-note")].map((e) => ({ class: e.className, text: e.textContent })),
      view_text: view ? view.textContent : "",
      view_elements_script_or_a: view ? view.querySelectorAll("script, a").length : -1,
      escapes: view ? [...view.querySelectorAll(".avisa-ctl")].map((e) => e.textContent) : [],
      doc_scripts: document.querySelectorAll("script").length,
      doc_links: document.querySelectorAll("a").length,
      progress_hidden: root().querySelector(".avisa-checker-progress").hidden,
    };
  };
  window.__avisaTest = T;
  return true;
})()
