/* A background job's page: ask for its progress every second until the file is ready or the job failed. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector("[data-job-progress]");
  var status = box.querySelector("[data-job-status]");
  var count = box.querySelector("[data-job-count]");
  var wait = box.querySelector("[data-job-wait]");
  var error = box.querySelector("[data-job-error]");
  var download = box.querySelector("[data-job-download]");
  var retry = box.querySelector("[data-job-retry]");

  function show(job) {
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    status.textContent = job.status_label;
    count.textContent = job.total ? "（" + job.done + "/" + job.total + "）" : "";
    if (!job.finished) return false;
    wait.hidden = true;
    if (job.download_url) {
      download.href = job.download_url;
      download.hidden = false;
    } else {
      error.textContent = job.error;
      error.hidden = false;
      if (retry) retry.hidden = false;
    }
    return true;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) { if (!show(job)) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();
