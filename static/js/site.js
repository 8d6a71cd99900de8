// Optional enhancements. Everything on the page works without this file.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy-link]");
    if (copy) {
      var status = copy.parentNode.querySelector(".copy-status");
      var done = function (message) { if (status) { status.textContent = message; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(copy.getAttribute("data-copy-link")).then(
          function () { done("Link copied."); },
          function () { done("Could not copy: select the address bar and copy it from there."); }
        );
      } else {
        done("Could not copy: select the address bar and copy it from there.");
      }
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
