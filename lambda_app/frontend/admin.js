// Admin screens on the phone: create, edit and cancel a trip, invite crew, add guests and
// resend their waiver links, remove someone from a slot. Every rule stays in the API: these
// forms send what was typed and show its 422 messages under each field.

import {
  api, confirmStep, copyText, field, flash, fmtLocal, fmtWhen, h, input, isoToLocal, localToIso,
  notice, phoneZone, refresh, session, show, submitting,
} from "./ui.js";

const ROLE_NAMES = { crew: "Crew", captain: "Captain", admin: "Admin (office)" };

/** The entities of the trips this admin sees: suggestions for the entity fields. */
async function knownEntities() {
  try {
    const { events } = await api("GET", "/api/events");
    return [...new Set(events.map((e) => e.entity))].sort();
  } catch { return []; }
}

/** "New trip" and "Invite crew": the admin's buttons above the trips list. */
export function adminBar() {
  return h("div", { class: "row admin-bar" },
    h("a", { class: "button", href: "#/new" }, "New trip"),
    h("a", { class: "button secondary", href: "#/invite" }, "Invite crew"));
}

// ---- trip form (create and edit) -------------------------------------------------------------
const num = (attrs) => input({ type: "number", inputmode: "numeric", min: 0, step: 1, ...attrs });

/** The form's values as the API takes them: numbers as numbers, blanks left for it to judge. */
function tripPayload(form, creating) {
  const val = (name) => form.querySelector(`[data-field="${name}"]:is(input, select)`).value.trim();
  const asNumber = (text) => (text === "" ? null : Number(text));
  const out = {
    entity: val("entity"),
    title: val("title"),
    vessel: val("vessel"),
    starts_at: localToIso(val("starts_at")),
    duration_minutes: asNumber(val("duration_minutes")),
    slots: { captain: asNumber(val("slots_captain")), crew: asNumber(val("slots_crew")) },
    guests_max: asNumber(val("guests_max")),
  };
  if (creating) {
    // a blank required field is left out, so the API says "required" under it
    for (const k of ["entity", "title", "starts_at", "duration_minutes", "guests_max"]) {
      if (out[k] === "" || out[k] === null) delete out[k];
    }
  }
  return out;
}

export async function tripFormScreen(id) {
  const trip = id ? await api("GET", `/api/events/${id}`) : null;
  const entities = await knownEntities();
  const listId = "entity-list";
  const when = trip ? isoToLocal(trip.starts_at) : "";
  const startsAt = input({ type: "datetime-local", value: when });
  const zone = h("span", {}, `In this phone's time zone (${phoneZone(when)}).`);
  startsAt.addEventListener("change", () => { zone.textContent = `In this phone's time zone (${phoneZone(startsAt.value)}).`; });
  const result = h("div");
  const form = h("form", { novalidate: true, class: "stack" },
    field("entity", "Business", input({ value: trip ? trip.entity : entities.length === 1 ? entities[0] : "", list: listId, autocomplete: "off" }),
      entities.length ? `e.g. ${entities.join(", ")}` : "The business id, as on the dashboard."),
    h("datalist", { id: listId }, entities.map((e) => h("option", { value: e }))),
    field("title", "Title", input({ value: trip ? trip.title : "" })),
    field("vessel", "Vessel (optional)", input({ value: trip ? trip.vessel : "" })),
    field("starts_at", "Departs", startsAt, zone),
    field("duration_minutes", "Duration (minutes)", num({ value: trip ? trip.duration_minutes : 120, min: 15 })),
    h("fieldset", { class: "field", "data-field": "slots" }, h("legend", {}, "Slots"),
      h("div", { class: "pair" },
        field("slots_captain", "Captains", num({ value: trip ? trip.slots.captain : 1 })),
        field("slots_crew", "Crew", num({ value: trip ? trip.slots.crew : 1 }))),
      h("p", { class: "field-error", "data-error-for": "slots" })),
    field("guests_max", "Guests (at most)", num({ value: trip ? trip.guests_max : 6 })),
    result,
    h("div", { class: "row" }, h("button", { type: "submit" }, trip ? "Save changes" : "Create trip"),
      h("a", { class: "button secondary", href: trip ? `#/events/${id}` : "#/events" }, "Back")));
  form.addEventListener("submit", submitting(form, result, async () => {
    const saved = trip
      ? await api("PATCH", `/api/events/${id}`, tripPayload(form, false))
      : await api("POST", "/api/events", tripPayload(form, true));
    location.hash = `#/events/${saved.id}`;
  }));
  show(h("h1", {}, trip ? `Edit: ${trip.title}` : "New trip"), form);
}

// ---- on a trip's screen --------------------------------------------------------------------
/** Edit and Cancel trip buttons (a scheduled trip only). */
export function tripActions(e, result) {
  if (e.status !== "scheduled") return null;
  return h("div", { class: "row" },
    h("a", { class: "button secondary", href: `#/events/${e.id}/edit` }, "Edit trip"),
    h("button", { class: "danger", onclick: async () => {
      const ok = await confirmStep("Cancel this trip?", `${e.title}, ${fmtWhen(e.starts_at)}. The crew and guests will see it as cancelled. This cannot be undone here.`, "Yes, cancel the trip");
      if (!ok) return;
      try { await api("DELETE", `/api/events/${e.id}`); refresh(); }
      catch (err) { result.replaceChildren(notice("bad", err.plain)); }
    } }, "Cancel trip"));
}

/** The Remove button beside a taken slot. */
export function removeFromSlot(e, claim, label, result) {
  return h("button", { class: "secondary", "aria-label": `Remove from ${label}`, onclick: async () => {
    const ok = await confirmStep(`Remove from ${label}?`, `The slot opens for someone else on ${e.title}.`, "Yes, remove", "No");
    if (!ok) return;
    try { await api("DELETE", `/api/events/${e.id}/claims/${encodeURIComponent(claim.user_id)}`); refresh(); }
    catch (err) { result.replaceChildren(notice("bad", err.plain)); }
  } }, "Remove");
}

/** "Resend link" beside a guest who has not signed yet. */
export function resendWaiver(eventId, g, result) {
  const button = h("button", { class: "secondary", onclick: async () => {
    button.disabled = true;
    try {
      await api("POST", `/api/events/${eventId}/guests/${encodeURIComponent(g.id)}/resend`);
      result.replaceChildren(notice("good", `A new waiver link is on its way to ${g.email}.`));
    } catch (err) { result.replaceChildren(notice("bad", `${g.name}: ${err.plain}`)); }
    finally { button.disabled = false; }
  } }, "Resend link");
  return button;
}

/** The "Add a guest" form under the manifest. */
export function addGuestForm(e) {
  const result = h("div");
  const form = h("form", { novalidate: true, class: "stack", "aria-label": "Add a guest" },
    h("h2", {}, "Add a guest"),
    field("name", "Guest's name", input({ autocomplete: "off" })),
    field("email", "Guest's email", input({ type: "email", autocomplete: "off" }), "They get a link to sign the waiver."),
    result, h("button", { type: "submit" }, "Add guest"));
  form.addEventListener("submit", submitting(form, result, async () => {
    const value = (n) => form.querySelector(`input[data-field="${n}"]`).value;
    let said = [`${value("name").trim()} is on the guest list, on hold until they sign. The waiver link is on its way.`, "good"];
    try {
      await api("POST", `/api/events/${e.id}/guests`, { name: value("name"), email: value("email") });
    } catch (err) {
      if (err.code !== "mail_not_sent") throw err;
      said = [err.plain, "warn"]; // the guest was added; only the mail failed
    }
    flash(...said);
    refresh();
  }));
  return form;
}

// ---- invite --------------------------------------------------------------------------------
export async function inviteScreen() {
  const entities = await knownEntities();
  const role = h("select", {}, Object.entries(ROLE_NAMES).map(([v, label]) => h("option", { value: v }, label)));
  const licence = field("licence_expires", "Captain's licence valid until", input({ type: "date" }), "Captains can take a captain's slot only while their licence is valid.");
  const boxes = entities.map((e) => h("label", { class: "check" }, h("input", { type: "checkbox", value: e, "data-entity": true }), e));
  const other = input({ placeholder: "e.g. JADA, QuickDumpNow" });
  const result = h("div");
  const form = h("form", { novalidate: true, class: "stack" },
    field("email", "Email", input({ type: "email", autocomplete: "off" })),
    field("name", "Name", input({ autocomplete: "off" })),
    field("role", "Role", role),
    licence,
    h("fieldset", { class: "field", "data-field": "entities" }, h("legend", {}, "Works for (optional)"),
      boxes, h("label", { class: "sub" }, entities.length ? "Other businesses, comma-separated" : "Businesses, comma-separated", other),
      h("p", { class: "hint" }, "Leave empty: a new person works for the same businesses as you."),
      h("p", { class: "field-error", "data-error-for": "entities" })),
    result, h("div", { class: "row" }, h("button", { type: "submit" }, "Send invite"),
      h("a", { class: "button secondary", href: "#/events" }, "Back")));
  const syncLicence = () => { licence.hidden = role.value !== "captain"; };
  role.addEventListener("change", syncLicence);
  syncLicence();
  form.addEventListener("submit", submitting(form, result, async () => {
    const value = (n) => form.querySelector(`[data-field="${n}"]:is(input, select)`).value.trim();
    const picked = [...form.querySelectorAll("input[data-entity]:checked")].map((b) => b.value)
      .concat(other.value.split(",").map((s) => s.trim()).filter(Boolean));
    const payload = { email: value("email"), name: value("name"), role: value("role") };
    if (payload.role === "captain" && value("licence_expires")) payload.licence_expires = value("licence_expires");
    if (picked.length) payload.entities = [...new Set(picked)];
    const inv = await api("POST", "/api/auth/invite", payload);
    const status = h("div");
    const box = input({ value: inv.link, readonly: true, "aria-label": "Sign-in link" });
    form.reset();
    syncLicence();
    result.replaceChildren(notice("good", `Invite sent to ${payload.email}. The link works until ${fmtLocal(inv.expires_at)}.`),
      inv.short_code ? h("p", {}, "Signing in on another device? They type this code with their email: ", h("code", {}, inv.short_code)) : null,
      h("p", {}, "Or send them the link yourself:"), box,
      h("div", { class: "row" }, h("button", { type: "button", class: "secondary", onclick: () => copyText(inv.link, box, status) }, "Copy the link")),
      status);
  }));
  show(h("h1", {}, "Invite crew"), form);
}

export const isAdmin = () => session.me && session.me.role === "admin";
