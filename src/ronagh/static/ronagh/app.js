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
      localizeNumbers(option);
      option.textStyle = Object.assign({ fontFamily: "Vazirmatn, Tahoma, sans-serif" }, option.textStyle || {});
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option, true);
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
      // An input may bound its dates (data-jdp-min-date / data-jdp-max-date), e.g. no report
      // date after today; without the attributes there is no bound.
      minDate: "attr",
      maxDate: "attr",
      zIndex: 2000
    });
  }

  function wireForms(root) {
    // The daily report's rows are static/plans/report.js's.
    root.querySelectorAll("select[data-autosubmit], input[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () {
        // requestSubmit fires the form's submit event, so a page may still ask first (the
        // daily report does when typed values would be lost).
        if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
      });
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
  // A part of the page replaced (by htmx, or by a page's own script: "ronagh:swapped").
  ["htmx:afterSwap", "ronagh:swapped"].forEach(function (name) {
    document.addEventListener(name, function (evt) {
      renderCharts(evt.target);
      wireForms(evt.target);
    });
  });
})();
