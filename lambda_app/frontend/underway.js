// On the trip card: the marine weather with its go / caution / no-go flag, and the float
// plan: "Departed" (ETA, souls on board) and "Back", for the trip's captain and the office.

import {
  api, confirmStep, field, fmtTime, h, input, isoToLocal, localToIso, notice, phoneZone,
  refresh, submitting,
} from "./ui.js";

const FLAG = {
  go: ["good", "Go"],
  caution: ["warn", "Caution"],
  no_go: ["bad", "No-go"],
  unknown: ["info", "Forecast unknown"],
};
const FORM_AHEAD_MS = 24 * 3600 * 1000; // "Departed" opens 24 h before departure (the API: too_early)
const orDash = (v, unit) => (v === null || v === undefined ? "–" : `${v} ${unit}`);

/** The weather card of ``timing.weather`` (none on lists: the API leaves it out there). */
export function weatherCard(w) {
  if (!w) return null;
  const [kind, label] = FLAG[w.go_no_go] || FLAG.unknown;
  const head = h("div", { class: "row spread" }, h("h2", {}, "Weather"), h("span", { class: `badge ${kind}` }, label));
  if (w.go_no_go === "unknown" || !(w.go_no_go in FLAG)) {
    const why = (w.reasons || []).join("; ");
    return h("section", { class: "card weather", "aria-label": "Weather" }, head,
      h("p", {}, why ? `${why[0].toUpperCase()}${why.slice(1)}.` : "No forecast for this trip yet."),
      h("p", { class: "hint" }, "Check the marine forecast yourself before leaving."));
  }
  const cells = [["Wind", orDash(w.wind_kt, "kt")], ["Gusts", orDash(w.gust_kt, "kt")], ["Waves", orDash(w.wave_ft, "ft")]];
  return h("section", { class: "card weather", "aria-label": "Weather" }, head,
    h("div", { class: "grid" }, cells.map(([name, value]) => h("div", { class: "time" }, h("b", {}, value), h("span", {}, name)))),
    w.reasons && w.reasons.length ? h("ul", { class: "reasons" }, w.reasons.map((r) => h("li", {}, r))) : null,
    (w.alerts || []).map((a) => notice(a.severity === "Minor" ? "warn" : "bad", `${a.event}: ${a.headline}`)),
    h("p", { class: "hint" }, [w.source, w.fetched_at ? `updated ${fmtTime(w.fetched_at)}` : null].filter(Boolean).join(" · ")));
}

// ---- float plan ----------------------------------------------------------------------------
function planState(p) {
  if (p.returned_at) return [h("span", { class: "badge good" }, "Back"), ` at ${fmtTime(p.returned_at)}.`];
  const overdue = Date.now() > new Date(p.eta).getTime();
  return [overdue ? h("span", { class: "badge bad" }, "Overdue") : h("span", { class: "badge info" }, "Out"),
    ` Left ${fmtTime(p.departed_at)} · due back ${fmtTime(p.eta)} · ${p.souls_on_board} on board.`,
    overdue ? h("p", {}, "Past the ETA: the shore contact is emailed 30 minutes after it. Tap \"Back\" as soon as you are in.") : null];
}

/** The float plan part of a trip's page; ``canFile``: the trip's captain or an admin. */
export function floatBlock(e, canFile) {
  const plan = e.float_plan;
  const result = h("div");
  if (!plan) {
    // no form before Departed opens: on a trip next week it would be noise
    const soon = Date.now() >= new Date(e.timing.departure_at).getTime() - FORM_AHEAD_MS;
    if (!canFile || e.status !== "scheduled" || !soon) return null;
    const eta = input({ type: "datetime-local", value: isoToLocal(e.timing.return_at) });
    const souls = input({ type: "number", inputmode: "numeric", min: 1, step: 1 });
    const form = h("form", { novalidate: true, class: "stack", "aria-label": "Float plan" },
      h("h2", {}, "Float plan"),
      h("p", {}, "As you leave the dock, tap \"Departed\": the shore contact is told if you are not back 30 minutes after the ETA."),
      field("eta", "Back by (ETA)", eta, `In this phone's time zone (${phoneZone(eta.value)}).`),
      field("souls_on_board", "Souls on board", souls, "Everyone aboard: guests and crew."),
      result, h("button", { type: "submit" }, "Departed"));
    form.addEventListener("submit", submitting(form, result, async () => {
      await api("POST", `/api/events/${e.id}/departed`, {
        eta: localToIso(eta.value),
        souls_on_board: souls.value === "" ? null : Number(souls.value),
      });
      refresh();
    }));
    return form;
  }
  const back = canFile && !plan.returned_at ? h("button", { onclick: async () => {
    const ok = await confirmStep("Back at the dock?", "Everyone ashore: this closes the float plan and stops the overdue alerts.", "Yes, we are back", "Not yet");
    if (!ok) return;
    try { await api("POST", `/api/events/${e.id}/returned`); refresh(); }
    catch (err) { result.replaceChildren(notice("bad", err.plain)); }
  } }, "Back") : null;
  return h("section", { class: "card", "aria-label": "Float plan" }, h("h2", {}, "Float plan"),
    h("div", { class: "plan" }, ...planState(plan)), back, result);
}
