// Progressive enhancement of the appeal pages; everything works without this file.
(function () {
  "use strict";
  // The copy button of the receipt: shown only where the clipboard can be written.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      var done = function () { button.textContent = button.getAttribute("data-done") || "✓"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
  // Name and phone are asked only of a worker who chose to be named.
  var named = document.querySelector(".named-only");
  var radios = document.querySelectorAll("input[name=identity]");
  function sync() {
    var anonymous = document.querySelector("input[name=identity][value=anonymous]:checked");
    if (named) named.hidden = Boolean(anonymous);
  }
  radios.forEach(function (radio) { radio.addEventListener("change", sync); });
  sync();
})();
