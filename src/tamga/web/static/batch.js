// Batch screening: upload a CSV to POST /screen, show progress while the JSON lines stream back
// (counted against the file's rows), then review the alerts one by one and record decisions
// through POST /decisions. Downloads: the JSON lines as received, or CSV from /screen?format=csv.
import { apiError, el, entityPath, pct, saveBlob, signedOut } from "./common.js";

const $ = (id) => document.getElementById(id);
const form = $("batch-form");
const progressBox = $("progress-box");
const progress = $("progress");
const progressText = $("progress-text");
const batchError = $("batch-error");
const review = $("review");
const decide = $("decide");
const reason = $("reason");
const decideStatus = $("decide-status");
const showSuppressed = $("show-suppressed");

let file = null;
let threshold = "";
let lines = []; // the JSON lines as received
let pairs = []; // every (result, match) worth a look: alerts and suppressed candidates
let alerts = []; // the pairs shown
let position = 0;

/** CSV records after the header: line ends outside quotes, blank lines skipped (as the server reads it). */
export function countRows(text) {
  let rows = 0;
  let quoted = false;
  let filled = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      quoted = !quoted;
      filled = true;
    } else if ((c === "\n" || c === "\r") && !quoted) {
      if (filled) rows++;
      filled = false;
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else if (c !== "\uFEFF") {
      filled = true;
    }
  }
  if (filled) rows++;
  return Math.max(0, rows - 1);
}

function showError(message) {
  batchError.textContent = message;
  batchError.hidden = false;
}

function screenParams(format) {
  const params = new URLSearchParams();
  if (threshold) params.set("threshold", threshold);
  if (format) params.set("format", format);
  return params;
}

function postFile(params) {
  const body = new FormData();
  body.append("file", file);
  return fetch(`/screen?${params}`, { method: "POST", body });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  file = form.elements.file.files[0];
  if (!file) return;
  threshold = form.elements.threshold.value.trim();
  const total = countRows(await file.text());
  lines = [];
  pairs = [];
  position = 0;
  review.hidden = true;
  batchError.hidden = true;
  $("downloads").hidden = true;
  progressBox.hidden = false;
  progress.max = Math.max(total, 1);
  progress.value = 0;
  progressText.textContent = `Checking ${total.toLocaleString("en")} rows…`;
  const submit = form.querySelector("button[type=submit]");
  submit.disabled = true;
  const started = performance.now();
  try {
    const response = await postFile(screenParams());
    if (!response.ok) {
      if (!signedOut(response)) showError(await apiError(response));
      progressText.textContent = "Nothing was screened.";
      return;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    let shown = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parts = (rest + value).split("\n");
      rest = parts.pop();
      for (const line of parts) if (line.trim()) lines.push(line);
      if (lines.length - shown >= Math.max(1, total / 200) || lines.length === total) {
        shown = lines.length;
        progress.value = shown;
        progressText.textContent = `${shown.toLocaleString("en")} of ${total.toLocaleString("en")} names screened`;
      }
    }
    if (rest.trim()) lines.push(rest);
    progress.value = lines.length;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const results = lines.map((line) => JSON.parse(line));
    results.forEach((result, row) => {
      for (const match of result.matches) {
        if (match.match || match.suppressed) pairs.push({ row, result, match, reading: null });
      }
    });
    const flagged = pairs.filter((p) => p.match.match).length;
    const suppressed = pairs.length - flagged;
    progressText.textContent =
      `${lines.length.toLocaleString("en")} of ${total.toLocaleString("en")} names screened in ${seconds} s: ` +
      `${flagged} alert${flagged === 1 ? "" : "s"}` +
      (suppressed ? `, ${suppressed} suppressed by earlier false-positive decisions.` : ".");
    $("downloads").hidden = false;
    await readPairs();
    showAlerts();
    if (!review.hidden) {
      review.scrollIntoView({ block: "start" });
      review.focus({ preventScroll: true }); // the keys work from here; a screen reader reads the alert
    }
  } catch (error) {
    showError(`The screening stopped: ${error.message}`);
  } finally {
    submit.disabled = false;
  }
});

/** The explanations in words, from the server (the same words as the search page). */
async function readPairs() {
  if (!pairs.length) return;
  const response = await fetch("/web/explain", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ explanations: pairs.map((p) => p.match.explanation) }),
  });
  if (!response.ok) return;
  const { readings } = await response.json();
  readings.forEach((reading, i) => (pairs[i].reading = reading.text));
}

function showAlerts() {
  alerts = pairs.filter((p) => p.match.match || showSuppressed.checked);
  position = Math.min(position, Math.max(alerts.length - 1, 0));
  review.hidden = pairs.length === 0;
  show();
}

showSuppressed.addEventListener("change", showAlerts);

function decisionText(d) {
  const what = d.decision === "match" ? "true match" : "false positive";
  const when = (d.decided_at || "").slice(0, 16).replace("T", " ");
  let text = `${what} by ${d.decided_by} on ${when}: “${d.reason}”`;
  if (d.stale) text += ` — reopened: the record changed since${d.changed?.length ? ` (${d.changed.join(", ")})` : ""}`;
  return text;
}

async function showHistory(pair) {
  const history = $("r-history");
  const known = pair.match.decision ? [pair.match.decision] : [];
  const render = (decisions) =>
    history.replaceChildren(
      ...(decisions.length
        ? decisions.map((d) => el("li", { class: d.stale ? "stale" : null, text: decisionText(d) }))
        : [el("li", { class: "muted", text: "none yet" })]),
    );
  render(known);
  const params = new URLSearchParams({ name: pair.result.query.name, entity_id: pair.match.entity_id });
  const response = await fetch(`/decisions?${params}`, { headers: { Accept: "application/json" } });
  if (response.ok && alerts[position] === pair) render((await response.json()).decisions);
}

function show() {
  const count = alerts.length;
  if (!count) {
    $("review-position").textContent = pairs.length
      ? "Every candidate here was suppressed by an earlier decision: tick the box to see them."
      : "No alert: no name met a listed one at the threshold.";
    $("alert-card").hidden = true;
    decide.hidden = true;
    return;
  }
  $("alert-card").hidden = false;
  decide.hidden = false;
  const pair = alerts[position];
  const { result, match } = pair;
  const decided = alerts.filter((p) => p.decidedNow).length;
  $("review-position").textContent = `Alert ${position + 1} of ${count}` + (decided ? ` · ${decided} decided here` : "");
  $("r-query").textContent = result.query.name;
  const facts = [`name ${pair.row + 1} of the file`];
  if (result.id) facts.push(`id ${result.id}`);
  if (result.query.birth_date) facts.push(`born ${result.query.birth_date}`);
  if (result.query.country) facts.push(`country ${result.query.country}`);
  $("r-row").textContent = `(${facts.join(", ")})`;
  const link = $("r-entity");
  link.textContent = match.name;
  link.href = entityPath(match.entity_id);
  $("r-entity-id").textContent = `${match.entity_id} · ${match.schema}`;
  $("r-score").textContent = `${pct(match.score)}${match.match ? "" : " · suppressed by an earlier decision"}`;
  $("r-why").textContent = pair.reading || `${match.explanation.query_name} ~ ${match.explanation.matched_name}`;
  decide.reset();
  decideStatus.textContent = pair.decidedNow ? `Recorded here: ${decisionText(pair.decidedNow)}` : "";
  showHistory(pair);
}

function move(step) {
  if (!alerts.length) return;
  position = Math.min(Math.max(position + step, 0), alerts.length - 1);
  show();
}

$("next").addEventListener("click", () => move(1));
$("prev").addEventListener("click", () => move(-1));

decide.addEventListener("submit", async (event) => {
  event.preventDefault();
  const choice = decide.elements.decision.value;
  const why = reason.value.trim();
  if (!choice) {
    decideStatus.textContent = "Choose true match (T) or false positive (F) first.";
    $("d-match").focus();
    return;
  }
  if (!why) {
    decideStatus.textContent = "Give a reason: it is kept with the decision.";
    reason.focus();
    return;
  }
  const pair = alerts[position];
  const response = await fetch("/decisions", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ name: pair.result.query.name, entity_id: pair.match.entity_id, decision: choice, reason: why }),
  });
  if (!response.ok) {
    if (!signedOut(response)) decideStatus.textContent = `Not recorded: ${await apiError(response)}`;
    return;
  }
  pair.decidedNow = await response.json();
  pair.match.decision = pair.decidedNow;
  if (position < alerts.length - 1) {
    move(1);
    decideStatus.textContent = `Recorded: ${decisionText(pair.decidedNow)}. Next alert.`;
  } else {
    show();
    decideStatus.textContent = `Recorded: ${decisionText(pair.decidedNow)}. That was the last alert.`;
  }
});

document.addEventListener("keydown", (event) => {
  if (review.hidden || decide.hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target.matches("textarea, select, input:not([type=radio]):not([type=checkbox]):not([type=file])");
  if (typing) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  const key = event.key.toLowerCase();
  if (key === "j") move(1);
  else if (key === "k") move(-1);
  else if (key === "t" || key === "f") {
    $(key === "t" ? "d-match" : "d-fp").checked = true;
    reason.focus();
  } else if (key === "r") reason.focus();
  else return;
  event.preventDefault();
});

$("download-jsonl").addEventListener("click", () => {
  const name = file.name.replace(/\.csv$/i, "") || "screening";
  saveBlob(new Blob([lines.join("\n") + "\n"], { type: "application/x-ndjson" }), `${name}-results.jsonl`);
});

$("download-csv").addEventListener("click", async () => {
  const button = $("download-csv");
  button.disabled = true;
  try {
    const response = await postFile(screenParams("csv"));
    if (!response.ok) {
      if (!signedOut(response)) showError(await apiError(response));
      return;
    }
    const name = file.name.replace(/\.csv$/i, "") || "screening";
    saveBlob(await response.blob(), `${name}-results.csv`);
  } finally {
    button.disabled = false;
  }
});
