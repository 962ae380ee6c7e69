/* Shared page behaviour: live counters, confirmations, tabs, and the idle-timeout warning. */
(function () {
  "use strict";

  // 菜单: below the md breakpoint the left menu folds behind the button in the top bar (static/css/app.css);
  // without this script static/css/nojs.css shows it unfolded.
  var menuButton = document.querySelector(".menu-toggle");
  var menu = document.getElementById("sidemenu");
  if (menuButton && menu) {
    var setMenu = function (open) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    };
    menuButton.addEventListener("click", function () {
      setMenu(menuButton.getAttribute("aria-expanded") !== "true");
      if (menu.classList.contains("open")) menu.querySelector("a, button").focus();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && menu.classList.contains("open")) { setMenu(false); menuButton.focus(); }
    });
  }

  // A wide table scrolls inside its own box, never the whole page (the staff lists at 1024px).
  document.querySelectorAll("main table.grid:not(.rows), main table.sheet-view").forEach(function (table) {
    if (table.parentElement.classList.contains("table-wrap")) return;
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    table.parentNode.insertBefore(wrap, table);
    wrap.appendChild(table);
  });

  // "0/50" counters next to every limited field, as in the guide.
  function attachCounter(el) {
    if (el.dataset.counterAttached) return;
    var max = el.dataset.counter || el.getAttribute("maxlength");
    if (!max || el.type === "hidden" || el.type === "date" || el.type === "number") return;
    el.dataset.counterAttached = "1";
    var counter = document.createElement("span");
    counter.className = "counter";
    // A mobile may be typed "+86 138 9988 7755": its limit is on the digits the server keeps.
    var measure = el.inputMode === "tel"
      ? function (v) { return v.replace(/^\s*(\+|00)86/, "").replace(/\D/g, "").length; }
      : function (v) { return v.length; };
    var update = function () {
      var n = measure(el.value);
      counter.textContent = n + "/" + max;
      counter.classList.toggle("over", n > Number(max));
    };
    el.addEventListener("input", update);
    el.addEventListener("change", update);
    update();
    el.insertAdjacentElement("afterend", counter);
  }
  window.jxjyCounters = function (root) {
    (root || document).querySelectorAll("input[maxlength], textarea[maxlength], input[data-counter]").forEach(attachCounter);
  };
  window.jxjyCounters();

  // 选取文件: the styled picker shows the chosen files by name (the 申报表's own script adds its checks).
  document.querySelectorAll("label.file-pick input[type=file]").forEach(function (input) {
    var names = document.querySelector('[data-file-names="' + input.name + '"]');
    if (!names || input.closest("#filing-form")) return;
    input.addEventListener("change", function () {
      var files = Array.prototype.map.call(input.files, function (f) { return f.name; });
      names.textContent = files.length ? files.join(gettext("、")) : gettext("未选择文件");
      names.classList.toggle("empty", !files.length);
    });
  });

  // Buttons and forms that ask before acting.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) e.preventDefault();
  });
  // A choice that follows another (培训后备案 ①: only the chosen 培训前备案's 培训信息 are offered).
  document.querySelectorAll("select[data-follows]").forEach(function (select) {
    var leader = select.form && select.form.elements[select.dataset.follows];
    if (!leader) return;
    var follow = function () {
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.dataset.parent === undefined) return;
        option.hidden = option.disabled = option.dataset.parent !== leader.value;
        if (option.hidden && option.selected) select.value = "";
      });
    };
    leader.addEventListener("change", follow);
    follow();
  });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
  });

  // While a form's request runs it says so — the button that sent it reads 处理中… (or its data-busy-text, such
  // as 正在生成…) — and its buttons are disabled, so that a second click sends nothing.
  var release = function (form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[data-busy]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("data-busy");
      if (b.dataset.idleText) { b.textContent = b.dataset.idleText; delete b.dataset.idleText; }
    });
  };
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.method.toLowerCase() !== "post" || form.matches("form[data-reveal]")) return;
    form.setAttribute("aria-busy", "true");
    var sender = e.submitter;
    setTimeout(function () {  // after the browser has read the form, with the button that sent it
      form.querySelectorAll("button:not([disabled])").forEach(function (b) { b.disabled = true; b.dataset.busy = "1"; });
      if (sender && sender.tagName === "BUTTON" && !sender.classList.contains("link")) {
        sender.dataset.idleText = sender.textContent;
        sender.textContent = sender.dataset.busyText || gettext("处理中…");
      }
    }, 0);
    setTimeout(function () { release(form); }, 10000);  // an answer that leaves the page as it is (a download)
  });
  window.addEventListener("pageshow", function () { document.querySelectorAll("form[aria-busy]").forEach(release); });

  // 显示完整: fetch one full 身份证号 or 手机号 (the server audits it) and show it in place of the mask.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("form[data-reveal]")) return;
    e.preventDefault();
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var holder = form.closest("[data-pii]");
        holder.textContent = data.value;
        holder.classList.add("pii-full");
      })
      .catch(function () { form.querySelector("button").textContent = gettext("无权查看"); });
  });

  // Tabs (详情 → 备案内容 / 审核日志).
  document.querySelectorAll("[data-tabs]").forEach(function (tabs) {
    tabs.querySelectorAll("[data-tab]").forEach(function (tab) {
      tab.addEventListener("click", function () {
        tabs.querySelectorAll("[data-tab]").forEach(function (t) {
          var on = t === tab;
          t.classList.toggle("active", on);
          t.setAttribute("aria-selected", on ? "true" : "false");
        });
        tabs.querySelectorAll("[data-panel]").forEach(function (p) { p.hidden = p.dataset.panel !== tab.dataset.tab; });
      });
    });
  });

  document.querySelectorAll("[data-time]").forEach(function (el) {
    var d = new Date(el.dataset.time);
    if (!isNaN(d)) el.textContent = d.toLocaleString(document.documentElement.lang === "ug" ? "ug-CN" : "zh-CN", { hour12: false });
  });

  // Idle timeout: warn a few minutes before the session ends, offer to stay signed in.
  var body = document.body;
  if (!body.dataset.idleMinutes) return;
  var idleMs = Number(body.dataset.idleMinutes) * 60000;
  var warnMs = Math.min(Number(body.dataset.idleWarningMinutes) * 60000, idleMs / 2);
  var lastContact = Date.now();
  var dialog = document.getElementById("idle-dialog");
  var title = document.getElementById("idle-title");
  var text = document.getElementById("idle-text");
  var stay = document.getElementById("idle-stay");
  window.jxjySession = {
    touched: function () { lastContact = Date.now(); dialog.hidden = true; },
    expired: function () { return Date.now() - lastContact >= idleMs; },
    // A page that keeps what is typed (the 申报表) says so here.
    expiredMessage: gettext("登录已失效，请重新登录。"),
    // The idle timer and the autosave call this when the login is gone.
    showExpired: function (message) {
      dialog.hidden = false;
      title.textContent = gettext("登录已失效");
      text.textContent = message || window.jxjySession.expiredMessage;
      stay.textContent = gettext("重新登录");
      stay.dataset.relogin = "1";
    },
  };
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return m ? decodeURIComponent(m[1]) : (input ? input.value : "");
  }
  window.jxjyCsrf = csrf;
  stay.addEventListener("click", function () {
    if (stay.dataset.relogin) {
      window.location = body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
      return;
    }
    fetch(body.dataset.keepaliveUrl, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (r) { if (r.ok) window.jxjySession.touched(); else window.jxjySession.showExpired(); })
      .catch(function () { text.textContent = gettext("网络连接异常，请稍后再试。"); });
  });
  setInterval(function () {
    var idle = Date.now() - lastContact;
    if (idle >= idleMs) {
      window.jxjySession.showExpired();
    } else if (idle >= idleMs - warnMs) {
      var left = Math.max(1, Math.ceil((idleMs - idle) / 60000));
      title.textContent = gettext("登录即将失效");
      text.textContent = interpolate(gettext("您已较长时间没有操作，登录信息将在约 %(minutes)s 分钟后失效。点击“保持登录”继续填写，已填写的内容不会丢失。"), { minutes: left }, true);
      dialog.hidden = false;
    }
  }, 10000);
})();
