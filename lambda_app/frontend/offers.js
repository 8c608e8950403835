// Offer my slot, take someone's offered slot, withdraw an offer. The swap itself is one
// conditional write on the server: when two people tap "Take" at once, one gets the slot
// and the other a 409 explained in words.

import { api, fmtWhen, h, notice, refresh, session, flash } from "./ui.js";

const ROLE = { captain: "captain", crew: "crew" };
const slotName = (o) => `${ROLE[o.role] || o.role} slot`;

/** Take an offer; on success the trip's page shows it, on a 409 ``result`` says why. */
function takeButton(o, title, result) {
  const button = h("button", { onclick: async () => {
    button.disabled = true;
    try {
      await api("POST", `/api/offers/${encodeURIComponent(o.id)}/take`);
      flash(`The ${slotName(o)} on ${title} is yours now.`);
      const target = `#/events/${o.event_id}`;
      if (location.hash === target) refresh(); else location.hash = target;
    } catch (err) {
      result.replaceChildren(notice("bad", err.plain));
      button.disabled = err.code === "offer_taken" || err.code === "offer_closed";
    }
  } }, "Take this slot");
  return button;
}

function withdrawButton(o, result, label = "Withdraw my offer") {
  return h("button", { class: "secondary", onclick: async () => {
    try { await api("DELETE", `/api/offers/${encodeURIComponent(o.id)}`); flash("Offer withdrawn."); refresh(); }
    catch (err) { result.replaceChildren(notice("bad", err.plain)); }
  } }, label);
}

/** "Slots offered to you": the open offers a captain or crew member could take, on the list. */
export async function openOffers() {
  if (!["captain", "crew"].includes(session.me.role)) return null;
  let offers;
  try { ({ offers } = await api("GET", "/api/offers")); } catch { return null; }
  if (!offers.length) return null;
  return h("section", { "aria-label": "Offered slots" }, h("h2", {}, "Slots offered"),
    offers.map((o) => {
      const result = h("div");
      const mine = o.offered_by === session.me.id;
      return h("article", { class: "card offer" },
        h("a", { class: "title", href: `#/events/${o.event_id}` }, o.event.title),
        h("p", { class: "muted" }, `${fmtWhen(o.event.starts_at)} · ${o.event.vessel || "vessel to be confirmed"}`),
        h("p", {}, mine ? `You offered your ${slotName(o)}. You stay on the trip until someone takes it.` : `A ${slotName(o)} is offered.`),
        mine ? withdrawButton(o, result) : takeButton(o, o.event.title, result), result);
    }));
}

/** The offer part of a trip's page: offer my slot, my open offer, others' offers to take. */
export function offersBlock(e, mine, result) {
  if (e.status !== "scheduled" || e.float_plan) return null; // cancelled, or already out
  const offers = e.offers || [];
  const me = session.me;
  if (me.role === "admin") {
    if (!offers.length) return null;
    return h("section", { "aria-label": "Offers" }, h("h2", {}, "Offered slots"),
      h("ul", { class: "plain" }, offers.map((o) => h("li", { class: "row spread" },
        h("span", {}, `${slotName(o)} ${o.slot_no}: offered by its holder`), withdrawButton(o, result, "Cancel offer")))));
  }
  if (mine) {
    const own = offers.find((o) => o.offered_by === me.id);
    if (own) {
      return h("div", { class: "offer-mine" }, notice("warn", `Your ${slotName(own)} is offered. You stay on the trip until someone takes it.`), withdrawButton(own, result));
    }
    return h("div", { class: "offer-mine" }, h("button", { class: "secondary", onclick: async () => {
      try { await api("POST", `/api/events/${e.id}/offers`, { role: mine.role }); flash("Your slot is offered: the qualified crew can take it now. You stay on until someone does."); refresh(); }
      catch (err) { result.replaceChildren(notice("bad", err.plain)); }
    } }, "Offer my slot"), h("p", { class: "hint" }, "Can't make it? Someone qualified takes your slot and you are off the trip, even within 24 hours."));
  }
  const takeable = offers.filter((o) => me.role === "captain" || o.role === "crew");
  if (!takeable.length) return null;
  return h("section", { "aria-label": "Offers" }, takeable.map((o) => h("div", { class: "row" },
    h("span", { class: "badge info" }, `${slotName(o)} offered`), takeButton(o, e.title, result))));
}
