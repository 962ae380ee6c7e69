/* Nothing typed is lost, on every long form (templates/core/_autosave.html marks it with _draft_key):
   what is typed goes to the server every few seconds and on leaving a field; when the login has gone it is
   kept in this browser; on the next visit the newer of the two is put back, with a banner that says so.
   A form with more to put back than values (the 申报表's rows and 培训范围) listens for "jxjy:restore"
   (detail: {name: [values]}) before the values are set, and for "jxjy:restored" after. */
(function () {
  "use strict";
  var marker = document.querySelector('input[name="_draft_key"]');
  if (!marker) return;
  var form = marker.form;
  var key = marker.value;
  var url = marker.dataset.autosaveUrl;
  var every = Number(marker.dataset.autosaveSeconds || 30) * 1000;
  var status = document.getElementById("autosave-status");
  var localKey = "jxjy-draft:" + document.body.dataset.user + ":" + key;
  var SKIP = { csrfmiddlewaretoken: 1, action: 1, form_key: 1, _draft_key: 1, _loaded: 1 };
  var lastSent = null;
  var timer = null;

  function pairs() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && !SKIP[name]) out.push([name, value]);
    });
    return out;
  }
  function say(text) { if (status) status.textContent = text; }
  // Times in the page's language: zh-Hans → "zh-CN" style, ug → Uyghur, digits left to right in both.
  function locale() { return document.documentElement.lang === "ug" ? "ug-CN" : "zh-CN"; }
  // The server draft this page's input builds on (its saved_at), so that a copy kept in this
  // browser can be told apart from a newer draft saved elsewhere without trusting the PC's clock.
  var base = null;
  var inFlight = null;
  var again = false;
  function post(body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": window.jxjyCsrf() },
      body: body,
    });
  }
  // One request at a time: two in flight could land out of order and keep the older input.
  function save() {
    clearTimeout(timer);
    timer = null;
    if (window.jxjyUploading) {  // a file is on its way (static/js/uploads.js): save once it has arrived
      timer = setTimeout(save, 1000);
      return Promise.resolve();
    }
    if (inFlight) {
      again = true;
      return inFlight;
    }
    var data = pairs();
    var body = JSON.stringify({ key: key, pairs: data });
    if (body === lastSent) return Promise.resolve();
    inFlight = post(body).then(function (r) {
      if (r.status === 401 || r.status === 403) throw new Error("expired");
      if (!r.ok) throw new Error("failed");
      return r.json();
    }).then(function (answer) {
      lastSent = body;
      base = answer.saved_at;
      localStorage.removeItem(localKey);
      if (window.jxjySession) window.jxjySession.touched();
      say(interpolate(gettext("已自动保存 %(time)s"), { time: new Date().toLocaleTimeString(locale(), { hour12: false }) }, true));
    }).catch(function (err) {
      localStorage.setItem(localKey, JSON.stringify({ pairs: data, saved_at: new Date().toISOString(), base: base }));
      if (err.message === "expired") {
        say(gettext("登录已失效，您填写的内容已保存在本机，重新登录后将自动恢复。"));
        if (window.jxjySession) window.jxjySession.showExpired(gettext("登录已失效。您填写的内容已保存在本机，重新登录后将自动恢复。"));
      } else {
        say(gettext("自动保存失败，内容已暂存在本机，稍后将重试。"));
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
  if (window.jxjySession) window.jxjySession.expiredMessage = gettext("登录已失效。您填写的内容已自动保存，重新登录后将自动恢复。");
  form.addEventListener("focusout", function (e) { if (e.target.name) scheduleSave(); });
  form.addEventListener("change", scheduleSave);
  form.addEventListener("jxjy:changed", scheduleSave);  // a change made by the page's script (a row deleted)
  setInterval(save, every);

  // ---- Restore: the server's draft, or what this browser kept when the login had expired ----
  function restore(data) {
    var values = {};
    data.pairs.forEach(function (p) { (values[p[0]] = values[p[0]] || []).push(p[1]); });
    form.dispatchEvent(new CustomEvent("jxjy:restore", { detail: values }));
    var seen = {};
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.type === "file" || el.type === "hidden" && SKIP[el.name]) return;
      if (/-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(el.name)) return;
      var v = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!v && v.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = !!v && v.indexOf(o.value) !== -1; });
      } else if (v !== undefined) {
        var n = seen[el.name] = (seen[el.name] || 0);  // several inputs of one name: each its own value
        if (n < v.length) el.value = v[n];
        seen[el.name] = n + 1;
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      // What the page's script does on a choice (培训专业 follow the 培训前备案, 课程包 shows) happens again.
      if (el.tagName === "SELECT" || el.type === "radio" && el.checked) el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.dispatchEvent(new CustomEvent("jxjy:restored"));
  }
  function showBanner(text) {
    var banner = document.getElementById("draft-banner");
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "msg msg-info";
      banner.id = "draft-banner";
      banner.innerHTML = '<span data-banner-text></span> <button type="button" class="link" id="draft-discard"></button>';
      banner.querySelector("#draft-discard").textContent = gettext("放弃恢复");
      marker.insertAdjacentElement("afterend", banner);
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
  if (marker.dataset.fresh) {
    // 放弃本次修改: the saved document as it is, and nothing of the abandoned input comes back.
    localStorage.removeItem(localKey);
    lastSent = JSON.stringify({ key: key, pairs: pairs() });
  } else if (marker.dataset.posted) {
    // The page shows what was just posted and refused: newer than any draft, so nothing is restored
    // over it, and as it is not stored anywhere yet it becomes the draft now.
    localStorage.removeItem(localKey);
    save();
  } else {
    var server = serverDraft ? JSON.parse(serverDraft.textContent) : null;
    var chosen = localIsNewer(local, server) ? local : server;
    base = server && server.saved_at;
    if (chosen) restore(chosen);
    if (chosen && chosen === local) {
      var when = new Date(local.saved_at).toLocaleString(locale(), { hour12: false });
      showBanner(marker.dataset.saveLabel
        ? interpolate(gettext("已为您恢复未能保存到服务器的内容（暂存于本机 %(time)s）。请核对后点击“%(button)s”。"),
          { time: when, button: marker.dataset.saveLabel }, true)
        : interpolate(gettext("已为您恢复未能保存到服务器的内容（暂存于本机 %(time)s）。请核对后继续操作。"), { time: when }, true));
      save();
    } else {
      // Only changes made from here on need saving: an untouched form is not a draft.
      lastSent = JSON.stringify({ key: key, pairs: pairs() });
    }
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest("#draft-discard")) return;
    localStorage.removeItem(localKey);
    post(JSON.stringify({ key: key, pairs: [] })).then(function () { window.location.reload(); });
  });
  form.addEventListener("submit", function () { lastSent = JSON.stringify({ key: key, pairs: pairs() }); });
})();
