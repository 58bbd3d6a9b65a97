// Polls a background export's status and moves its progress bar until the file is ready.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = box.querySelector(".progress");
  var fill = box.querySelector(".progress-bar");
  var state = document.getElementById("job-state");
  var download = document.getElementById("job-download");

  function show(job) {
    var percent = job.percent === null ? 5 : job.percent;
    bar.setAttribute("aria-valuenow", job.percent === null ? 0 : job.percent);
    fill.style.width = percent + "%";
    fill.textContent = job.percent === null ? "" : job.percent + "%";
    if (job.status === "done") {
      if (box.dataset.reload && !box.dataset.finished) {
        window.location.reload();  // an import's outcome is rendered by the server
        return;
      }
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
      state.textContent = state.dataset.done;
      if (download) {
        download.querySelector(".filename").textContent = job.filename;
        download.classList.remove("d-none");
      }
    } else if (job.status === "failed") {
      if (!box.dataset.finished) {
        window.location.reload();  // the page offers to try again
        return;
      }
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
      fill.classList.add("bg-danger");
      state.textContent = state.dataset.failed + " " + job.message;
    } else if (job.status === "running") {
      state.textContent = state.dataset.running + " " + job.done.toLocaleString() +
        (job.total ? " / " + job.total.toLocaleString() : "");
    } else {
      state.textContent = job.waiting_long ? state.dataset.waitingLong : state.dataset.queued;
    }
  }

  function poll() {
    if (box.dataset.finished) { return; }
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        show(job);
        if (!job.finished) { window.setTimeout(poll, 400); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  poll();
})();
