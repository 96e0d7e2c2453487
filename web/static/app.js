// Progressive enhancement only: every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // The customer switcher submits as soon as a customer is picked.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
    var btn = sel.form.querySelector("button");
    if (btn) { btn.hidden = true; }
  });
  // Forms that change something ask first, with the text the server put on them.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { ev.preventDefault(); }
    });
  });
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
