// Filter the citation key list beside the Markdown editor.
(function () {
  "use strict";
  var input = document.querySelector("[data-filter-list]");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("data-filter-list"));
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(list.children, function (item) {
      var text = item.textContent.toLowerCase();
      item.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  });
})();
