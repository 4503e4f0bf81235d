/* The inspection form on a phone: each answer is posted as soon as it is given
 * (action=autosave), and answers not yet acknowledged are kept in localStorage, so a lost
 * connection loses nothing: they are put back into the form when the page opens again and
 * sent when the connection returns. Without JavaScript the form posts as a plain form. */
(function () {
  "use strict";
  var form = document.getElementById("inspection-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var key = "shuangliang:" + form.dataset.storageKey;
  var status = form.querySelector(".autosave-status");
  var FIELD = /^(a|na|n)(\d+)$/;
  var sending = false;
  var retry = null;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(pending) {
    try {
      if (Object.keys(pending).length) { window.localStorage.setItem(key, JSON.stringify(pending)); }
      else { window.localStorage.removeItem(key); }
    } catch (e) { /* storage full or disabled: the answer is still sent */ }
  }
  function show(text, offline) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("offline", !!offline);
  }
  // The current fields of one item, as the server reads them.
  function fieldsOf(id) {
    var out = {};
    var checked = form.querySelector('input[name="a' + id + '"]:checked');
    var number = form.querySelector('input[type=number][name="a' + id + '"]');
    if (checked) { out["a" + id] = checked.value; }
    if (number) { out["a" + id] = number.value; }
    var na = form.querySelector('input[name="na' + id + '"]');
    if (na && na.checked) { out["na" + id] = "on"; }
    var note = form.querySelector('input[name="n' + id + '"]');
    if (note) { out["n" + id] = note.value; }
    return out;
  }
  function restore(pending) {
    Object.keys(pending).forEach(function (id) {
      var fields = pending[id];
      Object.keys(fields).forEach(function (name) {
        var value = fields[name];
        var inputs = form.querySelectorAll('input[name="' + name + '"]');
        inputs.forEach(function (input) {
          if (input.type === "radio") { input.checked = input.value === value; }
          else if (input.type === "checkbox") { input.checked = value === "on"; }
          else { input.value = value; }
        });
      });
      var na = form.querySelector('input[type=checkbox][name="na' + id + '"]');
      if (na && !("na" + id in fields)) { na.checked = false; }
    });
  }
  function send() {
    var pending = load();
    var ids = Object.keys(pending);
    if (!ids.length || sending) { return; }
    if (navigator.onLine === false) { show(form.dataset.msgOffline, true); return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    body.append("action", "autosave");
    ids.forEach(function (id) {
      Object.keys(pending[id]).forEach(function (name) { body.append(name, pending[id][name]); });
    });
    var sent = JSON.stringify(pending);
    sending = true;
    show(form.dataset.msgSaving, false);
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function () {
      var now = load();
      // Drop what was acknowledged, unless it changed again while it was on its way.
      ids.forEach(function (id) {
        if (JSON.stringify(now[id]) === JSON.stringify(JSON.parse(sent)[id])) { delete now[id]; }
      });
      store(now);
      show(form.dataset.msgSaved, false);
    }).catch(function () {
      show(navigator.onLine === false ? form.dataset.msgOffline : form.dataset.msgError, true);
      clearTimeout(retry);
      retry = setTimeout(send, 15000);
    }).then(function () {
      sending = false;
      if (Object.keys(load()).length && JSON.stringify(load()) !== sent) { send(); }
    });
  }
  function remember(event) {
    var match = FIELD.exec(event.target.name || "");
    if (!match) { return; }
    var pending = load();
    pending[match[2]] = fieldsOf(match[2]);
    store(pending);
    send();
  }
  var pending = load();
  if (Object.keys(pending).length) { restore(pending); send(); }
  form.addEventListener("change", remember);
  window.addEventListener("online", send);
})();
