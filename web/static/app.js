// Progressive enhancement only: every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // The customer switcher submits as soon as a customer is picked.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
    var btn = sel.form.querySelector("button");
    if (btn) { btn.hidden = true; }
  });
  // A link to a confirmation page opens the same question in a dialog on this page instead.
  document.querySelectorAll("a[data-dialog]").forEach(function (a) {
    var d = document.getElementById(a.getAttribute("data-dialog"));
    if (!d || typeof d.showModal !== "function") { return; }
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      d.showModal();
      var first = d.querySelector("textarea, [data-keep]");
      if (first) { first.focus(); }
    });
  });
  // On a phone a list's filters start closed behind their button, unless one is in use; on a
  // wider screen they are always open (the button is not shown there).
  var phone = window.matchMedia("(max-width: 600px)");
  document.querySelectorAll("details[data-filter-sheet]").forEach(function (d) {
    if (phone.matches && d.getAttribute("data-filter-sheet") === "0") { d.open = false; }
    phone.addEventListener("change", function () { if (!phone.matches) { d.open = true; } });
  });
  // After a column was moved, its chooser opens again where it was.
  if (location.hash === "#columns") {
    var ch = document.getElementById("columns");
    if (ch) { ch.open = true; }
  }
  // A submitted form cannot be sent twice by a double click.
  document.querySelectorAll("form[method=post]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (ev.defaultPrevented) { return; }
      f.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});
// Copy buttons (pay by bank transfer) show where the clipboard can be written; a message thread
// records when the person read it, so Home shows only answers newer than that.
document.addEventListener("DOMContentLoaded", function () {
  if (navigator.clipboard) {
    document.querySelectorAll("button[data-copy]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
          var label = b.textContent;
          b.textContent = "✓";
          setTimeout(function () { b.textContent = label; }, 1500);
        });
      });
    });
  }
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }
  document.querySelectorAll("[data-seen-doc]").forEach(function (s) {
    store.setItem("cc-seen:" + s.getAttribute("data-seen-doc"), String(Math.floor(Date.now() / 1000)));
  });
  document.querySelectorAll("[data-answers]").forEach(function (box) {
    var left = 0;
    box.querySelectorAll("[data-answer-doc]").forEach(function (li) {
      var seen = Number(store.getItem("cc-seen:" + li.getAttribute("data-answer-doc")) || 0);
      if (seen >= Number(li.getAttribute("data-answer-time"))) { li.hidden = true; } else { left++; }
    });
    if (left === 0) { box.hidden = true; }
  });
});
// New Order keeps the order as a draft in the ERP system: the server saves it with every press of
// a button; typing is saved after a pause of two seconds, and what is still unsaved when the page
// is left is sent then, so leaving never loses a quantity typed.
document.addEventListener("DOMContentLoaded", function () {
  var f = document.querySelector("form[data-draft-form]");
  if (!f || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  var timer = null, dirty = false;
  function body() { // sent as a form is: the server takes no multipart bodies
    var d = new URLSearchParams(new FormData(f));
    d.append("save", "1");
    return d;
  }
  function save() {
    timer = null;
    if (!dirty) { return; }
    dirty = false;
    fetch(f.action, { method: "POST", body: body(), credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) { dirty = true; return; }
        if (j.refresh) { // placed or cancelled elsewhere, or joined by an earlier draft: the page says so
          var u = document.createElement("input");
          u.type = "hidden"; u.name = "update"; u.value = "1";
          f.appendChild(u);
          f.submit();
          return;
        }
        ["id", "id_sig", "order", "order_sig"].forEach(function (name) {
          var i = f.querySelector("input[name=" + name + "]");
          if (!i) { i = document.createElement("input"); i.type = "hidden"; i.name = name; f.appendChild(i); }
          i.value = j[name] || "";
        });
        if (!j.saved) { dirty = true; }
      })
      .catch(function () { dirty = true; });
  }
  f.addEventListener("input", function (ev) {
    if (ev.target.name === "q") { return; } // the product search is not part of the order
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 2000);
  });
  f.addEventListener("submit", function () { dirty = false; if (timer) { clearTimeout(timer); timer = null; } });
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) { navigator.sendBeacon(f.action, body()); dirty = false; }
  });
});
