/* The 申报表 form: table rows, the 培训范围 picker, and autosave / restore of what is typed. */
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  if (!form) return;

  // ---- Table rows: 添加, 删除, 序号, 暂无数据 ----
  function renumber(section) {
    var headers = Array.prototype.map.call(section.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var n = 0;
    section.querySelectorAll("tbody tr.row").forEach(function (tr) {
      if (!tr.hidden) tr.querySelector(".seq").textContent = ++n;
      // A cell's input is named by its column, for screen readers and for people's tools alike.
      Array.prototype.forEach.call(tr.cells, function (td, i) {
        td.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea, select").forEach(function (el) {
          if (!el.hasAttribute("aria-label") && headers[i]) el.setAttribute("aria-label", headers[i]);
        });
      });
    });
    section.querySelector("tr.empty-row").hidden = n > 0;
  }
  function addRow(prefix) {
    var section = form.querySelector('[data-rows="' + prefix + '"]');
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var index = Number(total.value);
    var html = section.querySelector('template[data-row-template="' + prefix + '"]').innerHTML.replace(/__prefix__/g, index);
    section.querySelector("tbody tr.empty-row").insertAdjacentHTML("beforebegin", html);
    total.value = index + 1;
    renumber(section);
    window.jxjyCounters(section);
    return section.querySelectorAll("tbody tr.row")[index];
  }
  form.querySelectorAll("[data-rows]").forEach(renumber);
  form.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add-row]");
    if (add) {
      var row = addRow(add.dataset.addRow);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox])");
      if (first) first.focus();
      return;
    }
    var del = e.target.closest("[data-delete-row]");
    if (del) {
      var tr = del.closest("tr");
      tr.querySelector('input[name$="-DELETE"]').checked = true;
      tr.hidden = true;
      renumber(tr.closest("[data-rows]"));
      scheduleSave();
    }
  });

  // ---- 培训范围: 系列 → 专业 → 级别 ----
  var picker = form.querySelector("[data-scope-picker]");
  var selected = form.querySelector("[data-scope-selected]");
  function activate(col, attr, value) {
    picker.querySelectorAll('[data-col="' + col + '"] [' + attr + "]").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute(attr) === String(value));
    });
  }
  function showPanel(attr, value) {
    picker.querySelectorAll("[" + attr + "]").forEach(function (p) { p.hidden = p.getAttribute(attr) !== String(value); });
  }
  function refreshScope() {
    var boxes = picker.querySelectorAll('input[name="scope"]');
    var specChecked = {};
    selected.innerHTML = "";
    boxes.forEach(function (box) {
      var panel = box.closest("[data-specialty-panel]");
      if (box.checked) {
        specChecked[panel.dataset.specialtyPanel] = true;
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = box.dataset.label + " ";
        var x = document.createElement("button");
        x.type = "button";
        x.className = "link";
        x.textContent = "×";
        x.setAttribute("aria-label", "移除 " + box.dataset.label);
        x.addEventListener("click", function () { box.checked = false; refreshScope(); scheduleSave(); });
        tag.appendChild(x);
        selected.appendChild(tag);
      }
    });
    if (!selected.children.length) selected.textContent = "尚未选择培训范围";
    picker.querySelectorAll("[data-specialty]").forEach(function (b) {
      b.classList.toggle("has-checked", !!specChecked[b.dataset.specialty]);
    });
    picker.querySelectorAll("[data-series]").forEach(function (b) {
      var panel = picker.querySelector('[data-series-panel="' + b.dataset.series + '"]');
      b.classList.toggle("has-checked", !!panel.querySelector(".has-checked"));
    });
  }
  function openSeries(pk) {
    activate("series", "data-series", pk);
    showPanel("data-series-panel", pk);
    showPanel("data-specialty-panel", "");
    picker.querySelector('[data-hint="specialty"]').hidden = true;
    picker.querySelector('[data-hint="level"]').hidden = false;
  }
  function openSpecialty(pk) {
    activate("specialty", "data-specialty", pk);
    showPanel("data-specialty-panel", pk);
    picker.querySelector('[data-hint="level"]').hidden = true;
  }
  // A form that comes back with picks shows the first of them ticked, not three empty columns.
  function openFirstChecked() {
    var box = picker.querySelector('input[name="scope"]:checked');
    if (!box) return;
    var specialty = box.closest("[data-specialty-panel]").dataset.specialtyPanel;
    var button = picker.querySelector('[data-specialty="' + specialty + '"]');
    openSeries(button.closest("[data-series-panel]").dataset.seriesPanel);
    openSpecialty(specialty);
  }
  picker.addEventListener("click", function (e) {
    var s = e.target.closest("[data-series]");
    if (s) {
      openSeries(s.dataset.series);
      return;
    }
    var sp = e.target.closest("[data-specialty]");
    if (sp) openSpecialty(sp.dataset.specialty);
  });
  picker.addEventListener("change", refreshScope);
  refreshScope();
  openFirstChecked();

  // ---- 附件: show the chosen files by name, and say at once what the server would refuse ----
  var maxBytes = Number(form.querySelector("[data-max-bytes]").dataset.maxBytes);
  form.querySelectorAll('input[type="file"]').forEach(function (input) {
    var names = form.querySelector('[data-file-names="' + input.name + '"]');
    var problem = document.createElement("div");
    problem.className = "error";
    problem.hidden = true;
    names.insertAdjacentElement("afterend", problem);
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      names.textContent = files.length ? files.map(function (f) { return f.name; }).join("、") : "未选择文件";
      names.classList.toggle("empty", !files.length);
      var bad = files.filter(function (f) { return !/\.(jpe?g|png|pdf)$/i.test(f.name) || f.size > maxBytes; });
      problem.textContent = bad.length ? "文件「" + bad[0].name + "」不符合要求：只能上传jpg/png/pdf文件，且单个文件不超过2MB。" : "";
      problem.hidden = !bad.length;
    });
  });

  // ---- Autosave: to the server every few seconds and on leaving a field; locally if the login is gone ----
  var key = form.dataset.draftKey;
  var url = form.dataset.autosaveUrl;
  var every = Number(form.dataset.autosaveSeconds || 30) * 1000;
  var status = document.getElementById("autosave-status");
  var localKey = "jxjy-draft:" + document.body.dataset.user + ":" + key;
  var lastSent = null;
  var timer = null;

  function pairs() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "action" && name !== "form_key") out.push([name, value]);
    });
    return out;
  }
  function say(text) { status.textContent = text; }
  // The server draft this page's input builds on (its saved_at), so that a copy kept in this
  // browser can be told apart from a newer draft saved elsewhere without trusting the PC's clock.
  var base = null;
  var inFlight = null;
  var again = false;
  // One request at a time: two in flight could land out of order and keep the older input.
  function save() {
    clearTimeout(timer);
    timer = null;
    if (inFlight) {
      again = true;
      return inFlight;
    }
    var data = pairs();
    var body = JSON.stringify({ key: key, pairs: data });
    if (body === lastSent) return Promise.resolve();
    inFlight = fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.jxjyCsrf() },
      body: body,
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) throw new Error("expired");
      if (!r.ok) throw new Error("failed");
      return r.json();
    }).then(function (answer) {
      lastSent = body;
      base = answer.saved_at;
      localStorage.removeItem(localKey);
      if (window.jxjySession) window.jxjySession.touched();
      say("已自动保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }));
    }).catch(function (err) {
      localStorage.setItem(localKey, JSON.stringify({ pairs: data, saved_at: new Date().toISOString(), base: base }));
      if (err.message === "expired") {
        say("登录已失效，您填写的内容已保存在本机，重新登录后将自动恢复。");
        if (window.jxjySession) window.jxjySession.showExpired("登录已失效。您填写的内容已保存在本机，重新登录后将自动恢复。");
      } else {
        say("自动保存失败，内容已暂存在本机，稍后将重试。");
      }
    }).then(function () {
      inFlight = null;
      if (again) {
        again = false;
        return save();
      }
    });
    return inFlight;
  }
  function scheduleSave() { if (!timer) timer = setTimeout(save, 800); }
  window.jxjyAutosave = save;
  // Every change reaches the server within seconds, so when the login ends what was typed is kept.
  if (window.jxjySession) window.jxjySession.expiredMessage = "登录已失效。您填写的内容已自动保存，重新登录后将自动恢复。";
  form.addEventListener("focusout", function (e) { if (e.target.name) scheduleSave(); });
  form.addEventListener("change", scheduleSave);
  setInterval(save, every);

  // ---- Restore: the server's draft, or what this browser kept when the login had expired ----
  function restore(data) {
    var values = {};
    data.pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    ["courses", "teachers", "textbooks"].forEach(function (prefix) {
      var want = Number((values[prefix + "-TOTAL_FORMS"] || ["0"])[0]);
      var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
      if (!total) return; // a form without this table (学时认定)
      while (Number(total.value) < want) addRow(prefix);
    });
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken" || /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(el.name)) return;
      var v = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!v && v.indexOf(el.value) !== -1;
      } else if (v !== undefined) {
        el.value = v[0];
      }
      el.dispatchEvent(new Event("input"));
    });
    form.querySelectorAll('input[name$="-DELETE"]').forEach(function (box) {
      var tr = box.closest("tr");
      tr.hidden = box.checked;
    });
    form.querySelectorAll("[data-rows]").forEach(renumber);
    refreshScope();
    openFirstChecked();
  }
  function showBanner(text) {
    var banner = document.getElementById("draft-banner");
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "msg msg-info";
      banner.id = "draft-banner";
      banner.innerHTML = '<span data-banner-text></span> <button type="button" class="link" id="draft-discard">放弃恢复</button>';
      form.insertBefore(banner, form.querySelector(".sheet"));
    }
    banner.querySelector("[data-banner-text]").textContent = text;
  }
  function localIsNewer(local, server) {
    if (!local) return false;
    if (!server) return true;
    // Nothing was saved to the server since the copy was taken here: the copy is newer.
    if (local.base && new Date(server.saved_at) <= new Date(local.base)) return true;
    return new Date(local.saved_at) > new Date(server.saved_at);
  }
  var serverDraft = document.getElementById("draft-data");
  var local = null;
  try { local = JSON.parse(localStorage.getItem(localKey) || "null"); } catch (e) { local = null; }
  if (form.dataset.posted) {
    // The page shows what was just posted and refused: newer than any draft, so nothing is restored
    // over it, and as it is not stored anywhere yet it becomes the draft now.
    localStorage.removeItem(localKey);
    save();
    var firstError = form.querySelector(".has-error");
    if (firstError) firstError.scrollIntoView({ block: "center" });
  } else {
    var server = serverDraft ? JSON.parse(serverDraft.textContent) : null;
    var chosen = localIsNewer(local, server) ? local : server;
    base = server && server.saved_at;
    if (chosen) restore(chosen);
    if (chosen && chosen === local) {
      showBanner("已为您恢复未能保存到服务器的内容（暂存于本机 " +
        new Date(local.saved_at).toLocaleString("zh-CN", { hour12: false }) + "）。请核对后点击“保存”。");
      save();
    } else {
      // Only changes made from here on need saving: an untouched form is not a draft.
      lastSent = JSON.stringify({ key: key, pairs: pairs() });
    }
  }
  var discard = document.getElementById("draft-discard");
  if (discard) discard.addEventListener("click", function () {
    localStorage.removeItem(localKey);
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.jxjyCsrf() },
      body: JSON.stringify({ key: key, pairs: [] }),
    }).then(function () { window.location.reload(); });
  });
  form.addEventListener("submit", function () { lastSent = JSON.stringify({ key: key, pairs: pairs() }); });
})();
