// Portfolio screening: upload holdings to POST /portfolio, show the summary, the exposure chart
// and the divestment list from its JSON report, and download the report as HTML, CSV or XLSX.
import { apiError, el, entityPath, number, pct, saveBlob, signedOut } from "./common.js";

const $ = (id) => document.getElementById(id);
const form = $("portfolio-form");
const status = $("portfolio-status");
const error = $("portfolio-error");
const result = $("portfolio-result");
const STATUSES = ["prohibited", "sanctioned", "restricted", "clear", "error"];
const SVG = "http://www.w3.org/2000/svg";
let file = null;

function post(format) {
  const body = new FormData();
  body.append("file", file);
  return fetch(`/portfolio?format=${format}`, { method: "POST", body });
}

function badge(value) {
  return el("span", { class: STATUSES.includes(value) ? `status-${value}` : "badge", text: value });
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

/** A bar per list: the share of the portfolio on it (as the HTML report draws it). */
function exposureChart(byList) {
  const entries = Object.entries(byList);
  if (!entries.length) return el("p", { class: "muted", text: "No holding is on any list." });
  const width = 720, labelWidth = 220, bar = 22, gap = 8;
  const height = entries.length * (bar + gap) + gap;
  const scale = width - labelWidth - 90;
  const chart = svg("svg", { role: "img", "aria-label": "Exposure by list", width, height,
    viewBox: `0 0 ${width} ${height}`, "font-size": 13 });
  entries.forEach(([name, group], i) => {
    const y = gap + i * (bar + gap);
    const length = Math.max(1, (group.share || 0) * scale);
    const row = svg("g");
    row.append(
      svg("title", {}, `${name}: ${group.holdings} holding(s), ${pct(group.share, 2)}`),
      svg("text", { x: labelWidth - 8, y: y + bar * 0.7, "text-anchor": "end" }, name),
      svg("rect", { x: labelWidth, y, width: length.toFixed(1), height: bar, fill: "#b3261e" }),
      svg("text", { x: (labelWidth + length + 6).toFixed(1), y: y + bar * 0.7 }, `${pct(group.share, 2)} (${group.holdings})`),
    );
    chart.append(row);
  });
  return chart;
}

function render(report) {
  const s = report.summary;
  const label = { weight: "weight", count: "holdings" }[s.value_basis] || "value";
  const money = (value) => (value === null || value === undefined ? "–" : number(value) + (s.value_basis === "value" && s.currency ? ` ${s.currency}` : ""));
  $("flagged-share").textContent = pct(s.flagged_share, 2);
  $("flagged-count").textContent = `${s.flagged_holdings} of ${s.holdings} holdings`;
  $("flagged-value-label").textContent = `flagged ${label}`;
  $("flagged-value").textContent = money(s.flagged_value);
  $("total-value-label").textContent = `total ${label}`;
  $("total-value").textContent = money(s.total_value);
  $("portfolio-warnings").replaceChildren(...s.warnings.map((w) => el("p", { class: "warn-box", text: w })));
  $("exposure-chart").replaceChildren(exposureChart(s.by_list));
  $("status-rows").replaceChildren(
    ...Object.entries(s.by_status).map(([name, g]) =>
      el("tr", {}, el("td", {}, badge(name)), el("td", { class: "num", text: g.holdings }),
        el("td", { class: "num", text: number(g.value) }), el("td", { class: "num", text: pct(g.share, 2) }))),
  );
  const byRow = new Map(report.holdings.map((h) => [h.row, h]));
  const rows = s.divest.map((item) => {
    const holding = byRow.get(item.row);
    const listed = el("td");
    for (const m of holding?.matches || []) {
      listed.append(el("div", {}, el("a", { href: entityPath(m.entity_id), dir: "auto", text: m.name }),
        el("span", { class: "muted small", text: ` ${m.basis}` })));
    }
    const share = item.value !== null && s.total_value ? item.value / s.total_value : null;
    return el("tr", {},
      el("td", { class: "num", text: item.row }),
      el("td", { dir: "auto", text: item.name || "" }),
      el("td", {}, badge(item.status)),
      el("td", { class: "num", text: money(item.value) }),
      el("td", { class: "num", text: pct(share, 2) }),
      listed,
      el("td", { text: item.lists.join(", ") }));
  });
  $("divest-rows").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 7, class: "muted", text: "No holding is flagged." }))]));
  result.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  file = form.elements.file.files[0];
  if (!file) return;
  error.hidden = true;
  result.hidden = true;
  status.textContent = `Screening ${file.name}…`;
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  const started = performance.now();
  try {
    const response = await post("json");
    if (!response.ok) {
      if (!signedOut(response)) {
        error.textContent = await apiError(response);
        error.hidden = false;
      }
      status.textContent = "";
      return;
    }
    const report = await response.json();
    render(report);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent = `${file.name}: ${report.summary.holdings} holdings screened in ${seconds} s.`;
  } catch (failure) {
    error.textContent = `The screening stopped: ${failure.message}`;
    error.hidden = false;
  } finally {
    submit.disabled = false;
  }
});

for (const button of result.querySelectorAll("button[data-format]")) {
  button.addEventListener("click", async () => {
    const format = button.dataset.format;
    button.disabled = true;
    try {
      const response = await post(format);
      if (!response.ok) {
        if (!signedOut(response)) {
          error.textContent = await apiError(response);
          error.hidden = false;
        }
        return;
      }
      const stem = file.name.replace(/\.(csv|xlsx)$/i, "");
      saveBlob(await response.blob(), `${stem}-report.${format}`);
    } finally {
      button.disabled = false;
    }
  });
}
