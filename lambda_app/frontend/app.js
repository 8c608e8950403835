// The crew and guest app: plain ES modules, no build step, no inline scripts, no innerHTML.
// This one holds the router and the crew's screens; ui.js the kit; admin.js the office's
// screens; mine.js calendar and availability; offers.js swaps; underway.js weather and float.
// The session token is kept in localStorage so a phone stays signed in between visits; the
// strict Content-Security-Policy and text-only rendering keep other scripts from reading it.

import {
  TOKEN_KEY, api, clearErrors, field, fmtDay, fmtLocal, fmtTime, h, input, notice, session, show, submitting, takeFlash,
} from "./ui.js";
import { availabilityScreen, calendarScreen, mineBar } from "./mine.js";
import { offersBlock, openOffers } from "./offers.js";
import { floatBlock, weatherCard } from "./underway.js";
import {
  addGuestForm, adminBar, inviteScreen, isAdmin, removeFromSlot, resendWaiver, tripActions,
  tripFormScreen,
} from "./admin.js";

const nav = document.getElementById("nav");

let me = null;
async function currentUser() {
  if (!localStorage.getItem(TOKEN_KEY)) return null;
  if (!me) me = session.me = await api("GET", "/api/me");
  return me;
}

function renderNav() {
  nav.replaceChildren();
  if (!me) return;
  nav.append(
    h("button", { class: "secondary", onclick: signOut }, "Sign out"), " ",
    h("button", { class: "secondary", onclick: signOutEverywhere, title: "Sign out on every device" }, "Everywhere"),
  );
}

function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  me = session.me = null;
  renderNav();
  location.hash = "#/signin";
}

async function signOutEverywhere() {
  try { await api("POST", "/api/auth/logout-all"); } catch { /* signed out here anyway */ }
  signOut();
}

// ---- screens ------------------------------------------------------------------------------
function claimScreen(code) {
  const result = h("div");
  const button = h("button", {
    onclick: async () => {
      button.disabled = true;
      try {
        signedIn(await api("POST", "/api/auth/claim", { code }));
      } catch (err) {
        result.replaceChildren(notice("bad", err.plain), h("a", { href: "#/signin", class: "button secondary" }, "Get a new link"));
      }
    },
  }, "Sign in");
  show(
    h("h1", {}, "Confirm sign-in"),
    h("p", {}, "Tap the button to sign in on this device. The link works once."),
    button, result,
  );
}

function signInScreen() {
  const email = input({ type: "email", autocomplete: "email" });
  const code = input({ autocomplete: "one-time-code", autocapitalize: "characters", spellcheck: "false", placeholder: "K7QM-3XPA" });
  const linkResult = h("div");
  const codeResult = h("div");
  const linkForm = h("form", { novalidate: true, class: "stack" },
    field("email", "Your email", email), linkResult, h("button", { type: "submit" }, "Email me a sign-in link"));
  linkForm.addEventListener("submit", submitting(linkForm, linkResult, async () => {
    await api("POST", "/api/auth/login-link", { email: email.value });
    linkResult.replaceChildren(notice("good", "If that address is registered, a sign-in link is on its way. It works for 10 minutes."));
  }));
  const codeForm = h("form", { novalidate: true, class: "stack" },
    h("h2", {}, "Got the email on another device?"),
    field("short_code", "Code from the email", code, "Type it here with your email above."), codeResult,
    h("button", { type: "submit", class: "secondary" }, "Sign in with the code"));
  codeForm.addEventListener("submit", submitting(codeForm, codeResult, async () => {
    const typed = code.value.trim();
    clearErrors(linkForm);
    if (!email.value.trim() && typed.length > 9 && !typed.includes("-")) { // a link's long code, pasted
      location.hash = `#/claim?code=${encodeURIComponent(typed)}`;
      return;
    }
    try {
      signedIn(await api("POST", "/api/auth/claim", { email: email.value.trim(), short_code: typed }));
    } catch (err) {
      if (err.fields.email) { linkForm.querySelector("[data-error-for=email]").textContent = err.fields.email; delete err.fields.email; }
      throw err;
    }
  }));
  show(h("h1", {}, "Sign in"), linkForm, codeForm);
}

function signedIn(reply) {
  localStorage.setItem(TOKEN_KEY, reply.token);
  me = session.me = reply.user;
  renderNav();
  location.hash = "#/events";
}

function timingCard(t) {
  const cells = [["Boarding", t.boarding_at], ["Departure", t.departure_at], ["Return", t.return_at], ["Sunset", t.sunset_at], ["Civil dusk", t.civil_dusk_at]];
  return h("div", {},
    h("div", { class: "grid" }, cells.map(([label, iso]) => h("div", { class: "time" }, h("b", {}, fmtTime(iso)), h("span", {}, label)))),
    t.returns_after_dusk ? notice("warn", `Returns after dusk: back at ${fmtTime(t.return_at)}, civil dusk ${fmtTime(t.civil_dusk_at)}. Navigation lights on.`) : null,
  );
}

function slotBadge(e) {
  const open = Object.values(e.open_slots).reduce((a, b) => a + b, 0);
  return open ? h("span", { class: "badge warn" }, `${open} open slot${open > 1 ? "s" : ""}`) : h("span", { class: "badge good" }, "Crew complete");
}

async function eventsScreen() {
  const data = await api("GET", "/api/events");
  const list = data.events.map((e) => h("article", { class: "card" },
    h("a", { class: "title", href: `#/events/${e.id}` }, e.title),
    h("p", { class: "muted" }, `${fmtDay(e.starts_at)} · ${fmtTime(e.timing.departure_at)} · ${e.vessel || "vessel to be confirmed"}`),
    h("div", { class: "row" }, e.status === "cancelled" ? h("span", { class: "badge bad" }, "Cancelled") : slotBadge(e),
      e.offers && e.offers.length && e.status === "scheduled" ? h("span", { class: "badge info" }, "Slot offered") : null,
      e.timing.returns_after_dusk ? h("span", { class: "badge info" }, "After dusk") : null),
  ));
  show(h("h1", {}, me.role === "guest" ? "Your trip" : "Upcoming trips"), takeFlash(), isAdmin() ? adminBar() : null, mineBar(),
    await openOffers(), list.length ? h("h2", {}, "Trips") : null,
    ...(list.length ? list : [h("p", { class: "muted" }, "No trips in the next 90 days.")]));
}

function holdsSlot(e) { return e.claims.find((c) => c.user_id === me.id); }

async function eventScreen(id) {
  const e = await api("GET", `/api/events/${id}`);
  const result = h("div");
  const parts = [h("h1", {}, e.title), takeFlash(), h("p", { class: "muted" }, `${fmtDay(e.starts_at)} · ${e.vessel || ""} · ${e.duration_minutes} min`),
    e.status === "cancelled" ? notice("bad", "This trip is cancelled.") : null, timingCard(e.timing), weatherCard(e.timing.weather)];
  if (me.role === "guest") {
    parts.push(h("p", {}, h("a", { class: "button", href: `#/events/${id}/waiver` }, "Sign the waiver")));
    return show(...parts);
  }
  const mine = holdsSlot(e);
  parts.push(floatBlock(e, isAdmin() || (mine && mine.role === "captain")));
  if (isAdmin()) parts.push(tripActions(e, result));
  parts.push(h("h2", {}, "Slots"), h("ul", { class: "plain" }, Object.entries(e.slots).flatMap(([role, n]) =>
    Array.from({ length: n }, (_, i) => {
      const c = e.claims.find((x) => x.role === role && x.slot_no === i + 1);
      const label = `${role === "captain" ? "Captain" : "Crew"} ${i + 1}`;
      const offered = c && (e.offers || []).some((o) => o.role === role && o.slot_no === i + 1);
      return h("li", { class: "row spread" }, h("span", {}, `${label}: `, c ? (c.user_id === me.id ? h("b", {}, "you") : "taken") : h("span", { class: "badge warn" }, "open"),
        offered ? [" ", h("span", { class: "badge info" }, "offered")] : null),
        c && isAdmin() ? removeFromSlot(e, c, label, result) : null);
    }))));
  const claim = (role) => async () => {
    try { await api("POST", `/api/events/${id}/claims`, { role }); route(); }
    catch (err) { result.replaceChildren(notice("bad", err.plain)); }
  };
  if (me.role === "captain" || me.role === "crew") {
    if (mine) {
      parts.push(h("button", { class: "secondary", onclick: async () => {
        try { await api("DELETE", `/api/events/${id}/claims/me`); route(); }
        catch (err) { result.replaceChildren(notice("bad", err.plain)); }
      } }, "Release my slot"));
    } else {
      const row = h("div", { class: "row" });
      if (me.role === "captain" && e.open_slots.captain) row.append(h("button", { onclick: claim("captain") }, "Take captain slot"));
      if (e.open_slots.crew) row.append(h("button", { onclick: claim("crew") }, "Take crew slot"));
      const offered = (e.offers || []).length && e.status === "scheduled"; // then "Take this slot" shows below
      if (!row.childNodes.length && !offered) row.append(h("span", { class: "badge good" }, "All slots are taken"));
      parts.push(row);
    }
  }
  parts.push(offersBlock(e, mine, result), result);
  if (isAdmin()) { // the office looks after the guest list first
    parts.push(await manifestBlock(e), e.status === "scheduled" ? addGuestForm(e) : null, await checklistBlock(id));
    return show(...parts);
  }
  if (mine) parts.push(await checklistBlock(id));
  if (mine && mine.role === "captain") parts.push(await manifestBlock(e));
  show(...parts);
}

async function checklistBlock(id) {
  const { items } = await api("GET", `/api/events/${id}/checklist`);
  const status = h("div");
  const done = () => items.filter((i) => i.done).length;
  const progress = h("p", { class: "muted" }, `${done()} of ${items.length} done`);
  const phases = ["pre_departure", "underway", "post_trip"];
  const lists = phases.map((phase) => h("div", {}, h("h2", {}, phase.replace("_", " ").replace(/^./, (c) => c.toUpperCase())),
    items.filter((i) => i.phase === phase).map((item) => {
      const box = h("input", { type: "checkbox", id: `ck-${item.id}`, checked: item.done });
      box.addEventListener("change", async () => {
        const wanted = box.checked;
        item.done = wanted; // show it at once; put it back if the server says no
        progress.textContent = `${done()} of ${items.length} done`;
        try { await api("PUT", `/api/events/${id}/checklist/${item.id}`, { done: wanted }); status.replaceChildren(); }
        catch (err) {
          item.done = !wanted; box.checked = !wanted;
          progress.textContent = `${done()} of ${items.length} done`;
          status.replaceChildren(notice("bad", `Not saved: ${err.plain}`));
        }
      });
      return h("label", { class: "check", for: `ck-${item.id}` }, box, item.text);
    })));
  return h("section", { "aria-label": "Checklist" }, h("h2", {}, "Checklist"), progress, status, lists);
}

async function manifestBlock(e) {
  const id = e.id;
  const { guests } = await api("GET", `/api/events/${id}/manifest`);
  const result = h("div");
  const badge = { on_hold: ["warn", "On hold: no waiver"], cleared: ["good", "Waiver signed"], checked_in: ["info", "Checked in"] };
  return h("section", { "aria-label": "Guests" }, h("h2", {}, "Guests"), result,
    guests.length ? h("ul", { class: "plain" }, guests.map((g) => h("li", { class: "row" },
      h("span", {}, h("b", {}, g.name), ` ${g.minor ? "(minor) " : ""}`), h("span", { class: `badge ${badge[g.status][0]}` }, badge[g.status][1]),
      // who is still unsigned, and since when (on the manifest since they were added)
      g.on_hold_since ? h("small", { class: "muted" }, `since ${fmtLocal(g.on_hold_since)}`) : null,
      g.status === "on_hold" && isAdmin() && e.status === "scheduled" ? resendWaiver(id, g, result) : null,
      g.status === "checked_in" ? null : h("button", { class: "secondary", onclick: async () => {
        try { await api("POST", `/api/events/${id}/guests/${g.id}/check-in`); route(); }
        catch (err) { result.replaceChildren(notice("bad", `${g.name}: ${err.plain}`)); }
      } }, "Check in")))) : h("p", { class: "muted" }, "No guests yet."));
}

function ageOn(born, day) {
  const [by, bm, bd] = born.split("-").map(Number);
  const [ty, tm, td] = day.split("-").map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

async function waiverScreen(id) {
  const e = await api("GET", `/api/events/${id}`);
  const field = (name, label, type = "text", extra = {}) => {
    const input = h("input", { type, id: name, name, required: true, ...extra });
    return [h("label", { for: name }, label), input, h("div", { class: "field-error", id: `${name}-error` })];
  };
  const guardian = h("div", { hidden: true },
    h("p", { class: "notice warn" }, "Guests under 18 need a parent or guardian to sign too."),
    ...field("guardian_name", "Guardian's full name"), ...field("guardian_signature", "Guardian's signature (type their name)"));
  const result = h("div");
  const form = h("form", { novalidate: true },
    ...field("full_name", "Your full name", "text", { autocomplete: "name" }),
    ...field("date_of_birth", "Date of birth", "date"),
    ...field("emergency_contact_name", "Emergency contact"),
    ...field("emergency_contact_phone", "Emergency contact phone", "tel", { autocomplete: "tel" }),
    guardian,
    h("p", {}, "I understand that sailing involves risks, including injury. I will follow the captain's and crew's safety instructions, wear a life jacket when asked, and disclose any medical condition that may affect my safety."),
    ...field("signature", "Signature (type your full name)"),
    h("label", { class: "check", for: "accept" }, h("input", { type: "checkbox", id: "accept" }), "I accept the waiver"),
    h("p"), h("button", { type: "submit" }, "Sign the waiver"), result);
  const dob = form.querySelector("#date_of_birth");
  const minor = () => dob.value && ageOn(dob.value, e.starts_at.slice(0, 10)) < 18;
  dob.addEventListener("change", () => { guardian.hidden = !minor(); });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelectorAll(".field-error").forEach((el) => { el.textContent = ""; });
    const data = Object.fromEntries(["full_name", "date_of_birth", "emergency_contact_name", "emergency_contact_phone", "signature", "guardian_name", "guardian_signature"]
      .map((n) => [n, form.querySelector(`#${n}`).value.trim()]));
    data.accept = form.querySelector("#accept").checked;
    if (!minor()) { delete data.guardian_name; delete data.guardian_signature; }
    const missing = Object.entries(data).filter(([k, v]) => k !== "accept" && !v).map(([k]) => k);
    if (missing.length || !data.accept) {
      missing.forEach((k) => { form.querySelector(`#${k}-error`).textContent = "Please fill this in."; });
      result.replaceChildren(notice("bad", data.accept ? "Some fields are missing." : "Please accept the waiver."));
      return;
    }
    try {
      const guest = await api("POST", `/api/events/${id}/waiver`, data);
      show(h("h1", {}, "Thank you"), notice("good", `Waiver signed: ${guest.name} is cleared to board.`), h("p", {}, h("span", { class: "badge good" }, "Cleared")), h("a", { href: `#/events/${id}` }, "Back to the trip"));
    } catch (err) {
      for (const [k, why] of Object.entries(err.fields)) {
        const slot = form.querySelector(`#${k}-error`);
        if (slot) slot.textContent = why;
        if (k.startsWith("guardian")) guardian.hidden = false;
      }
      result.replaceChildren(notice("bad", err.plain));
    }
  });
  show(h("h1", {}, `Waiver: ${e.title}`), h("p", { class: "muted" }, `${fmtDay(e.starts_at)} · boarding ${fmtTime(e.timing.boarding_at)}`), form);
}

// ---- router -------------------------------------------------------------------------------
async function route() {
  const hash = location.hash || "#/events";
  const [path, query] = hash.slice(1).split("?");
  const params = new URLSearchParams(query || "");
  try {
    if (path === "/claim") return claimScreen(params.get("code") || "");
    if (path === "/signin") { renderNav(); return signInScreen(); }
    if (!(await currentUser())) { location.hash = "#/signin"; return; }
    renderNav();
    if (path === "/new" && isAdmin()) return await tripFormScreen(null);
    if (path === "/invite" && isAdmin()) return await inviteScreen();
    if (path === "/calendar") return await calendarScreen();
    if (path === "/availability" && me.role !== "guest") return await availabilityScreen();
    const m = path.match(/^\/events\/([^/]+)(\/waiver|\/edit)?$/);
    if (m && m[2] === "/edit" && isAdmin()) return await tripFormScreen(m[1]);
    if (m && m[2] === "/waiver") return await waiverScreen(m[1]);
    if (m) return await eventScreen(m[1]);
    return await eventsScreen();
  } catch (err) {
    show(notice("bad", err.plain || String(err)), h("a", { href: "#/events", class: "button secondary" }, "Back"));
  }
}

window.addEventListener("hashchange", route);
route();
