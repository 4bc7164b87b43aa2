// Small form behaviours every page may use, declared with data attributes instead of
// inline handlers (the Content-Security-Policy allows no inline script):
//   data-submit-on-change  a <select> that submits its form when changed (the language)
//   data-select-on-click   a field whose whole text is selected on click (a feed URL)
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-on-click]") && field.select) {
      field.select();
    }
  });
})();
