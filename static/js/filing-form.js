/* The 申报表 form: table rows and the 培训范围 picker (autosave: static/js/autosave.js). */
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
      form.dispatchEvent(new CustomEvent("jxjy:changed"));
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
        x.setAttribute("aria-label", interpolate(gettext("移除 %(name)s"), { name: box.dataset.label }, true));
        x.addEventListener("click", function () { box.checked = false; refreshScope(); form.dispatchEvent(new CustomEvent("jxjy:changed")); });
        tag.appendChild(x);
        selected.appendChild(tag);
      }
    });
    if (!selected.children.length) selected.textContent = gettext("尚未选择培训范围");
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

  // ---- What autosave (static/js/autosave.js) puts back: the rows first, then the picks they hold ----
  form.addEventListener("jxjy:restore", function (e) {
    var values = e.detail;
    ["courses", "teachers", "textbooks"].forEach(function (prefix) {
      var want = Number((values[prefix + "-TOTAL_FORMS"] || ["0"])[0]);
      var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
      if (!total) return; // a form without this table (学时认定)
      while (Number(total.value) < want) addRow(prefix);
    });
  });
  form.addEventListener("jxjy:restored", function () {
    form.querySelectorAll('input[name$="-DELETE"]').forEach(function (box) {
      box.closest("tr").hidden = box.checked;
    });
    form.querySelectorAll("[data-rows]").forEach(renumber);
    refreshScope();
    openFirstChecked();
  });
  if (form.querySelector('input[name="_draft_key"][data-posted]')) {
    // Everything that is wrong, listed at the top with a link to each field.
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
})();
