/* The daily report screen (SPEC 4.2; issue 12). Progressive enhancement: without this script the
   page still works through plain form posts (filters hide rows on the server, "all unchanged"
   marks them on the server, errors focus the first bad row). With it:
   - filters and search act at once, with no page load, so nothing typed is lost;
   - the counter of what is left follows what is typed;
   - "all unchanged" marks the shown rows after one confirmation;
   - a value below the last report opens the correction (with its reason) on the card;
   - changing the date asks before typed values are discarded, and so does leaving the page;
   - the submit carries the page's Idempotency-Key and is retried when the connection drops,
     so a report is never lost nor stored twice;
   - after a refused submit the page scrolls to the first card with a problem. */
(function () {
  "use strict";

  var DRAFT = "ronagh-report-draft";
  var RETRY_SECONDS = [1, 2, 4, 8, 15, 30];
  var FA = "۰۱۲۳۴۵۶۷۸۹", AR = "٠١٢٣٤٥٦٧٨٩";
  var submitting = false;

  function latin(text) {
    return String(text == null ? "" : text).replace(/[۰-۹]/g, function (d) { return FA.indexOf(d); })
      .replace(/[٠-٩]/g, function (d) { return AR.indexOf(d); });
  }
  function number(text) {
    var t = latin(text).trim().replace(/[٫/,]/g, ".").replace(/[%٪\s\u200c]/g, "");
    if (t === "" || isNaN(Number(t))) return null;
    return Number(t);
  }
  function local(n) {
    return document.documentElement.lang === "fa" ? String(n).replace(/\d/g, function (d) { return FA[d]; }) : String(n);
  }
  function normalize(text) {
    return latin(text).replace(/ي|ى/g, "ی").replace(/ك/g, "ک").replace(/[\u200c\s]+/g, " ").trim().toLowerCase();
  }

  function rows(form) { return Array.prototype.slice.call(form.querySelectorAll("tr.report-row")); }
  function percentInput(row) { return row.querySelector("input[data-percent]"); }
  function flag(row) { return row.querySelector("input[data-unchanged-flag]"); }

  // A row someone has filled in on this page: a value other than the last one, "unchanged"
  // pressed, or a note typed.
  function filled(row) {
    var input = percentInput(row);
    if (!input) return false;
    var value = number(input.value), last = number(input.dataset.last);
    var note = row.querySelector("textarea[name$='-note']");
    return (flag(row) && flag(row).value === "1") ||
      (value !== null && value !== last) || !!(note && note.value.trim());
  }
  function dirty(form) { return rows(form).some(filled); }

  function showCorrection(row) {
    var box = row.querySelector("[data-correction]");
    if (!box) return;
    var input = percentInput(row);
    var value = number(input.value), last = number(input.dataset.last);
    var reason = box.querySelector("textarea");
    box.hidden = !((value !== null && last !== null && value < last) || (reason && reason.value.trim()));
  }

  function count(form) {
    var left = 0, shown = 0;
    rows(form).forEach(function (row) {
      if (!row.hidden) shown += 1;
      if (row.dataset.reported !== "1" && !filled(row)) left += 1;
    });
    var leftEl = form.querySelector("[data-left-count]");
    if (leftEl) leftEl.textContent = local(left);
    var shownEl = form.querySelector("[data-shown-count]");
    if (shownEl) shownEl.textContent = local(shown);
    var none = form.querySelector("[data-no-match]");
    if (none) none.hidden = shown > 0 || rows(form).length === 0;
  }

  function markUnchanged(row) {
    var input = percentInput(row);
    input.value = input.dataset.last || "0";
    if (flag(row)) flag(row).value = "1";
    row.classList.add("table-success");
    showCorrection(row);
  }

  // --- filters ------------------------------------------------------------------------------
  function filterValues(pick) {
    var get = function (name) { return pick.querySelector("[data-filter='" + name + "']"); };
    return {
      q: get("q") ? get("q").value : "",
      unreported: get("unreported") && get("unreported").checked ? "1" : "",
      lead: get("lead") && get("lead").checked ? "1" : ""
    };
  }
  function applyFilters(pick, form) {
    var f = filterValues(pick), query = normalize(f.q);
    rows(form).forEach(function (row) {
      var show = (!f.unreported || row.dataset.reported !== "1") &&
        (!f.lead || row.dataset.lead === "1") &&
        (!query || (row.dataset.search || "").indexOf(query) !== -1);
      row.hidden = !show;
    });
    Object.keys(f).forEach(function (name) {
      var mirror = form.querySelector("[data-mirror='" + name + "']");
      if (mirror) mirror.value = f[name];
    });
    var shown = form.querySelector("[data-shown]");
    if (shown) shown.hidden = !(f.q || f.unreported || f.lead);
    var url = new URL(window.location.href);
    Object.keys(f).forEach(function (name) {
      if (f[name]) url.searchParams.set(name, f[name]); else url.searchParams.delete(name);
    });
    window.history.replaceState(window.history.state, "", url.toString());
    count(form);
  }

  // --- drafts: what was typed survives a visit to the obstacle form -------------------------
  function screenKey(form) {
    var date = form.querySelector("input[name=date]"), agency = form.querySelector("input[name=agency]");
    return (date ? date.value : "") + "|" + (agency ? agency.value : "");
  }
  function saveDraft(form) {
    var values = {};
    form.querySelectorAll("tr.report-row input[data-percent], tr.report-row input[data-unchanged-flag], tr.report-row textarea").forEach(function (el) {
      values[el.name] = el.value;
    });
    try { sessionStorage.setItem(DRAFT, JSON.stringify({ screen: screenKey(form), values: values })); } catch (e) { /* private mode */ }
  }
  function restoreDraft(form) {
    var draft;
    try { draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null"); sessionStorage.removeItem(DRAFT); } catch (e) { return; }
    if (!draft || draft.screen !== screenKey(form)) return;
    Object.keys(draft.values).forEach(function (name) {
      var el = form.querySelector("[name='" + name + "']");
      if (el && !el.closest("tr.report-row[data-reported='1']")) el.value = draft.values[name];
    });
    rows(form).forEach(function (row) {
      if (flag(row) && flag(row).value === "1") row.classList.add("table-success");
      showCorrection(row);
    });
  }

  // --- sending --------------------------------------------------------------------------------
  function status(form, text) {
    var el = form.querySelector("[data-submit-status]");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }
  function swap(html, url) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main"), main = document.querySelector("main");
    if (!fresh || !main) { document.open(); document.write(html); document.close(); return; }
    main.innerHTML = fresh.innerHTML;
    if (doc.title) document.title = doc.title;
    if (url && url !== window.location.href) window.history.replaceState(null, "", url);
    main.dispatchEvent(new CustomEvent("ronagh:swapped", { bubbles: true }));
    init(main);
  }
  function send(form, attempt) {
    var button = form.querySelector("#send-report");
    var key = form.querySelector("[data-idempotency-key]");
    submitting = true;
    if (button) button.disabled = true;
    status(form, form.dataset.textSending);
    var headers = { "X-Requested-With": "fetch" };
    if (key && key.value) headers["Idempotency-Key"] = key.value;
    fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: new FormData(form), headers: headers, credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (html) {
        submitting = false;
        swap(html, response.redirected ? response.url : null);
      });
    }).catch(function () {
      if (attempt >= RETRY_SECONDS.length) {
        submitting = false;
        if (button) button.disabled = false;
        status(form, form.dataset.textFailed);
        return;
      }
      var wait = RETRY_SECONDS[attempt];
      var tick = function () {
        status(form, (form.dataset.textRetrying || "").replace("{n}", local(wait)));
        if (wait <= 0) { send(form, attempt + 1); return; }
        wait -= 1;
        window.setTimeout(tick, 1000);
      };
      tick();
    });
  }

  // --- wiring -------------------------------------------------------------------------------
  function init(root) {
    var form = root.querySelector("[data-report-form]");
    var pick = root.querySelector("[data-report-pick]");
    if (!form) return;

    rows(form).forEach(function (row) {
      var input = percentInput(row);
      var btn = row.querySelector("[data-unchanged]");
      if (btn) btn.addEventListener("click", function () { markUnchanged(row); count(form); });
      if (input) input.addEventListener("input", function () {
        if (flag(row)) flag(row).value = "0";
        row.classList.remove("table-success");
        showCorrection(row);
        count(form);
      });
      var note = row.querySelector("textarea[name$='-note']");
      if (note) note.addEventListener("input", function () { count(form); });
    });
    form.querySelectorAll("a[data-keeps-draft]").forEach(function (a) {
      a.addEventListener("click", function () { saveDraft(form); submitting = true; });
    });

    var all = form.querySelector("[data-all-unchanged]");
    form.addEventListener("submit", function (e) {
      if (e.submitter && e.submitter === all) {
        e.preventDefault();
        var todo = rows(form).filter(function (row) {
          return !row.hidden && row.dataset.reported !== "1" && !filled(row);
        });
        if (!todo.length) { window.alert(form.dataset.textNoneUnchanged); return; }
        if (!window.confirm((form.dataset.textUnchanged || "").replace("{n}", local(todo.length)))) return;
        todo.forEach(markUnchanged);
        count(form);
        return;
      }
      if (!window.fetch || !window.FormData || !window.DOMParser) return;  // a plain post
      e.preventDefault();
      if (!submitting) send(form, 0);
    });

    if (pick) {
      var date = pick.querySelector("input[name=date]"), agency = pick.querySelector("select[name=agency]");
      var shown = { date: date ? date.value : "", agency: agency ? agency.value : "" };
      pick.querySelectorAll("[data-filter]").forEach(function (el) {
        el.addEventListener(el.type === "search" ? "input" : "change", function () { applyFilters(pick, form); });
      });
      pick.addEventListener("submit", function (e) {
        var moved = (date && latin(date.value) !== latin(shown.date)) || (agency && agency.value !== shown.agency);
        if (!moved) { e.preventDefault(); applyFilters(pick, form); return; }
        if (dirty(form) && !window.confirm(form.dataset.textDiscard)) {
          e.preventDefault();
          if (date) date.value = shown.date;
          if (agency) agency.value = shown.agency;
          return;
        }
        submitting = true;  // leaving on purpose: no second question
      });
    }

    restoreDraft(form);
    rows(form).forEach(showCorrection);
    count(form);

    var bad = form.querySelector("tr.report-row-error");
    if (bad) {
      bad.hidden = false;
      bad.scrollIntoView({ block: "center" });
      var input = percentInput(bad);
      if (input) input.focus({ preventScroll: true });
    } else if (form.querySelector("[data-page-error]")) {
      form.querySelector("[data-page-error]").scrollIntoView({ block: "center" });
    }
  }

  window.addEventListener("beforeunload", function (e) {
    var form = document.querySelector("[data-report-form]");
    if (!submitting && form && dirty(form)) {
      e.preventDefault();
      e.returnValue = form.dataset.textLeave || "";
    }
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
})();
