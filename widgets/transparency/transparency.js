// @ts-check
/**
 * Steady Ground transparency plan: the browser side of TransparencyPlan.
 *
 * Python checks and saves every item and writes the printable plan
 * (escaped HTML, trait `agreement_html`); "Download the plan" turns that
 * string into a Blob and downloads it. The plan is never a contract: no line
 * to sign or date, and a line saying it can be reopened or ended at any time.
 * Learner text is only set with textContent or .value. In the static book it
 * prints a worksheet instead.
 */

const NO_KERNEL_MS = 5000;


/** @param {string[]} partners */
const titleFor = (partners) => (partners.length === 1 ? "My plan: what I'll share" : "Our transparency plan");

/** @param {string[]} partners */
const freeLine = (partners) => (partners.length === 1
  ? "Not a contract: you can reopen or end this plan at any time."
  : "Not a contract: either of you can reopen or end this plan at any time.");

/** Printable worksheet for the read-only book. @param {HTMLElement} root @param {string[]} partners */
function worksheet(root, partners) {
  root.append(h("p", { class: "sg-note" }, "Print this page and fill it in together. Keep it short: a few things you choose to share, and can keep up, are worth more than many."));
  const table = h("table", { class: "sg-plan-sheet" });
  table.append(h("caption", {}, "What we share"));
  const head = h("tr");
  for (const col of ["What", "How", "How often", "Added by"]) head.append(h("th", { scope: "col" }, col));
  table.append(head);
  for (let r = 0; r < 6; r++) {
    const row = h("tr");
    for (let c = 0; c < 4; c++) row.append(h("td"));
    table.append(row);
  }
  root.append(table, h("p", { class: "sg-plan-line" }, "We will look at this plan again on: ____________, and then every ____ weeks."),
    h("p", { class: "sg-plan-free" }, freeLine(partners)));
}

/** @param {{model: any, el: HTMLElement}} ctx @returns {() => void} */
function render({ model, el }) {
  const id = newId("plan");
  const root = h("section", { class: "sg-widget sg-plan", "aria-labelledby": `${id}-title` });
  const title = h("h3", { id: `${id}-title` }, titleFor(model.get("partners")));
  root.append(title);
  el.append(root);
  if (isBook()) {
    worksheet(root, model.get("partners"));
    return () => root.remove();
  }
  const body = h("div", { class: "sg-plan-body" });
  const status = h("p", { role: "status", class: "sg-plan-status" });
  const gate = couplesGate(model, () => draw());
  root.append(gate.el, body, status);

  /** @type {Map<number, (ok: boolean) => void>} */ const waiting = new Map();
  let ref = 0, noReply = 0, editing = -1;
  const showStatus = () => {
    status.textContent = model.get("status");
    status.classList.toggle("sg-error", model.get("error"));
  };
  /** @param {string} text */
  const fail = (text) => { status.textContent = text; status.classList.add("sg-error"); };
  /** @param {Record<string, unknown>} msg @param {(ok: boolean) => void} [then] */
  const send = (msg, then = () => {}) => {
    waiting.set(++ref, then);
    window.clearTimeout(noReply);
    noReply = window.setTimeout(() => fail("Not saved: the course app is not answering. This read-only page cannot save."), NO_KERNEL_MS);
    try {
      model.send({ ...msg, ref });
    } catch (err) {
      window.clearTimeout(noReply);
      fail(`Not saved: ${err}`);
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

  /**
   * The fields of one item, for adding or changing it.
   * @param {string} p id prefix @param {any} item @param {string} legend @param {string} submit
   * @param {(item: any) => void} onSubmit @param {(() => void) | null} onCancel
   */
  const itemForm = (p, item, legend, submit, onSubmit, onCancel) => {
    /** @type {string[]} */ const partners = model.get("partners");
    const form = h("form", { class: "sg-plan-form" });
    const set = h("fieldset");
    set.append(h("legend", {}, legend));
    /** @param {string} key @param {string} label @param {string[]} examples */
    const text = (key, label, examples) => {
      const input = /** @type {HTMLInputElement} */ (h("input", { id: `${p}-${key}`, type: "text", maxlength: "200", dir: "auto" }));
      input.value = item[key] || "";
      const ideas = h("div", { class: "sg-plan-ideas" });
      for (const example of examples) {
        const use = button(example, "sg-secondary");
        use.setAttribute("aria-label", `${label}: use the example "${example}"`);
        use.addEventListener("click", () => { input.value = example; input.focus(); });
        ideas.append(use);
      }
      set.append(h("label", { for: input.id }, label), input, ideas);
      return input;
    };
    /** @param {string} key @param {string} label @param {string[]} options */
    const choice = (key, label, options) => {
      const select = /** @type {HTMLSelectElement} */ (h("select", { id: `${p}-${key}` }));
      for (const o of options) select.append(h("option", { value: o }, o));
      select.value = item[key] || options[0];
      set.append(h("label", { for: select.id }, label), select);
      return select;
    };
    const what = text("what", "What is shared", model.get("what_examples"));
    const how = text("how", "How it is shared", model.get("how_examples"));
    const often = choice("often", "How often", model.get("often_choices"));
    const who = partners.length > 1 ? choice("added_by", "Added by", partners) : null;
    const row = h("div", { class: "sg-plan-actions" });
    const go = button(submit);
    go.type = "submit";
    row.append(go);
    if (onCancel) {
      const cancel = button("Cancel", "sg-secondary");
      cancel.addEventListener("click", onCancel);
      row.append(cancel);
    }
    form.append(set, row);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      onSubmit({ what: what.value, how: how.value, often: often.value, added_by: who ? who.value : partners[0] });
    });
    return form;
  };

  const download = () => {
    const page = model.get("agreement_html");
    if (!page) return fail("There is no plan to download yet.");
    try {
      const url = URL.createObjectURL(new Blob([page], { type: "text/html" }));
      const a = /** @type {HTMLAnchorElement} */ (h("a", { href: url, download: "transparency-plan.html" }));
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      status.textContent = "The plan is downloaded. Open it in your browser to print it. If someone else uses this device, delete the file when you are done.";
      status.classList.remove("sg-error");
    } catch (err) {
      fail(`The download did not work: ${err}`);
    }
  };

  const draw = () => {
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : "";
    /** @type {string[]} */ const partners = model.get("partners");
    title.textContent = titleFor(partners);
    body.replaceChildren();
    if (!gate.open()) return; // the gate's neutral line says why nothing is here
    body.append(h("p", { class: "sg-note" }, partners.length === 1
      ? "Write what you will share, how, and how often. Small promises you can keep build trust, in yourself too."
      : "Write together what is shared, how, and how often. Each of you can ask for what would help. Each of you chooses what you offer. Small promises you can keep build trust."));
    /** @type {any[]} */ const items = model.get("items");
    const list = h("ol", { class: "sg-plan-items", "aria-label": "Items in the plan" });
    items.forEach((item, i) => {
      const li = h("li", { class: "sg-plan-item" });
      if (i === editing) {
        li.append(itemForm(`${id}-e${i}`, item, `Change item ${i + 1}`, "Save changes",
          (next) => send({ type: "edit_item", index: i, ...next }, (ok) => { if (ok) { editing = -1; draw(); } }),
          () => { editing = -1; draw(); }));
      } else {
        li.append(h("p", { class: "sg-plan-what", dir: "auto" }, item.what));
        const meta = [item.how && `How: ${item.how}`, `How often: ${item.often}`, partners.length > 1 ? `Added by: ${item.added_by}` : ""];
        li.append(h("p", { class: "sg-note", dir: "auto" }, meta.filter(Boolean).join(". ")));
        const edit = button("Edit", "sg-secondary"), del = button("Remove", "sg-secondary");
        edit.id = `${id}-edit${i}`;
        edit.setAttribute("aria-label", `Edit item ${i + 1}`);
        del.setAttribute("aria-label", `Remove item ${i + 1}`);
        edit.addEventListener("click", () => { editing = i; draw(); document.getElementById(`${id}-e${i}-what`)?.focus(); });
        del.addEventListener("click", () => send({ type: "remove_item", index: i }));
        const row = h("div", { class: "sg-plan-actions" });
        row.append(edit, del);
        li.append(row);
      }
      list.append(li);
    });
    if (!items.length) list.append(h("li", { class: "sg-note" }, "Nothing in the plan yet."));
    const add = itemForm(`${id}-new`, {}, "Add an item", "Add to plan",
      (next) => send({ type: "add_item", ...next }, (ok) => { if (ok) { draw(); document.getElementById(`${id}-new-what`)?.focus(); } }), null);

    const review = h("form", { class: "sg-plan-review" });
    const set = h("fieldset");
    set.append(h("legend", {}, "When you look at the plan again"));
    const day = /** @type {HTMLInputElement} */ (h("input", { id: `${id}-date`, type: "date" }));
    day.value = model.get("review_date");
    const weeks = /** @type {HTMLInputElement} */ (h("input", { id: `${id}-weeks`, type: "number", min: "1", max: "52", step: "1" }));
    weeks.value = String(model.get("review_weeks"));
    const save = button("Save review plan");
    save.type = "submit";
    set.append(h("label", { for: day.id }, "Next review on"), day, h("label", { for: weeks.id }, "Then review every this many weeks"), weeks, save);
    review.append(set);
    review.addEventListener("submit", (ev) => {
      ev.preventDefault();
      send({ type: "set_review", review_date: day.value, review_weeks: Number(weeks.value) });
    });

    const get = button("Download the plan");
    get.id = `${id}-download`;
    get.setAttribute("aria-describedby", `${id}-download-note`);
    get.addEventListener("click", download);
    const out = h("div", { class: "sg-plan-actions" });
    out.append(get, h("span", { id: `${id}-download-note`, class: "sg-note" },
      `A page you can print. ${freeLine(partners)}`));
    body.append(list, add, review, out);
    if (focused) document.getElementById(focused)?.focus();
  };

  const traits = ["change:items", "change:partners", "change:review_date", "change:review_weeks"];
  traits.forEach((n) => model.on(n, draw));
  model.on("change:status", showStatus);
  model.on("change:error", showStatus);
  model.on("msg:custom", onMsg);
  draw();
  showStatus();
  model.send({ type: "refresh" });

  return () => {
    window.clearTimeout(noReply);
    traits.forEach((n) => model.off(n, draw));
    model.off("change:status", showStatus);
    model.off("change:error", showStatus);
    model.off("msg:custom", onMsg);
    gate.dispose();
    root.remove();
  };
}

export default { render };
