/* 附件 on a form (templates/attachments/_picker.html): a file is uploaded the moment it is picked, with its
   progress, and listed with the form's files until 保存; 移除 takes it off again at once. What the server
   refuses is said next to the file's kind. */
(function () {
  "use strict";
  var box = document.querySelector("[data-stage-url]");
  if (!box) return;
  var form = box.closest("form");
  var maxBytes = Number(box.dataset.maxBytes);
  var running = 0;
  var queue = Promise.resolve();

  function busy(delta) {
    running += delta;
    window.jxjyUploading = running;  // autosave waits for the uploads (static/js/autosave.js)
    // 保存 waits for the files being uploaded: what is sent must include them.
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = running > 0; });
    if (running > 0) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
  }
  function problem(kind, text) {
    var el = box.querySelector('[data-kind-error="' + kind + '"]');
    if (!el) {  // made here, so that a page without scripts has no empty message boxes
      el = document.createElement("div");
      el.className = "error";
      el.setAttribute("role", "alert");
      el.dataset.kindError = kind;
      box.querySelector('li[data-kind="' + kind + '"]').appendChild(el);
    }
    el.textContent = text || "";
    el.hidden = !text;
    el.closest("li").classList.toggle("has-error", !!text);
  }
  function post(url, data, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", window.jxjyCsrf());
      xhr.responseType = "json";
      if (onProgress) xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) onProgress(e.loaded / e.total); });
      xhr.onload = function () { resolve({ status: xhr.status, body: xhr.response || {} }); };
      xhr.onerror = function () { resolve({ status: 0, body: {} }); };
      xhr.send(data);
    });
  }
  function listed(file) {
    var span = document.createElement("span");
    span.className = "attached staged";
    span.dataset.staged = file.id;
    span.textContent = interpolate(gettext("%(name)s（%(size)s，待保存）"), { name: file.name, size: file.size }, true) + " ";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.textContent = gettext("移除");
    remove.setAttribute("aria-label", interpolate(gettext("移除 %(name)s"), { name: file.name }, true));
    remove.dataset.unstageUrl = file.remove_url;
    span.appendChild(remove);
    return span;
  }
  function unstage(span, url) {
    post(url, new FormData()).then(function (answer) {
      if (answer.status === 200) span.remove();
      else problem(span.closest("li").dataset.kind, answer.body.error || gettext("移除失败，请稍后再试。"));
    });
  }
  function upload(input, file) {
    var kind = input.dataset.kind;
    var names = box.querySelector('[data-file-names="' + input.name + '"]');
    if (!/\.(jpe?g|png|pdf)$/i.test(file.name) || file.size > maxBytes) {
      problem(kind, interpolate(gettext("文件「%(name)s」不符合要求：只能上传jpg/png/pdf文件，且单个文件不超过2MB。"), { name: file.name }, true));
      return Promise.resolve();
    }
    var data = new FormData();
    data.append("key", box.dataset.draftKey);
    data.append("kind", kind);
    data.append("file", file);
    names.classList.remove("empty");
    names.textContent = interpolate(gettext("正在上传「%(name)s」…"), { name: file.name }, true);
    busy(1);
    return post(box.dataset.stageUrl, data, function (share) {
      names.textContent = interpolate(gettext("正在上传「%(name)s」 %(percent)s%%"), { name: file.name, percent: Math.round(share * 100) }, true);
    }).then(function (answer) {
      busy(-1);
      names.textContent = gettext("未选择文件");
      names.classList.add("empty");
      if (answer.status === 201) {
        box.querySelector('[data-kind-files="' + kind + '"]').appendChild(listed(answer.body.file));
        if (window.jxjySession) window.jxjySession.touched();
      } else if (answer.status === 401) {
        problem(kind, interpolate(gettext("登录已失效，文件「%(name)s」未能上传。请重新登录后再选取。"), { name: file.name }, true));
        if (window.jxjySession) window.jxjySession.showExpired();
      } else {
        problem(kind, answer.body.error || interpolate(gettext("文件「%(name)s」上传失败（网络连接异常），请重新选取。"), { name: file.name }, true));
      }
    });
  }
  box.addEventListener("change", function (e) {
    var input = e.target;
    if (input.type === "checkbox" && input.dataset.unstageUrl && input.checked) {
      unstage(input.closest("[data-staged]"), input.dataset.unstageUrl);
      return;
    }
    if (input.type !== "file") return;
    problem(input.dataset.kind, "");
    var files = Array.prototype.slice.call(input.files);
    // Sent now, so not again with the form.
    // One upload at a time for the whole form, in the order picked.
    queue = files.reduce(function (done, file) { return done.then(function () { return upload(input, file); }); }, queue)
      .then(function () { input.value = ""; });
  });
  box.addEventListener("click", function (e) {
    var remove = e.target.closest("button[data-unstage-url]");
    if (remove) unstage(remove.closest("[data-staged]"), remove.dataset.unstageUrl);
  });
})();
