// The app's small kit: DOM building (text only: never innerHTML), the API client, the
// signed-in user, forms whose errors show under each field, and a confirm dialog.

export const TOKEN_KEY = "crew.token";
const app = document.getElementById("app");

export const MESSAGES = {
  slot_full: "Every slot of that kind is already taken.",
  already_claimed: "You already hold a slot on this trip.",
  overlapping_claim: "You already sail on another trip at that time.",
  late_release: "The trip leaves within 24 hours: only the office can release your slot now. Please call them.",
  not_qualified: "A captain's slot needs a captain whose licence is valid past the trip's return.",
  waiver_required: "This guest has not signed the waiver yet, so they cannot board.",
  event_closed: "This trip is closed: it was cancelled or has already left.",
  rate_limited: "Too many tries from this device. Wait 15 minutes and try again.",
  unauthorized: "This link or code does not work: it was already used, has expired, or was mistyped. Ask for a new one.",
  slots_held: "Fewer slots than people holding them: remove someone from a slot first.",
  mail_not_sent: "Saved, but the email did not go out. Try \"Resend link\" in a minute.",
  offer_taken: "Someone else took this slot a moment before you: it is no longer free.",
  offer_closed: "This offer is closed: it was withdrawn, or the trip has left.",
  offer_exists: "Your slot is already offered.",
  not_holder: "You no longer hold that slot.",
  already_departed: "This trip is already marked as departed.",
  not_departed: "Tap \"Departed\" first: the trip has no float plan yet.",
  already_returned: "This trip is already marked back.",
  too_early: "\"Departed\" opens 24 hours before the trip: tap it as you leave the dock.",
};

// ---- DOM -----------------------------------------------------------------------------------
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
export const notice = (kind, text) => h("p", { class: `notice ${kind}`, role: kind === "bad" ? "alert" : "status" }, text);
export function show(...nodes) {
  app.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  app.focus({ preventScroll: true });
}
/** Run the router again (the screen re-reads the server). */
export const refresh = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
export const fmtTime = (iso) => iso.slice(11, 16);
export function fmtDay(iso) {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
}
export const fmtWhen = (iso) => `${fmtDay(iso)} · ${fmtTime(iso)}`;
/** An instant in this phone's own zone (for UTC times such as a link's expiry). */
export const fmtLocal = (iso) => new Date(iso).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** A message for the next screen (shown once by ``takeFlash``). */
export const flash = (text, kind = "good") => sessionStorage.setItem("crew.flash", JSON.stringify([kind, text]));
export function takeFlash() {
  const saved = sessionStorage.getItem("crew.flash");
  sessionStorage.removeItem("crew.flash");
  return saved ? notice(...JSON.parse(saved)) : null;
}
/** "2026-12-01T17:00" in this phone's zone -> ISO with the phone's offset on that date. */
export function localToIso(value) {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const off = -d.getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${value.length === 16 ? `${value}:00` : value}${off < 0 ? "-" : "+"}${pad(off / 60)}:${pad(off % 60)}`;
}
/** An ISO instant as a datetime-local value in this phone's zone. */
export function isoToLocal(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** "UTC−08:00": this phone's offset, said next to time inputs. */
export function phoneZone(value) {
  const off = -(value ? new Date(value) : new Date()).getTimezoneOffset();
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `UTC${off < 0 ? "−" : "+"}${pad(off / 60)}:${pad(off % 60)}`;
}

// ---- API -----------------------------------------------------------------------------------
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.fields = (body && body.fields) || {};
  }
  get plain() { return MESSAGES[this.code] || this.message; }
}

export async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { error: "offline", message: "No connection. Check your signal and try again." });
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { message: `The server answered ${res.status}. Try again in a minute.` }; }
  if (res.status === 401 && token && !path.startsWith("/api/auth/")) {
    localStorage.removeItem(TOKEN_KEY);
    location.hash = "#/signin";
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Who is signed in on this device (``session.me``: the /api/me user, or null). */
export const session = { me: null };

// ---- forms ---------------------------------------------------------------------------------
let uid = 0;
/**
 * One labelled field: label, control, optional hint, and the slot where the API's 422
 * message for ``name`` appears. ``control`` is an element or a builder taking the id.
 */
export function field(name, label, control, hint) {
  const id = `f-${name}-${++uid}`;
  const input = typeof control === "function" ? control(id) : control;
  if (!input.id) input.id = id;
  const error = h("p", { class: "field-error", "data-error-for": name, id: `${input.id}-err` });
  input.setAttribute("aria-describedby", error.id);
  input.dataset.field = name;
  return h("div", { class: "field", "data-field": name },
    h("label", { for: input.id }, label), input, hint ? h("p", { class: "hint" }, hint) : null, error);
}
export const input = (attrs) => h("input", { type: "text", ...attrs });

/** Clear the messages of a form before a new try. */
export function clearErrors(form) {
  form.querySelectorAll("[data-error-for]").forEach((el) => { el.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

/**
 * Show an API error on a form: each ``fields`` message under its own field (the first such
 * field gets the focus), the rest in ``result``. What was typed stays.
 */
export function showErrors(form, result, err) {
  const spare = [];
  let first = null;
  for (const [name, why] of Object.entries(err.fields || {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) { spare.push(`${name}: ${why}`); continue; }
    slot.textContent = why;
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]:is(input, select, textarea)`) ||
      slot.closest("[data-field]")?.querySelector("input, select, textarea");
    if (control) { control.setAttribute("aria-invalid", "true"); first = first || control; }
  }
  const fieldsShown = Object.keys(err.fields || {}).length > spare.length;
  const summary = fieldsShown ? "Please check the fields marked below." : err.plain || String(err);
  result.replaceChildren(notice("bad", summary), ...spare.map((s) => notice("bad", s)));
  if (first) first.focus();
}

/** A submit handler that disables the button while the request runs. */
export function submitting(form, result, work) {
  return async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    clearErrors(form);
    result.replaceChildren();
    if (button) button.disabled = true;
    try { await work(); } catch (err) { showErrors(form, result, err); } finally { if (button) button.disabled = false; }
  };
}

/** Ask before a step that cannot be undone; resolves true when the user confirms. */
export function confirmStep(question, detail, yes, no = "Keep it") {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm", "aria-label": question });
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(false); });
    dialog.append(h("h2", {}, question), h("p", {}, detail), h("div", { class: "row" },
      h("button", { class: "danger", onclick: () => close(true) }, yes),
      h("button", { class: "secondary", onclick: () => close(false) }, no)));
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Copy text to the clipboard; falls back to selecting it in ``box`` for a long press. */
export async function copyText(text, box, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.replaceChildren(notice("good", "Copied."));
  } catch {
    box.focus();
    box.select();
    status.replaceChildren(notice("warn", "Could not copy here: the text is selected, copy it from the menu."));
  }
}
