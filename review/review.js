// The review page's behaviour: linking records and cells, and an edit mode
// whose changes download as a corrections CSV (normalize/corrections.py).
(function () {
  "use strict";
  var meta = JSON.parse(document.getElementById("lampiran-data").textContent);
  var corrections = {};  // "activity|field" -> row
  var info = document.getElementById("info");

  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
  function clear() { all(".hi").forEach(function (e) { e.classList.remove("hi"); }); }
  function editing() { return document.body.classList.contains("editing"); }

  function showActivity(n, field, value) {
    clear();
    all('tr.activity[data-activity="' + n + '"], tr.gantt-row[data-activity="' + n + '"]').forEach(function (e) { e.classList.add("hi"); });
    var boxes = all('.mark[data-activity="' + n + '"], .cell[data-activities~="' + n + '"]');
    boxes.forEach(function (e) { e.classList.add("hi"); });
    if (boxes.length) { boxes[0].scrollIntoView({ block: "center" }); }
    var page = boxes.length ? boxes[0].getAttribute("data-page") : "?";
    info.textContent = "activity " + n + (field ? " · " + field + ": " + value : "") + " · page " + page;
  }

  all("tr.activity").forEach(function (tr) {
    tr.addEventListener("click", function (ev) {
      if (editing() && ev.target.closest("[data-field]")) { return; }
      var td = ev.target.closest("td[data-field]");
      showActivity(tr.getAttribute("data-activity"), td && td.getAttribute("data-field"), td && td.textContent);
    });
  });
  all("tr.table-cell").forEach(function (tr) {
    tr.addEventListener("click", function () {
      if (editing()) { return; }
      clear();
      var td = tr.querySelector("td[data-key]");
      tr.classList.add("hi");
      var cell = document.querySelector('.cell[data-key="' + td.getAttribute("data-key") + '"]');
      if (cell) { cell.classList.add("hi"); cell.scrollIntoView({ block: "center" }); }
      info.textContent = "cell " + td.getAttribute("data-key") + ": " + td.textContent;
    });
  });
  all(".cell, .mark").forEach(function (box) {
    box.addEventListener("click", function () {
      clear();
      box.classList.add("hi");
      var acts = (box.getAttribute("data-activities") || box.getAttribute("data-activity") || "").split(" ").filter(Boolean);
      acts.forEach(function (n) { all('tr.activity[data-activity="' + n + '"]').forEach(function (e) { e.classList.add("hi"); }); });
      var key = box.getAttribute("data-key");
      if (key) { all('td[data-key="' + key + '"]').forEach(function (e) { e.closest("tr").classList.add("hi"); }); }
      info.textContent = (box.classList.contains("mark") ? "mark" : "cell") + " · page " + box.getAttribute("data-page") +
        " · " + JSON.stringify(box.getAttribute("title")) + (box.getAttribute("data-conf") ? " · confidence " + box.getAttribute("data-conf") : "");
    });
  });

  function record(key, row) {
    corrections[key] = row;
    document.getElementById("n-corrections").textContent = Object.keys(corrections).length;
  }
  all("td[data-field], td[data-cellvalue]").forEach(function (td) {
    td.setAttribute("data-original", td.textContent);
    td.addEventListener("blur", function () {
      if (td.textContent === td.getAttribute("data-original")) { return; }
      td.classList.add("corrected");
      var act = td.closest("tr").getAttribute("data-activity");
      if (act) { record(act + "|" + td.getAttribute("data-field"), [meta.doc_id, act, td.getAttribute("data-field"), td.textContent]); }
      else { record(td.getAttribute("data-key") + "|cell", [meta.doc_id, td.getAttribute("data-key"), "table_cells", td.textContent]); }
    });
  });
  all("table.gantt td.month").forEach(function (td) {
    td.addEventListener("click", function () {
      if (!editing()) { return; }
      var n = td.closest("tr").getAttribute("data-activity");
      td.classList.toggle("bar");
      td.classList.add("corrected");
      var months = all('tr.gantt-row[data-activity="' + n + '"] td.month.bar').map(function (e) { return e.getAttribute("data-bulan"); });
      record(n + "|bulan", [meta.doc_id, n, "bulan", months.join(",")]);
    });
  });
  document.getElementById("edit").addEventListener("click", function () {
    document.body.classList.toggle("editing");
    all("td[data-field], td[data-cellvalue]").forEach(function (td) { td.contentEditable = editing() ? "true" : "false"; });
    this.textContent = editing() ? "Stop editing" : "Edit mode";
  });

  function csvField(v) { v = String(v); return /[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }
  document.getElementById("download").addEventListener("click", function () {
    var lines = ["doc_id,activity_no,field,value,note"];
    Object.keys(corrections).sort().forEach(function (k) { lines.push(corrections[k].concat(["review"]).map(csvField).join(",")); });
    var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = meta.doc_id + "-corrections.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
}());
