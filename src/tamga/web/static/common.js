// Helpers shared by the page scripts. Text from the server or from an upload goes into the page
// through textContent and setAttribute only, never as HTML.

/** An element with attributes (`text` sets its text) and children (nodes or plain text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** The page of an entity: its id as one path segment, as the server writes it. */
export function entityPath(id) {
  return "/entity/" + encodeURIComponent(id).replace(/%3A/gi, ":").replace(/%40/g, "@");
}

/** The API's error message (its `detail`), or the status when there is none. */
export async function apiError(response) {
  try {
    const data = await response.json();
    if (typeof data.detail === "string") return data.detail;
    if (Array.isArray(data.detail)) return data.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
  } catch {
    /* not JSON */
  }
  return `the server answered ${response.status} ${response.statusText}`;
}

/** Back to the sign-in page when the key is no longer accepted; true if so. */
export function signedOut(response) {
  if (response.status !== 401) return false;
  location.assign("/signin?next=" + encodeURIComponent(location.pathname + location.search));
  return true;
}

/** Offer ``blob`` as a download named ``name``. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function pct(share, digits = 0) {
  return share === null || share === undefined ? "–" : `${(share * 100).toFixed(digits)}%`;
}

export function number(value) {
  if (value === null || value === undefined) return "–";
  return Number(value).toLocaleString("en", { maximumFractionDigits: 2 });
}
