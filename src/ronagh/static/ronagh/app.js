/* Ronagh's page behaviour. No inline scripts: data comes in <script type="application/json">
   blocks written by Django's json_script. */
(function () {
  "use strict";

  // Persian digits where ECharts prints numbers itself (value-axis ticks, tooltip values): JSON
  // cannot carry formatter functions, so an option asks for them with ronaghDigits: "fa".
  var FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  function faDigits(value) {
    return String(value).replace(/\d/g, function (d) { return FA_DIGITS[d]; })
      .replace(/([۰-۹])\.([۰-۹])/g, "$1٫$2");
  }
  function localizeNumbers(option) {
    var fa = option.ronaghDigits === "fa", suffix = option.ronaghSuffix || "";
    delete option.ronaghDigits;
    delete option.ronaghSuffix;
    if (!fa && !suffix) return;
    var local = fa ? faDigits : String;
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (axis) {
      if (axis.type !== "value") return;
      axis.axisLabel = Object.assign({}, axis.axisLabel, {
        formatter: function (v) { return local(v) + suffix; }
      });
    });
    if (option.tooltip) {
      option.tooltip.valueFormatter = function (v) {
        return v == null || v === "-" ? "—" : local(Math.round(v * 10) / 10) + suffix;
      };
    }
  }

  function renderCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var option = JSON.parse(source.textContent);
      // ronaghLinks: where a click on each category leads (a ranked chart's drill-down).
      var links = option.ronaghLinks;
      delete option.ronaghLinks;
      localizeNumbers(option);
      option.textStyle = Object.assign({ fontFamily: "Vazirmatn, Tahoma, sans-serif" }, option.textStyle || {});
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option, true);
      if (links) {
        chart.off("click");
        chart.on("click", function (p) { if (links[p.dataIndex]) window.location.href = links[p.dataIndex]; });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function startDatePicker() {
    if (!window.jalaliDatepicker) return;
    jalaliDatepicker.startWatch({
      persianDigits: true,
      autoShow: true,
      autoHide: true,
      hideAfterChange: true,
      showTodayBtn: true,
      showEmptyBtn: false,
      date: true,
      time: false,
      zIndex: 2000
    });
  }

  function wireForms(root) {
    // "Unchanged": copy the last value into the field and mark the row confirmed.
    root.querySelectorAll("[data-unchanged]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var row = btn.closest(".report-row");
        var input = row.querySelector("input[data-percent]");
        input.value = input.dataset.last || "0";
        var flag = row.querySelector("input[data-unchanged-flag]");
        if (flag) flag.value = "1";
        row.classList.add("table-success");
      });
    });
    root.querySelectorAll("input[data-percent]").forEach(function (input) {
      input.addEventListener("input", function () {
        var row = input.closest(".report-row");
        var flag = row.querySelector("input[data-unchanged-flag]");
        if (flag) flag.value = "0";
        row.classList.remove("table-success");
      });
    });
    root.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    root.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  // Charts are sized in pixels: fit them to the paper before printing, and back after.
  function resizeCharts() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  }
  if (window.matchMedia) {
    var printQuery = window.matchMedia("print");
    if (printQuery.addEventListener) printQuery.addEventListener("change", resizeCharts);
  }
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);

  document.addEventListener("DOMContentLoaded", function () {
    renderCharts(document);
    startDatePicker();
    wireForms(document);
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    renderCharts(evt.target);
    wireForms(evt.target);
  });
})();
