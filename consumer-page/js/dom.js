// A tiny element builder: h("button", {class: "x", onclick: fn}, "text", child, …).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function plural(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Whether the focus, which was in `container`, has been lost: a button that had it was hidden,
 * disabled or removed (the browser then leaves the focus nowhere, and a keyboard or screen reader
 * user with it).
 */
export function focusLost(container, hadFocus) {
  const active = document.activeElement;
  return hadFocus && (!active || !container.contains(active) || active.disabled || !!active.closest("[hidden]"));
}
