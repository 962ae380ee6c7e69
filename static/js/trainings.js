/* 培训信息 and 报名 pages: the specialty cascade, the class choice, the class form, and select-all. */
(function () {
  "use strict";

  // 我要报名 ①: 系列 → 专业 / 级别.
  var data = document.getElementById("catalogue-data");
  if (data) {
    var catalogue = JSON.parse(data.textContent);
    var series = document.getElementById("series");
    var specialty = document.getElementById("specialty");
    var level = document.getElementById("level");
    var fill = function (select, items, placeholder) {
      select.innerHTML = "";
      select.appendChild(new Option(placeholder, ""));
      items.forEach(function (it) { select.appendChild(new Option(it.name, it.id)); });
    };
    catalogue.forEach(function (s) { series.appendChild(new Option(s.name, s.id)); });
    series.addEventListener("change", function () {
      var chosen = catalogue.filter(function (s) { return String(s.id) === series.value; })[0];
      fill(specialty, chosen ? chosen.specialties : [], chosen ? gettext("请选择专业") : gettext("请先选择系列"));
      fill(level, chosen ? chosen.levels : [], chosen ? gettext("请选择级别") : gettext("请先选择系列"));
    });
    document.getElementById("specialty-form").addEventListener("submit", function (e) {
      if (!specialty.value || !level.value) { e.preventDefault(); alert(gettext("请选择报名专业（含级别）。")); }
    });
  }

  // 我要报名 ②: go to the chosen class's form.
  var choice = document.getElementById("class-choice");
  if (choice) {
    choice.addEventListener("submit", function (e) {
      e.preventDefault();
      var chosen = choice.querySelector("input[name=class]:checked");
      if (!chosen) { alert(gettext("请选择要报名的培训机构。")); return; }
      var q = "?specialty=" + choice.querySelector("[name=specialty]").value + "&level=" + choice.querySelector("[name=level]").value;
      window.location = choice.dataset.baseUrl + chosen.value + "/" + q;
    });
  }

  // 培训信息: 培训专业 follow the chosen 培训前备案; 课程包 rows.
  var classForm = document.getElementById("class-form");
  if (classForm) {
    var filing = classForm.querySelector("[name=pre_filing]");
    var showScope = function () {
      var any = false;
      classForm.querySelectorAll("[data-filing]").forEach(function (opt) {
        var on = opt.dataset.filing === filing.value;
        opt.hidden = !on;
        if (!on) opt.querySelector("input").checked = false;
        any = any || on;
      });
      classForm.querySelector("[data-scope-empty]").hidden = any;
    };
    filing.addEventListener("change", showScope);
    showScope();
    var pkg = classForm.querySelector("[data-package]");
    classForm.querySelectorAll("[name=has_package]").forEach(function (r) {
      r.addEventListener("change", function () { pkg.hidden = !(r.checked && r.value === "True"); });
    });
    var renumber = function () {
      var n = 0;
      pkg.querySelectorAll("tbody tr.row").forEach(function (tr) { if (!tr.hidden) tr.querySelector(".seq").textContent = ++n; });
    };
    var addPackageRow = function () {
      var total = classForm.querySelector("#id_package-TOTAL_FORMS");
      var html = pkg.querySelector("template").innerHTML.replace(/__prefix__/g, total.value);
      pkg.querySelector("tbody").insertAdjacentHTML("beforeend", html);
      total.value = Number(total.value) + 1;
      renumber();
    };
    // Autosave (static/js/autosave.js) puts back the 课程包 rows before their values.
    classForm.addEventListener("jxjy:restore", function (e) {
      var want = Number((e.detail["package-TOTAL_FORMS"] || ["0"])[0]);
      while (Number(classForm.querySelector("#id_package-TOTAL_FORMS").value) < want) addPackageRow();
    });
    classForm.addEventListener("jxjy:restored", function () {
      classForm.querySelectorAll('input[name$="-DELETE"]').forEach(function (box) { box.closest("tr").hidden = box.checked; });
      renumber();
    });
    classForm.addEventListener("click", function (e) {
      if (e.target.closest("[data-add-package]")) addPackageRow();
      var del = e.target.closest("[data-delete-row]");
      if (del) {
        var tr = del.closest("tr");
        tr.querySelector('input[name$="-DELETE"]').checked = true;
        tr.hidden = true;
        renumber();
      }
    });
  }

  // 学员报名审核: select all.
  document.querySelectorAll("[data-check-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      all.closest("table").querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = all.checked; });
    });
  });
})();
