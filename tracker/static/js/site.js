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

// A form set's rows added and removed on the page: <button data-formset-add="prefix"> copies the
// <template id="prefix-template"> row (its __prefix__ numbered) into #prefix-rows and counts it in
// the management form; <button data-formset-remove> takes out a row not yet saved.
document.addEventListener("click", function (event) {
  "use strict";
  var add = event.target.closest("[data-formset-add]");
  if (add) {
    var prefix = add.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var rows = document.getElementById(prefix + "-rows");
    if (total && template && rows) {
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, total.value));
      total.value = String(Number(total.value) + 1);
      var first = rows.lastElementChild.querySelector("input, textarea, select");
      if (first) first.focus();
    }
  }
  var remove = event.target.closest("[data-formset-remove]");
  if (remove) {
    remove.closest("tr").remove();
  }
});
