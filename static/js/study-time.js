/* Module pages: measure active study time honestly and report it to the server.
   A second counts only while the page is visible (Page Visibility API) and the GP used it in the
   last two minutes (pointer, key, scroll, touch or input). The count for this page view is sent
   when the page opens (so the server knows the script runs), every 30 seconds while counting,
   when the tab is hidden or left (navigator.sendBeacon), and with the Next button's form.
   The server caps what it accepts by the time it saw the page open and a limit per page;
   without this script it counts the time open, at most the page's reading time. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-study-time]");
  if (!form) return;
  var url = form.getAttribute("data-study-time");
  var view = form.querySelector('input[name="view"]').value;
  var csrf = form.querySelector('input[name="csrf_token"]').value;
  var IDLE_MS = 2 * 60 * 1000;
  var HEARTBEAT_S = 30;
  var lastInput = Date.now();
  var active = 0;       // whole seconds counted for this page view
  var lastSent = -1;

  function used() { lastInput = Date.now(); }
  ["pointermove", "pointerdown", "keydown", "scroll", "wheel", "touchstart", "input"].forEach(function (name) {
    window.addEventListener(name, used, { passive: true, capture: true });
  });

  function counting() {
    return document.visibilityState === "visible" && Date.now() - lastInput < IDLE_MS;
  }

  function payload() {
    var data = new FormData();
    data.append("csrf_token", csrf);
    data.append("view", view);
    data.append("active_seconds", String(active));
    return data;
  }

  function send(leaving) {
    if (active === lastSent) return;
    lastSent = active;
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, payload());
      return;
    }
    fetch(url, { method: "POST", body: payload(), credentials: "same-origin", keepalive: Boolean(leaving) })
      .catch(function () { lastSent = -1; });
  }

  var field = document.createElement("input");
  field.type = "hidden";
  field.name = "active_seconds";
  form.appendChild(field);
  form.addEventListener("submit", function () {
    field.value = String(active);
    lastSent = active;  // the form carries it
  });

  window.setInterval(function () {
    if (!counting()) return;
    active += 1;
    if (active % HEARTBEAT_S === 0) send(false);
  }, 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send(true);
    else used();  // coming back to the tab is using it
  });
  window.addEventListener("pagehide", function () { send(true); });
  send(false);  // opened: from now on the server counts what this script reports
})();

/* Notes in the module's Reflection boxes: saved in the background a moment after typing stops and
   when the page is left, so moving on with "Next" never loses a note. Without this file, the
   "Save my note" button saves it. */
(function () {
  "use strict";
  var DELAY_MS = 1500;
  document.querySelectorAll("form[data-autosave-note]").forEach(function (form) {
    var area = form.querySelector("textarea");
    var status = form.querySelector(".note-status");
    var timer = null;
    var dirty = false;

    function say(text) { if (status) status.textContent = text; }

    function save(leaving) {
      window.clearTimeout(timer);
      if (!dirty) return;
      dirty = false;
      var data = new FormData(form);
      data.append("background", "1");  // answered with JSON, not a redirect and a message
      if (leaving && navigator.sendBeacon) {
        navigator.sendBeacon(form.action, data);
        return;
      }
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.json().then(function (result) { say(result.message); if (!response.ok) dirty = true; });
        })
        .catch(function () { dirty = true; say("Not saved yet. Use \u201cSave my note\u201d."); });
    }

    area.addEventListener("input", function () {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY_MS);
    });
    form.addEventListener("submit", function () { dirty = false; });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", function () { save(true); });
  });
})();
