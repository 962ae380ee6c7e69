/* The 申报表 form: table rows, the 培训范围 picker, and autosave / restore of what is typed. */
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  if (!form) return;

  // ---- Table rows: 添加, 删除, 序号, 暂无数据 ----
  function renumber(section) {
    var n = 0;
    section.querySelectorAll("tbody tr.row").forEach(function (tr) {
      if (!tr.hidden) tr.querySelector(".seq").textContent = ++n;
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
  picker.addEventListener("click", function (e) {
    var s = e.target.closest("[data-series]");
    if (s) {
      activate("series", "data-series", s.dataset.series);
      showPanel("data-series-panel", s.dataset.series);
      showPanel("data-specialty-panel", "");
      picker.querySelector('[data-hint="specialty"]').hidden = true;
      picker.querySelector('[data-hint="level"]').hidden = false;
      return;
    }
    var sp = e.target.closest("[data-specialty]");
    if (sp) {
      activate("specialty", "data-specialty", sp.dataset.specialty);
      showPanel("data-specialty-panel", sp.dataset.specialty);
      picker.querySelector('[data-hint="level"]').hidden = true;
    }
  });
  picker.addEventListener("change", refreshScope);
  refreshScope();

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
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && name !== "action") out.push([name, value]);
    });
    return out;
  }
  function say(text) { status.textContent = text; }
  function save() {
    timer = null;
    var data = pairs();
    var body = JSON.stringify({ key: key, pairs: data });
    if (body === lastSent) return Promise.resolve();
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.jxjyCsrf() },
      body: body,
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) throw new Error("expired");
      if (!r.ok) throw new Error("failed");
      lastSent = body;
      localStorage.removeItem(localKey);
      if (window.jxjySession) window.jxjySession.touched();
      say("已自动保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }));
    }).catch(function (err) {
      localStorage.setItem(localKey, JSON.stringify({ pairs: data, saved_at: new Date().toISOString() }));
      if (err.message === "expired") {
        say("登录已失效，您填写的内容已保存在本机，重新登录后将自动恢复。");
        if (window.jxjySession) window.jxjySession.showExpired();
      } else {
        say("自动保存失败，内容已暂存在本机，稍后将重试。");
      }
    });
  }
  function scheduleSave() { if (!timer) timer = setTimeout(save, 800); }
  window.jxjyAutosave = save;
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
  }
  var serverDraft = document.getElementById("draft-data");
  var local = null;
  try { local = JSON.parse(localStorage.getItem(localKey) || "null"); } catch (e) { local = null; }
  var server = serverDraft ? JSON.parse(serverDraft.textContent) : null;
  var chosen = server;
  if (local && (!server || new Date(local.saved_at) > new Date(server.saved_at))) chosen = local;
  if (chosen) {
    restore(chosen);
    if (chosen === local) {
      if (!document.getElementById("draft-banner")) {
        var banner = document.createElement("div");
        banner.className = "msg msg-info";
        banner.id = "draft-banner";
        banner.textContent = "已为您恢复登录失效前填写的内容，请核对后点击“保存”。";
        form.insertBefore(banner, form.querySelector(".sheet"));
      }
      save();
    }
  }
  // Only changes made from here on need saving.
  if (chosen !== local) lastSent = JSON.stringify({ key: key, pairs: pairs() });
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
