/* A "copy" button for a text the page shows (a private calendar address, say): the button is
   hidden until this script runs, so a page without JavaScript shows only the text to select. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = button.dataset.done;
      });
    });
  });
})();
