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
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      });
    });
    root.querySelectorAll("[data-back]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
      });
    });
    root.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
  }


  // Sortable tables: <table data-sortable> with <th data-sort="number|text">; a cell's
  // data-value (else its text, any digits) is what it sorts by. A row marked data-follows (an
  // evidence row) moves with the row before it. The server's order is the first one shown.
  function toLatin(text) {
    return String(text).replace(/[۰-۹]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹".indexOf(d); })
      .replace(/[٠-٩]/g, function (d) { return "٠١٢٣٤٥٦٧٨٩".indexOf(d); })
      .replace(/٫/g, ".").replace(/[٬,]/g, "").replace(/−/g, "-");
  }
  function cellKey(cell, kind) {
    var raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (kind === "number") {
      var n = parseFloat(toLatin(raw));
      return isNaN(n) ? -Infinity : n;
    }
    return raw;
  }
  function sortTable(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = th.dataset.sort;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var groups = [];
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.hasAttribute("data-follows") && groups.length) groups[groups.length - 1].push(row);
      else groups.push([row]);
    });
    groups = groups.filter(function (g) { return g[0].cells.length > index; });
    groups.sort(function (a, b) {
      var x = cellKey(a[0].cells[index], kind), y = cellKey(b[0].cells[index], kind);
      var order = kind === "number" ? x - y : String(x).localeCompare(String(y), document.documentElement.lang || "fa");
      return ascending ? order : -order;
    });
    groups.forEach(function (g) { g.forEach(function (row) { body.appendChild(row); }); });
    th.parentNode.querySelectorAll("th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  function wireSortable(root) {
    root.querySelectorAll("table[data-sortable] th[data-sort]").forEach(function (th) {
      if (th.dataset.sortWired) return;
      th.dataset.sortWired = "1";
      th.classList.add("sortable");
      th.tabIndex = 0;
      var table = th.closest("table");
      th.addEventListener("click", function () { sortTable(table, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, th); }
      });
    });
  }

  // Date inputs show Persian digits on a Persian page; the picker reads and writes Latin ones,
  // so the value is turned Latin while the input has the focus and back when it leaves it.
  var persianPage = (document.documentElement.lang || "").indexOf("fa") === 0;
  function localDigits(text) {
    return persianPage ? String(text).replace(/\d/g, function (d) { return FA_DIGITS[d]; }) : text;
  }
  function wireDateInputs(root) {
    root.querySelectorAll("input[data-jdp]").forEach(function (input) {
      input.value = localDigits(input.value);
    });
  }
  document.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("input[data-jdp]")) t.value = toLatin(t.value);
  }, true);
  ["change", "focusout"].forEach(function (name) {
    document.addEventListener(name, function (e) {
      var t = e.target;
      if (t && t.matches && t.matches("input[data-jdp]") && document.activeElement !== t) t.value = localDigits(t.value);
    });
  });

  // Long downloads (PDF, Excel): the link or button says the file is being prepared until the
  // server's answer sets the cookie named by the token sent with the request.
  function downloadToken() { return String(Date.now()) + String(Math.floor(Math.random() * 1e6)); }
  function waitForDownload(el, token, restore) {
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      if (document.cookie.indexOf("ronagh_download=" + token) !== -1 || tries > 600) {
        clearInterval(timer);
        document.cookie = "ronagh_download=; Max-Age=0; path=/; SameSite=Lax";
        restore();
      }
    }, 500);
  }
  function busy(el) {
    var label = el.dataset.preparing || document.body.dataset.preparing || "…";
    var old = el.innerHTML;
    el.classList.add("disabled", "preparing");
    el.setAttribute("aria-busy", "true");
    el.textContent = label;
    return function () {
      el.innerHTML = old;
      el.classList.remove("disabled", "preparing");
      el.removeAttribute("aria-busy");
    };
  }
  function wireDownloads(root) {
    root.querySelectorAll("a[data-download]").forEach(function (a) {
      a.addEventListener("click", function () {
        if (a.classList.contains("preparing")) return;
        var token = downloadToken();
        var url = new URL(a.href, window.location.href);
        url.searchParams.set("dl", token);
        a.href = url.toString();
        waitForDownload(a, token, busy(a));
      });
    });
    root.querySelectorAll("form button[data-download]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var form = btn.form, token = downloadToken();
        var field = form.querySelector("input[name=dl]");
        if (!field) {
          field = document.createElement("input");
          field.type = "hidden";
          field.name = "dl";
          form.appendChild(field);
        }
        field.value = token;
        setTimeout(function () { waitForDownload(btn, token, busy(btn)); }, 0);
      });
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
    wireDateInputs(document);
    startDatePicker();
    wireForms(document);
    wireSortable(document);
    wireDownloads(document);
  });
  // A part of the page replaced (by htmx, or by a page's own script: "ronagh:swapped").
  ["htmx:afterSwap", "ronagh:swapped"].forEach(function (name) {
    document.addEventListener(name, function (evt) {
      renderCharts(evt.target);
      wireDateInputs(evt.target);
      wireForms(evt.target);
      wireSortable(evt.target);
      wireDownloads(evt.target);
    });
  });
})();
