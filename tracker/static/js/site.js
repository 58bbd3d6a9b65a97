// Behaviour every page shares, kept out of the HTML so that the content security policy can forbid
// inline scripts: a <select data-autosubmit> submits its form when changed, a <form data-confirm> asks first.
document.addEventListener("change", function (event) {
  "use strict";
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A <form data-confirm="question"> asks before it is sent.
document.addEventListener("submit", function (event) {
  "use strict";
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// An <input type="checkbox" data-check-all="name"> ticks or clears every box of that name in its form.
document.addEventListener("change", function (event) {
  "use strict";
  var name = event.target.getAttribute("data-check-all");
  if (name && event.target.form) {
    event.target.form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});
