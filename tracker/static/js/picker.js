// A <select multiple data-picker> becomes a searchable picker (Tom Select): type part of a code or title
// to find an item among a year's worth, grouped by task list as the server sent them. Where the form
// has a unit to choose, only that unit's items are offered (each option's data-unit names its unit).
(function () {
  "use strict";
  if (!window.TomSelect) return;
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var picker = new TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: 1000,
      hideSelected: true,
      lockOptgroupOrder: true,
      closeAfterSelect: false,
      placeholder: select.getAttribute("data-placeholder") || "",
      render: { no_results: function () { return '<div class="no-results">' + (select.getAttribute("data-none") || "—") + "</div>"; } },
    });
    var unit = select.form && select.form.querySelector("select[name=unit]");
    if (!unit) return;
    function follow() {
      Object.keys(picker.options).forEach(function (key) {
        var option = picker.options[key];
        var other = Boolean(unit.value && option.unit && option.unit !== unit.value);
        if (other) picker.removeItem(key, true);
        if (Boolean(option.disabled) !== other) picker.updateOption(key, Object.assign({}, option, { disabled: other }));
      });
    }
    unit.addEventListener("change", follow);
    follow();
  });
})();
