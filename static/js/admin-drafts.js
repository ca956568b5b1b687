/* Admin drafts: what an editor types into an admin form is kept in this browser
 * (localStorage) until a save of that form succeeds, so a save that fails (database
 * gone, timeout, 503, conflict, a closed tab) never costs the typed work. On the next
 * visit to the same form, a notice offers the unsaved changes back.
 *
 * Loaded by airml.admin.ModelAdmin's Media (no inline script: the CSP forbids it).
 * Kept: text inputs, textareas, selects, checkboxes, radios and the form's edit
 * base (so the conflict check still compares against the version the draft was
 * typed on). Not kept: files, passwords, CSRF tokens, inline rows added after load.
 */
(function () {
  "use strict";

  var PREFIX = "airml-draft:";
  var SUBMITTED = "airml-draft-submitted";
  var MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  var SKIP_TYPES = { file: 1, password: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function store(kind) {
    try {
      var s = window[kind];
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null; // private mode, storage disabled or full: drafts are best effort
    }
  }
  var local = store("localStorage");
  var session = store("sessionStorage");
  if (!local || !session) return;

  function isVisibleText(el) {
    if (el.hidden || el.closest("[hidden]")) return false;
    if (el.tagName === "TEXTAREA") return true;
    return el.tagName === "INPUT" && /^(text|email|url|number|search|tel|date|time)?$/.test(el.type);
  }

  function findForm(main) {
    var byId = main.querySelector("form[id$='_form']");
    if (byId) return byId;
    var forms = main.querySelectorAll("form");
    for (var i = forms.length - 1; i >= 0; i--) {
      var f = forms[i];
      if ((f.method || "").toLowerCase() !== "post" || f.id === "changelist-form") continue;
      if (Array.prototype.some.call(f.elements, isVisibleText)) return f;
    }
    return null;
  }

  function kept(el) {
    if (!el.name || el.disabled || SKIP_TYPES[el.type]) return false;
    if (el.name === "csrfmiddlewaretoken") return false;
    if (el.type === "hidden") return /(^|-)_edit_base$/.test(el.name);
    return true;
  }

  function snapshot(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var value;
      if (el.type === "checkbox") value = el.checked;
      else if (el.type === "radio") {
        if (!el.checked) return;
        value = el.value;
      } else if (el.tagName === "SELECT" && el.multiple) {
        value = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else value = el.value;
      fields[el.name + (el.type === "checkbox" ? "#checked" : "")] = value;
    });
    return fields;
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function differs(draft, current) {
    return Object.keys(draft).some(function (name) {
      return !/_edit_base$/.test(name) && name in current && !same(draft[name], current[name]);
    });
  }

  function apply(form, fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      if (el.type === "checkbox") {
        if (el.name + "#checked" in fields) el.checked = !!fields[el.name + "#checked"];
      } else if (el.type === "radio") {
        if (el.name in fields) el.checked = el.value === fields[el.name];
      } else if (el.name in fields) {
        var value = fields[el.name];
        if (el.tagName === "SELECT" && el.multiple && Array.isArray(value)) {
          Array.prototype.forEach.call(el.options, function (o) {
            o.selected = value.indexOf(o.value) !== -1;
          });
        } else if (typeof value === "string") {
          el.value = value;
        }
        // The Markdown editor renders its preview on input.
        if (el.tagName === "TEXTAREA") el.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  function read(key) {
    try {
      var draft = JSON.parse(local.getItem(key) || "null");
      if (draft && draft.fields && Date.now() - draft.saved < MAX_AGE_MS) return draft;
    } catch (e) { /* a damaged entry is dropped below */ }
    local.removeItem(key);
    return null;
  }

  function write(key, form) {
    try {
      local.setItem(key, JSON.stringify({ saved: Date.now(), fields: snapshot(form) }));
    } catch (e) { /* storage full: nothing more to do */ }
  }

  function notice(form, key, draft) {
    var box = document.createElement("ul");
    box.className = "messagelist airml-draft-notice";
    var item = document.createElement("li");
    item.className = "warning";
    item.setAttribute("role", "alert");
    var when = new Date(draft.saved).toLocaleString();
    item.appendChild(document.createTextNode(
      "This form has changes you typed on " + when + " that were not saved. "));
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button airml-draft-restore";
    restore.textContent = "Restore my changes";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button airml-draft-discard";
    discard.textContent = "Discard them";
    item.appendChild(restore);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(discard);
    box.appendChild(item);
    form.parentNode.insertBefore(box, form);
    restore.addEventListener("click", function () {
      apply(form, draft.fields);
      item.textContent = "Your unsaved changes are back in the form. Check them, then save.";
      item.className = "info";
    });
    discard.addEventListener("click", function () {
      local.removeItem(key);
      box.remove();
    });
    restore.focus();
  }

  function start() {
    var main = document.getElementById("content-main");
    if (!main) return;
    var submitted = session.getItem(SUBMITTED);
    if (submitted) {
      session.removeItem(SUBMITTED);
      // Saved: the admin shows its success message on the page it sends the editor to.
      if (document.querySelector(".messagelist .success")) local.removeItem(submitted);
    }
    var form = findForm(main);
    if (!form) return;
    var key = PREFIX + window.location.pathname + (form.id ? "#" + form.id : "");
    var draft = read(key);
    if (draft && differs(draft.fields, snapshot(form))) notice(form, key, draft);

    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { write(key, form); }, 300);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // Any form of the page (the BibTeX preview's "Import these entries" too) saves it.
    Array.prototype.forEach.call(main.querySelectorAll("form"), function (f) {
      if ((f.method || "").toLowerCase() !== "post") return;
      f.addEventListener("submit", function () {
        window.clearTimeout(timer);
        if (read(key) || f === form) write(key, form);
        session.setItem(SUBMITTED, key);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
