// "Add to my calendar" (the secret feed link) and "When I can't sail" (unavailable windows).

import {
  api, clearErrors, confirmStep, copyText, field, fmtLocal, h, input, localToIso, notice,
  phoneZone, session, show, submitting,
} from "./ui.js";

/** The links above the trips list: calendar for everyone, availability for the crew. */
export function mineBar() {
  return h("div", { class: "row admin-bar" },
    h("a", { class: "button secondary", href: "#/calendar" }, "Add to my calendar"),
    session.me.role === "guest" ? null : h("a", { class: "button secondary", href: "#/availability" }, "When I can't sail"));
}

const webcal = (url) => url.replace(/^https?:\/\//, "webcal://");

export async function calendarScreen() {
  let { url } = await api("GET", "/api/me/calendar");
  const status = h("div");
  const box = input({ value: url, readonly: true });
  const open = h("a", { class: "button", href: webcal(url) }, "Open in my calendar app");
  const rotate = h("button", { class: "secondary", onclick: async () => {
    const ok = await confirmStep("Make a new link?", "The old link stops working: a calendar that uses it stops showing your trips until you add the new one.", "Yes, make a new link", "No");
    if (!ok) return;
    rotate.disabled = true;
    try {
      ({ url } = await api("POST", "/api/me/calendar"));
      box.value = url;
      open.href = webcal(url);
      status.replaceChildren(notice("good", "New link made. The old one no longer works: add this one to your calendar."));
    } catch (err) { status.replaceChildren(notice("bad", err.plain)); }
    finally { rotate.disabled = false; }
  } }, "Make a new link");
  show(h("h1", {}, "Add to my calendar"),
    h("p", {}, "Your trips as a calendar: each trip with its boarding time, vessel and your role; cancelled trips show as cancelled."),
    field("feed", "Your calendar link", box, "Keep it to yourself: anyone with the link sees your trips."),
    h("div", { class: "row" }, open, h("button", { class: "secondary", onclick: () => copyText(url, box, status) }, "Copy the link")),
    h("p", { class: "hint" }, "Calendar apps check the link every few hours (Google: up to a day), so a change close to a trip also comes by email."),
    status,
    h("h2", {}, "Link shared by mistake?"), rotate,
    h("p", {}, h("a", { href: "#/events" }, "Back to the trips")));
}

// ---- availability --------------------------------------------------------------------------
export async function availabilityScreen() {
  let { unavailable } = await api("GET", "/api/me/availability");
  const list = h("ul", { class: "plain" });
  const status = h("div");
  const save = async (windows) => {
    // windows already over are dropped: the API refuses those more than a day old
    const now = Date.now();
    const keep = windows.filter((w) => new Date(w.to).getTime() > now);
    ({ unavailable } = await api("PUT", "/api/me/availability", { unavailable: keep }));
    draw();
  };
  const draw = () => {
    list.replaceChildren(...unavailable.map((w, i) => h("li", { class: "row spread" },
      h("span", {}, `${fmtLocal(w.from)} – ${fmtLocal(w.to)}`),
      h("button", { class: "secondary", "aria-label": `Remove ${fmtLocal(w.from)} – ${fmtLocal(w.to)}`, onclick: async () => {
        try { await save(unavailable.filter((_, j) => j !== i)); status.replaceChildren(notice("good", "Removed.")); }
        catch (err) { status.replaceChildren(notice("bad", err.plain)); }
      } }, "Remove"))));
    if (!unavailable.length) list.append(h("li", { class: "muted" }, "None: you are free for any trip."));
  };
  draw();
  const from = input({ type: "datetime-local" });
  const to = input({ type: "datetime-local" });
  const result = h("div");
  const form = h("form", { novalidate: true, class: "stack", "aria-label": "Add a time away" },
    h("h2", {}, "Add a time away"),
    field("from", "From", from), field("to", "Until", to),
    h("p", { class: "hint" }, `In this phone's time zone (${phoneZone()}).`),
    result, h("button", { type: "submit" }, "Add"));
  form.addEventListener("submit", submitting(form, result, async () => {
    const added = { from: localToIso(from.value), to: localToIso(to.value) };
    const now = Date.now();
    const keep = unavailable.filter((w) => new Date(w.to).getTime() > now);
    try {
      ({ unavailable } = await api("PUT", "/api/me/availability", { unavailable: [...keep, added] }));
    } catch (err) {
      // the new window's messages go under its own fields ("unavailable[3].to" -> "to")
      const mine = `unavailable[${keep.length}].`;
      err.fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.startsWith(mine) ? k.slice(mine.length) : k, v]));
      throw err;
    }
    draw();
    clearErrors(form);
    form.reset();
    result.replaceChildren(notice("good", "Saved. Reminders skip trips in that time."));
  }));
  show(h("h1", {}, "When I can't sail"),
    h("p", {}, "Times you are away. The office sees you as not available for trips then, and reminders about open slots skip you."),
    list, status, form, h("p", {}, h("a", { href: "#/events" }, "Back to the trips")));
}
