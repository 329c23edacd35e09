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
