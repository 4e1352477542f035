// Type-ahead on the search page: names from GET /search as you type, as an ARIA combobox.
// Enter without a chosen suggestion submits the form (the server renders the results).
import { el, entityPath } from "./common.js";

const input = document.getElementById("q");
const list = document.getElementById("suggestions");
const DELAY = 120; // ms after the last key before asking
let controller = null;
let timer = null;
let active = -1;

function close() {
  list.hidden = true;
  list.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function highlight(index) {
  const options = list.querySelectorAll("[role=option]");
  if (!options.length) return;
  active = (index + options.length) % options.length;
  options.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
  input.setAttribute("aria-activedescendant", options[active].id);
  options[active].scrollIntoView({ block: "nearest" });
}

async function suggest() {
  const text = input.value.trim();
  if (text.length < 2) {
    close();
    return;
  }
  controller?.abort();
  controller = new AbortController();
  let data;
  try {
    const params = new URLSearchParams({ q: text, limit: "8" });
    const response = await fetch(`/search?${params}`, {
      signal: controller.signal,
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return close();
    data = await response.json();
  } catch (error) {
    if (error.name !== "AbortError") close();
    return;
  }
  if (!data.results.length) return close();
  list.replaceChildren(
    ...data.results.map((hit, i) => {
      const also = hit.name && hit.name !== hit.caption ? `as “${hit.name}” · ` : "";
      return el(
        "li",
        { id: `suggestion-${i}`, role: "option", "aria-selected": "false", "data-id": hit.id },
        el("span", { dir: "auto", text: hit.caption }),
        el("span", { class: "sub", dir: "auto", text: `${also}${hit.schema} · ${hit.datasets.join(", ")}` }),
      );
    }),
  );
  list.hidden = false;
  input.setAttribute("aria-expanded", "true");
  active = -1;
}

input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(suggest, DELAY);
});

input.addEventListener("keydown", (event) => {
  if (list.hidden) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    highlight(active + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Enter" && active >= 0) {
    event.preventDefault();
    location.assign(entityPath(list.querySelectorAll("[role=option]")[active].dataset.id));
  } else if (event.key === "Escape") {
    close();
  }
});

list.addEventListener("mousedown", (event) => {
  const option = event.target.closest("[role=option]");
  if (!option) return;
  event.preventDefault(); // keep the focus in the field
  location.assign(entityPath(option.dataset.id));
});

input.addEventListener("blur", () => setTimeout(close, 150));
