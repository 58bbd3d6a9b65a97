// The export page's period: a text box that accepts what people type (2026-11, 2026年11月, 2026/11/25),
// with a drop-down of recent periods that fit the workbook chosen (the period field's data-inputs:
// workbook -> month, date for a day of the week, text for a year or a month, half for a year or a
// half-year). A browser's own month picker is not used: typed into in another language, it silently
// takes another month.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var period = document.getElementById("id_period");
  if (!kind || !period || !period.dataset.inputs) return;
  var inputs = JSON.parse(period.dataset.inputs);
  var list = document.createElement("datalist");
  list.id = "period-choices";
  period.setAttribute("list", list.id);
  period.after(list);
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function month(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1); }
  function day(d) { return month(d) + "-" + pad(d.getDate()); }
  function choices(type) {
    var today = new Date(), found = [];
    if (type === "date") {
      var monday = new Date(today);
      monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
      for (var w = 0; w < 8; w++) { found.push(day(monday)); monday.setDate(monday.getDate() - 7); }
      return found;
    }
    if (type === "half") {
      for (var y = today.getFullYear(); y > today.getFullYear() - 3; y--) found.push(y + "", y + "-H1", y + "-H2");
      return found;
    }
    if (type === "text") found.push(String(today.getFullYear()), String(today.getFullYear() - 1));
    for (var m = 0; m < 12; m++) found.push(month(new Date(today.getFullYear(), today.getMonth() - m, 1)));
    return found;
  }
  function follow() {
    var values = choices(inputs[kind.value] || "text");
    list.replaceChildren.apply(list, values.map(function (value) {
      var option = document.createElement("option");
      option.value = value;
      return option;
    }));
    period.placeholder = values[0];
  }
  kind.addEventListener("change", function () {
    // A period written for another workbook (2026-11 for a year's summary) gives way to this one's latest.
    if (period.value && choices(inputs[kind.value] || "text").indexOf(period.value) < 0) period.value = "";
    follow();
  });
  follow();
})();
