// @ts-check
/**
 * Steady Ground reconnection ladder: the browser side of ReconnectionLadder.
 *
 * Python owns the rule (a step opens when every partner is ready) and saves
 * everything; this file draws the steps, sends the learner's choices and shows
 * what Python says. Learner text is only set with textContent or .value.
 * Redraws keep focus, typed drafts and open diaries. In the static book (no
 * kernel) it prints a worksheet instead. The couple's diary is shared, and it
 * says so where you write (SHARED_DIARY), with a pointer to places for notes
 * of your own; the solo diary says where its ratings show.
 */

const NO_KERNEL_MS = 5000;
const SHARED_DIARY = "Both of you can read this diary.";
const SHARED_DIARY_MORE = "Write only what you are happy for your partner to read. For notes just for you, " +
  "use the solo ladder or the journal on this page when you are on your own, or paper you keep to yourself. " +
  "On a shared device, anyone who opens the course can see what it saves.";
const SOLO_DIARY = "This diary is yours, saved on this device. Its \"how safe\" ratings also show in your progress review in module 9.";


/**
 * Printable worksheet for the read-only book.
 * @param {HTMLElement} root @param {string[]} partners @param {string} example
 */
function worksheet(root, partners, example) {
  const solo = partners.length === 1;
  root.append(h("p", { class: "sg-note" }, solo
    ? "Print this page. Write your own steps, easiest first. Tick the box when you feel ready. Go back a step any time."
    : "Print this page. Write your own steps together, easiest first. A step starts only when you both tick it, so you go at the pace of the slower partner. Go back a step any time."));
  const list = h("ol", { class: "sg-ladder-sheet-steps" });
  for (let i = 0; i < 8; i++) {
    const li = h("li");
    li.append(h("span", { class: "sg-ladder-blank" }, i === 0 ? `${example} (example)` : ""));
    for (const name of partners) li.append(h("span", { class: "sg-ladder-box" }, `☐ ${solo ? "I'm ready" : `${name} is ready`}`));
    list.append(li);
  }
  const table = h("table", { class: "sg-ladder-sheet-diary" });
  table.append(h("caption", {}, "Sensation diary: what you noticed, not how it went"));
  const head = h("tr");
  for (const col of ["Step", "Sensations", "Emotions", "How safe (0-10)"]) head.append(h("th", { scope: "col" }, col));
  table.append(head);
  for (let r = 0; r < 5; r++) {
    const row = h("tr");
    for (let c = 0; c < 4; c++) row.append(h("td"));
    table.append(row);
  }
  const note = solo ? "In the course app your ladder and diary are saved on your device."
    : `${SHARED_DIARY} For notes just for you, use a separate sheet that you keep to yourself.`;
  root.append(list, table, h("p", { class: solo ? "sg-note" : "sg-warn" }, note));
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("ladder");
  const root = h("section", { class: "sg-widget sg-ladder", "aria-labelledby": `${id}-title` });
  const title = h("h3", { id: `${id}-title` });
  root.append(title);
  el.append(root);
  /** @type {string[]} */ let names = model.get("partners");
  if (isBook()) {
    title.textContent = names.length === 1 ? "My ladder back to closeness" : "Our ladder back to closeness";
    worksheet(root, names, model.get("suggestions")[0]);
    return () => root.remove();
  }
  const body = h("div", { class: "sg-ladder-body" });
  const status = h("p", { role: "status", class: "sg-ladder-status" });
  const gate = couplesGate(model, () => draw());
  root.append(gate.el, body, status);

  /** @type {Map<number, (ok: boolean) => void>} */ const waiting = new Map();
  let ref = 0, noReply = 0;
  const showStatus = () => {
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  /** @param {Record<string, unknown>} msg @param {(ok: boolean) => void} [then] */
  const send = (msg, then = () => {}) => {
    waiting.set(++ref, then);
    window.clearTimeout(noReply);
    noReply = window.setTimeout(() => {
      status.textContent = "Not saved: the course app is not answering. This read-only page cannot save.";
      status.classList.add("sg-error");
    }, NO_KERNEL_MS);
    try {
      model.send({ ...msg, ref });
    } catch (err) {
      window.clearTimeout(noReply);
      status.textContent = `Not saved: ${err}`;
      status.classList.add("sg-error");
    }
  };
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.type !== "done") return;
    window.clearTimeout(noReply);
    showStatus();
    const then = waiting.get(msg.ref);
    waiting.delete(msg.ref);
    if (then) then(Boolean(msg.ok));
  };

  /** @type {Map<string, string>} */ const drafts = new Map();
  // CONTENT.md rule 6: diary text with a crisis phrase shows the resources; the answer stays in this page.
  const hasCrisisPhrase = crisisMatcher(model.get("crisis_phrases") || []);
  /** @type {Set<string>} */ const crisisAt = new Set();
  /** @type {Set<string>} */ const openDiaries = new Set();
  /** @type {Set<number>} */ const editing = new Set();
  let removing = -1;

  /** A labelled text field; its draft survives redraws. @param {string} fid @param {string} label @param {boolean} [area] */
  const field = (fid, label, area = false) => {
    const input = /** @type {HTMLInputElement} */ (h(area ? "textarea" : "input", area ? { id: fid, rows: "2", maxlength: "1000", dir: "auto" } : { id: fid, type: "text", maxlength: "200", dir: "auto" }));
    input.value = drafts.get(fid) || "";
    input.addEventListener("input", () => drafts.set(fid, input.value));
    return [h("label", { for: fid }, label), input];
  };

  /** The sensation diary of an open step. @param {any} step @param {number} i */
  const diary = (step, i) => {
    const box = /** @type {HTMLDetailsElement} */ (h("details", { class: "sg-ladder-diary", id: `${id}-d${i}` }));
    box.open = openDiaries.has(box.id);
    box.addEventListener("toggle", () => (box.open ? openDiaries.add(box.id) : openDiaries.delete(box.id)));
    const solo = names.length === 1;
    box.append(h("summary", {}, `${solo ? "Sensation diary" : "Shared sensation diary"} for step ${i + 1} (${step.diary.length} ${step.diary.length === 1 ? "entry" : "entries"})`));
    const aboutId = `${id}-d${i}-about`;
    const about = h("p", { id: aboutId, class: solo ? "sg-note" : "sg-ladder-shared" });
    if (solo) about.append(SOLO_DIARY);
    else about.append(h("strong", {}, SHARED_DIARY), ` ${SHARED_DIARY_MORE}`);
    const list = h("ul", { class: "sg-ladder-entries" });
    step.diary.forEach((/** @type {any} */ e, j) => {
      const li = h("li");
      li.append(h("p", { class: "sg-note" }, `${e.when}. How safe it felt: ${e.safety} out of 10`));
      for (const [label, key] of [["Sensations", "sensations"], ["Emotions", "emotions"], ["Note", "note"]]) {
        if (e[key]) li.append(h("p", { dir: "auto" }, `${label}: ${e[key]}`));
      }
      const del = button("Remove entry", "sg-secondary");
      del.setAttribute("aria-label", `Remove diary entry ${j + 1} of step ${i + 1}`);
      del.addEventListener("click", () => send({ type: "remove_entry", index: i, entry: j }));
      li.append(del);
      list.append(li);
    });
    const form = h("form", { class: "sg-ladder-form" });
    const set = h("fieldset", { "aria-describedby": aboutId });
    const p = `${id}-d${i}-`;
    const rangeId = `${p}safety`;
    const range = /** @type {HTMLInputElement} */ (h("input", { id: rangeId, type: "range", min: "0", max: "10", step: "1" }));
    range.value = drafts.get(rangeId) || "5";
    const out = h("output", { for: rangeId, "aria-hidden": "true" }, range.value);
    const sync = () => { out.textContent = range.value; range.setAttribute("aria-valuetext", `${range.value} out of 10`); drafts.set(rangeId, range.value); };
    range.addEventListener("input", sync);
    sync();
    const rangeRow = h("div", { class: "sg-ladder-range" });
    rangeRow.append(range, out);
    const submit = button("Add to diary");
    submit.type = "submit";
    set.append(h("legend", {}, "A new diary entry"), ...field(`${p}sens`, "Sensations: what did you notice? (warmth, pressure, texture)", true),
      ...field(`${p}emo`, "Emotions: what did you feel?", true),
      h("label", { for: rangeId }, "How safe did it feel? 0 = not safe at all, 10 = completely safe"),
      rangeRow, ...field(`${p}note`, "A note (optional)", true), submit);
    const crisis = crisisSpot(() => model.get("resources") || []);
    let crisisTimer = 0;
    set.addEventListener("input", () => {
      window.clearTimeout(crisisTimer);
      crisisTimer = window.setTimeout(() => {
        if (["sens", "emo", "note"].some((k) => hasCrisisPhrase(drafts.get(`${p}${k}`) || ""))) crisisAt.add(p);
        else crisisAt.delete(p);
        crisis.show(crisisAt.has(p));
      }, 400);
    });
    crisis.show(crisisAt.has(p));
    set.insertBefore(crisis.el, submit);
    form.append(set);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = (/** @type {string} */ k) => drafts.get(`${p}${k}`) || "";
      send({ type: "add_entry", index: i, sensations: value("sens"), emotions: value("emo"), safety: Number(range.value), note: value("note") },
        (ok) => {
          if (ok) {
            ["sens", "emo", "note", "safety"].forEach((k) => drafts.delete(`${p}${k}`));
            // CONTENT.md rule 6: a saved "how safe" of 0-1 shows the resources too, until the next typing.
            if ((model.get("crisis_safety") || []).includes(Number(range.value))) crisisAt.add(p);
          }
          draw();
        });
    });
    box.append(about, list, form);
    return box;
  };

  /** One step of the ladder. @param {any} step @param {number} i @param {number} opened */
  const stepItem = (step, i, opened) => {
    const state = i < opened ? "open" : i === opened ? "next" : "locked";
    const li = h("li", { class: `sg-ladder-step sg-ladder-${state}` });
    const label = { open: "Open", next: names.length === 1 ? "Next: open it when you are ready" : "Next: opens when you are both ready", locked: "Locked for now" }[state];
    const head = h("div", { class: "sg-ladder-head" });
    head.append(h("span", { class: "sg-ladder-text", dir: "auto" }, step.text), h("span", { class: "sg-ladder-badge" }, label));
    li.append(head);
    if (editing.has(i)) {
      const form = h("form", { class: "sg-ladder-edit" });
      const fid = `${id}-e${i}`;
      if (!drafts.has(fid)) drafts.set(fid, step.text);
      const save = button("Save step");
      save.type = "submit";
      const cancel = button("Cancel", "sg-secondary");
      cancel.addEventListener("click", () => { editing.delete(i); drafts.delete(fid); draw(); });
      form.append(...field(fid, `Change step ${i + 1}`), save, cancel);
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        send({ type: "edit_step", index: i, text: drafts.get(fid) || "" }, (ok) => { if (ok) { editing.delete(i); drafts.delete(fid); draw(); } });
      });
      li.append(form);
    } else {
      const tools = h("div", { class: "sg-ladder-tools" });
      const edit = button("Edit", "sg-secondary"), del = button("Remove", "sg-secondary");
      edit.setAttribute("aria-label", `Edit step ${i + 1}`);
      del.setAttribute("aria-label", `Remove step ${i + 1}`);
      edit.addEventListener("click", () => { editing.add(i); draw(); document.getElementById(`${id}-e${i}`)?.focus(); });
      del.addEventListener("click", () => { removing = i; draw(); document.getElementById(`${id}-keep`)?.focus(); });
      tools.append(edit, del);
      if (removing === i) {
        const yes = button(`Yes, remove step ${i + 1}`), keep = button("Keep it", "sg-secondary");
        keep.id = `${id}-keep`;
        yes.addEventListener("click", () => send({ type: "remove_step", index: i }, () => { removing = -1; draw(); }));
        keep.addEventListener("click", () => { removing = -1; draw(); });
        tools.replaceChildren(h("p", { class: "sg-warn" }, step.diary.length ? "Remove this step and its diary? This cannot be undone." : "Remove this step?"), yes, keep);
      }
      li.append(tools);
    }
    if (state === "next") {
      const ready = h("div", { class: "sg-ladder-ready" });
      names.forEach((name, p) => {
        const cid = `${id}-r${i}-${p}`;
        const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: cid }));
        box.checked = Boolean(step.ready[p]);
        box.addEventListener("change", () => send({ type: "set_ready", index: i, partner: p, ready: box.checked }, (ok) => { if (!ok) draw(); }));
        const lab = h("label", { for: cid }, names.length === 1 ? "I'm ready for this step" : `${name}: I'm ready for this step`);
        const row = h("div");
        row.append(box, lab);
        ready.append(row);
      });
      li.append(ready);
    }
    if (state === "open") li.append(diary(step, i));
    return li;
  };

  const draw = () => {
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
    body.replaceChildren();
    names = model.get("partners");
    const solo = names.length === 1;
    title.textContent = solo ? "My ladder back to closeness" : "Our ladder back to closeness";
    if (!gate.open()) return; // the gate's neutral line says why nothing is here
    body.append(h("p", { class: "sg-note" }, solo
      ? "Write your own steps, easiest first. A step opens when you say you are ready. Go at your own pace."
      : "Write your own steps together, easiest first. A step opens only when you are both ready, so you go at the pace of the slower partner. That is the plan working."));
    /** @type {any[]} */ const steps = model.get("steps");
    const opened = model.get("opened");
    const have = new Set(steps.map((s) => s.text));
    const ideas = h("div", { class: "sg-ladder-ideas", role: "group", "aria-labelledby": `${id}-ideas` });
    ideas.append(h("p", { id: `${id}-ideas`, class: "sg-ladder-label" }, "Ideas for first steps (one click adds them)"));
    model.get("suggestions").forEach((/** @type {string} */ text, k) => {
      if (have.has(text)) return;
      const add = button(`+ ${text}`, "sg-secondary");
      add.id = `${id}-idea${k}`;
      add.setAttribute("aria-label", `Add step: ${text}`);
      add.addEventListener("click", () => send({ type: "add_step", text }));
      ideas.append(add);
    });
    const form = h("form", { class: "sg-ladder-add" });
    const addId = `${id}-new`;
    const addBtn = button("Add step");
    addBtn.type = "submit";
    form.append(...field(addId, "Write a step of your own"), addBtn);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      send({ type: "add_step", text: drafts.get(addId) || "" }, (ok) => { if (ok) { drafts.delete(addId); draw(); document.getElementById(addId)?.focus(); } });
    });
    const list = h("ol", { class: "sg-ladder-steps", "aria-label": "Your steps, first step first" });
    steps.forEach((s, i) => list.append(stepItem(s, i, opened)));
    if (!steps.length) list.append(h("li", { class: "sg-note" }, "No steps yet. Add an idea above or write your own."));
    const back = button("Step back", "sg-secondary");
    back.id = `${id}-back`;
    back.disabled = opened === 0;
    back.setAttribute("aria-describedby", `${id}-back-note`);
    back.addEventListener("click", () => send({ type: "step_back" }));
    const backRow = h("div", { class: "sg-ladder-back" });
    backRow.append(back, h("span", { id: `${id}-back-note`, class: "sg-note" }, "Go down one step. No reason needed. Going back a step is part of the plan, not a failure."));
    body.append(ideas, form, list, backRow);
    if (focused) document.getElementById(focused)?.focus();
  };

  const names_ = ["change:steps", "change:opened", "change:partners"];
  names_.forEach((n) => model.on(n, draw));
  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  model.on("msg:custom", onMsg);
  draw();
  showStatus();
  send({ type: "refresh" });
  window.clearTimeout(noReply);

  return () => {
    window.clearTimeout(noReply);
    names_.forEach((n) => model.off(n, draw));
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    model.off("msg:custom", onMsg);
    gate.dispose();
    root.remove();
  };
}

export default { render };
