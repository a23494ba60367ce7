// @ts-check
// The couples gate's line in a couples widget. Part of the shared helpers: see core.js.

/**
 * The couples gate in a couples widget (CONTENT.md safety rule 1). Python sends
 * {"type": "gate", "open": bool, "solo": bool, "text": str}; the state is never a
 * widget trait. Closed: the neutral text, the same whatever closed it. Open: a
 * "Close couples exercises for now" button that needs no reason. The solo
 * version shows neither.
 * @param {AnyModel} model
 * @param {(open: boolean) => void} onChange called with the new state (false until Python answers)
 * @returns {{el: HTMLElement, open: () => boolean, dispose: () => void}}
 */
function couplesGate(model, onChange) {
  const el = h("div", { class: "sg-couples-gate" });
  let open = false;
  /** @param {any} msg */
  const onMsg = (msg) => {
    if (!msg || msg.type !== "gate") return;
    const changed = open !== Boolean(msg.open);
    open = Boolean(msg.open);
    el.replaceChildren();
    if (!msg.solo && !open) {
      // Ending never needs the check: what the two of you saved here can be deleted while closed.
      const forget = h("details", { class: "sg-couples-forget" });
      const yes = button("Delete it from this device", "sg-secondary");
      yes.addEventListener("click", async () => {
        yes.disabled = true;
        const reply = await request(model, "forget_couple");
        if (!reply.ok) yes.disabled = false;
      });
      forget.append(h("summary", {}, "Delete what the two of you saved here"),
        h("p", {}, "This deletes what was saved in this exercise, for both of you, from this device. It cannot be undone."), yes);
      el.append(h("p", { class: "sg-couples-closed" }, msg.text), forget);
    }
    if (!msg.solo && open) {
      const close = button("Close couples exercises for now", "sg-secondary sg-couples-close");
      close.addEventListener("click", async () => {
        close.disabled = true;
        const reply = await request(model, "close_couples");
        if (!reply.ok) close.disabled = false;
      });
      el.append(close);
    }
    if (changed || !msg.solo) onChange(open);
  };
  model.on("msg:custom", onMsg);
  return { el, open: () => open, dispose: () => model.off("msg:custom", onMsg) };
}

/**
 * A couples widget on a page with a kernel, as couplesFrame hands it to `draw`.
 * @typedef {object} CouplesFrame
 * @property {AnyModel} model
 * @property {string} id prefix of the widget's element ids
 * @property {HTMLElement} body what `draw` fills
 * @property {StatusLine} line
 * @property {(name: string, args?: Record<string, any>, then?: (ok: boolean) => void) => void} act
 *   ask Python to run an action; the status line says how it went, then `then(ok)` tidies the page
 * @property {(target: EventTarget, event: string, fn: (ev: Event) => void) => void} on
 *   listen to an element; an error in `fn` shows on the status line
 * @property {(dispose: () => void) => void} drawn
 *   stop something this drawing started (a timer, a watch) at the next drawing or at the end
 * @property {() => void} redraw draw the body again now, keeping focus (by element id)
 */

/**
 * The frame every couples widget has: a section (class sg-<kind>) with a
 * heading, `title(partners)`. In the book (no kernel) `worksheet(root)` fills
 * it and nothing waits for Python. On a live page: the gate's line, a body
 * (sg-<kind>-body) and the status line (sg-<kind>-status); `draw(view)` fills
 * the body while the gate is open, again when the gate or one of `traits`
 * changes; and Python is asked to read the saved work again. `view` is the
 * caller's `state` object with the CouplesFrame's parts added.
 * @template {object} S
 * @param {RenderContext} ctx
 * @param {S} state what the page keeps between drawings (drafts, open parts)
 * @param {{kind: string, title: (partners: string[]) => string, traits: string[],
 *   worksheet: (root: HTMLElement) => void, draw: (view: S & CouplesFrame) => void}} parts
 * @returns {() => void} the view's cleanup
 */
function couplesFrame({ model, el }, state, { kind, title, traits, worksheet, draw }) {
  const id = newId(kind);
  const root = h("section", { class: `sg-widget sg-${kind}`, "aria-labelledby": `${id}-title` });
  const heading = h("h3", { id: `${id}-title` }, title(model.get("partners")));
  root.append(heading);
  el.append(root);
  if (isBook()) {
    worksheet(root);
    return () => root.remove();
  }
  const body = h("div", { class: `sg-${kind}-body` });
  const line = statusLine(model, `sg-${kind}-status`);
  /** @type {(() => void)[]} */ const started = [];
  const stopDrawing = () => { started.splice(0).forEach((dispose) => dispose()); };
  /** @type {CouplesFrame} */
  const frame = {
    model, id, body, line,
    act: (name, args = {}, then = () => {}) => {
      ask(model, line, name, args).then(guard(line, (/** @type {Reply} */ reply) => then(reply.ok)));
    },
    on: (target, event, fn) => target.addEventListener(event, guard(line, fn)),
    drawn: (dispose) => { started.push(dispose); },
    redraw: guard(line, () => keepFocus(root, () => {
      stopDrawing();
      heading.textContent = title(model.get("partners"));
      body.replaceChildren();
      if (gate.open()) draw(view); // closed: the gate's neutral line says why nothing is here
    })),
  };
  const view = Object.assign(state, frame);
  const gate = couplesGate(model, frame.redraw);
  root.append(gate.el, body, line.el);
  const stop = listen(model, Object.fromEntries(traits.map((name) => [`change:${name}`, frame.redraw])));
  frame.redraw();
  request(model, "refresh"); // a preheated kernel ran the cell before this page opened
  return () => { stop(); stopDrawing(); gate.dispose(); line.dispose(); root.remove(); };
}

/**
 * A plan form's buttons under its fields: the submit button, then Cancel when `onCancel` is given.
 * @param {CouplesFrame} view @param {HTMLElement} form @param {HTMLElement} fields
 * @param {string} submit the submit button's words @param {(() => void) | null} onCancel @param {string} cls the row's class
 */
function formButtons(view, form, fields, submit, onCancel, cls) {
  const row = h("div", { class: cls });
  const go = button(submit);
  go.type = "submit";
  row.append(go);
  if (onCancel) {
    const cancel = button("Cancel", "sg-secondary");
    view.on(cancel, "click", onCancel);
    row.append(cancel);
  }
  form.append(fields, row);
}
