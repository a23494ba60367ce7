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
