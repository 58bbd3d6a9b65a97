// Behaviour every page shares, kept out of the HTML so that the content security policy can forbid
// inline scripts: a <select data-autosubmit> submits its form when changed.
document.addEventListener("change", function (event) {
  "use strict";
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
