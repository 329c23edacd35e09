/* Survey pages, progressively enhanced: reveal conditional questions as the GP answers, and save
   the page in the background (a short pause after a change, and when the tab is hidden or left).
   Without this file the page still works: every answer is saved when the GP continues. The
   server validates everything again; this file only decides when to send. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.getElementById("autosave-status");
  var DELAY_MS = 1500;
  var timer = null;
  var dirty = false;    // changed since the last save was sent
  var sending = false;  // one save at a time, so an older save never lands after a newer one

  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  function answersTo(item) {
    var values = [];
    form.querySelectorAll('[name="' + item + '"]').forEach(function (input) {
      if (input.closest("[hidden]")) return;
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value.trim()) values.push(input.value.trim());
    });
    return values;
  }

  // In document order, so a question hidden here also hides the questions that depend on it.
  function applyConditions() {
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      var item = element.getAttribute("data-show-if");
      if (!form.querySelector('[name="' + item + '"]')) return;  // answered on an earlier page
      var wanted = JSON.parse(element.getAttribute("data-show-values"));
      element.hidden = !answersTo(item).some(function (value) { return wanted.indexOf(value) !== -1; });
    });
  }

  function setMessage(fieldset, message) {
    var id = fieldset.id.slice(2);  // fieldsets are "q-<item id>"
    var paragraph = document.getElementById(id + "-error");
    var control = document.getElementById(id);
    if (message) {
      if (!paragraph) {
        paragraph = document.createElement("p");
        paragraph.className = "error";
        paragraph.id = id + "-error";
        fieldset.querySelector("legend").after(paragraph);
      }
      paragraph.textContent = message;
      fieldset.setAttribute("aria-describedby", paragraph.id);
    } else if (paragraph) {
      paragraph.remove();
      fieldset.removeAttribute("aria-describedby");
    }
    fieldset.classList.toggle("has-error", Boolean(message));
    if (control) {
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }

  // Show the server's message beside each invalid answer; clear messages the GP has since fixed,
  // but keep "please answer" messages for questions still unanswered.
  function showMessages(result) {
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var id = fieldset.id.slice(2);
      if (result.errors[id]) setMessage(fieldset, result.errors[id]);
      else if (result.unanswered.indexOf(id) === -1) setMessage(fieldset, null);
    });
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function save(leaving) {
    window.clearTimeout(timer);
    if (!dirty) return;
    if (sending && !leaving) {
      timer = window.setTimeout(save, DELAY_MS);
      return;
    }
    dirty = false;
    sending = true;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new FormData(form),  // includes the form's csrf_token
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: Boolean(leaving)
    }).then(function (response) {
      return response.json().then(function (result) {
        if (response.ok) {
          showMessages(result);
          say("Your answers on this page are saved.");
        } else {
          say(result.message);
        }
      });
    }).catch(function () {
      dirty = true;
      say("Not saved yet. Your answers will be saved when you continue.");
    }).then(function () {
      sending = false;
    });
  }

  function changed() {
    applyConditions();
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    dirty = false;  // the form's own save is on its way
    window.clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () { save(true); });
  applyConditions();
})();
