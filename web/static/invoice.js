// The invoice page's PDF preview loads only when opened: each load asks Erp.Net to render the
// printout, which should not happen on every visit to the page. Without script, the page's
// "Open PDF" link shows the same file.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("details[data-preview]").forEach(function (d) {
    d.addEventListener("toggle", function () {
      var frame = d.querySelector("iframe[data-src]");
      if (d.open && frame && !frame.getAttribute("src")) {
        frame.setAttribute("src", frame.getAttribute("data-src"));
      }
    });
  });
});
