// A <select multiple data-picker> becomes a searchable picker (Tom Select): type part of a code or title
// to find an item among a year's worth, grouped by task list as the server sent them.
(function () {
  "use strict";
  if (!window.TomSelect) return;
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    new TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: 1000,
      hideSelected: true,
      lockOptgroupOrder: true,
      closeAfterSelect: false,
      placeholder: select.getAttribute("data-placeholder") || "",
      render: { no_results: function () { return '<div class="no-results">' + (select.getAttribute("data-none") || "—") + "</div>"; } },
    });
  });
})();
