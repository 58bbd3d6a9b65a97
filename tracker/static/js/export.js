// The export page asks for the period with the browser's month or day picker, by the workbook chosen
// (the period field's data-inputs: workbook -> month, date or text); a value that does not fit is cleared.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var period = document.getElementById("id_period");
  if (!kind || !period || !period.dataset.inputs) return;
  var inputs = JSON.parse(period.dataset.inputs);
  var fits = { month: /^\d{4}-\d{2}$/, date: /^\d{4}-\d{2}-\d{2}$/, text: /.*/ };
  function follow() {
    var type = inputs[kind.value] || "text";
    var value = period.value;
    if (type === "month" && /^\d{4}-\d{2}-\d{2}$/.test(value)) value = value.slice(0, 7);
    if (type === "date" && /^\d{4}-\d{2}$/.test(value)) value = value + "-01";
    period.type = type;
    period.value = fits[type].test(value) ? value : "";
  }
  kind.addEventListener("change", follow);
  follow();
})();
