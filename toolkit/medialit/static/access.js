// medialit: keyboard and screen-reader support for the exercise widgets (stock ipywidgets).
//
// Rendered by medialit.widgets._Access (an anywidget placed inside every exercise). It finds its
// exercise (the nearest .ml-exercise) and, whenever the exercise changes:
// - word buttons (.ml-word) get aria-pressed from the class ml-marked and an aria-label from
//   their tooltip ("reckless: marked as loaded language");
// - word buttons get one Tab stop per sentence (class ml-s<N>): Left/Right move within the
//   sentence, Down/Up to the next/previous sentence, Home/End to its first/last word;
// - check boxes with a tooltip (.ml-choice) are named by it ("sentence 3: cause");
// - radio buttons of one widget share a name (one Tab stop, arrow keys inside) and form a named radiogroup;
// - radio groups, toggle buttons, check boxes and the words carry data-lm-suppress-shortcuts,
//   so arrow keys there move within the widget instead of JupyterLab's notebook cells.

const SUPPRESS = ".widget-radio-box, .widget-toggle-buttons, .ml-words, .widget-checkbox, .widget-select-multiple, .widget-dropdown";

function sentenceOf(button) {
  for (const name of button.classList) {
    if (name.startsWith("ml-s") && /^ml-s\d+$/.test(name)) return name;
  }
  return "";
}

function groups(root) {
  const map = new Map();
  for (const b of root.querySelectorAll("button.ml-word")) {
    const key = sentenceOf(b);
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(b);
  }
  return [...map.values()];
}

let radioGroups = 0;

function enhance(root) {
  // ipywidgets' radio buttons share no name: give each group one, so that the browser makes them
  // one Tab stop with arrow keys inside, and name the group for screen readers
  for (const box of root.querySelectorAll(".widget-radio-box")) {
    if (!box.dataset.mlName) box.dataset.mlName = `ml-radio-${++radioGroups}-${Date.now().toString(36)}`;
    for (const input of box.querySelectorAll("input[type=radio]")) {
      if (input.name !== box.dataset.mlName) input.name = box.dataset.mlName;
    }
    const label = box.parentElement && box.parentElement.querySelector(":scope > .widget-label");
    // the visible label ("Label:"), else the question shown just above (a quiz), else the tooltip
    const prompt = box.parentElement && box.parentElement.previousElementSibling;
    const name = ((label && label.textContent.trim()) ||
                  (prompt && prompt.classList.contains("widget-html") && prompt.textContent.trim()) ||
                  (label && label.title) || "choices").replace(/:$/, "");
    if (box.getAttribute("role") !== "radiogroup") box.setAttribute("role", "radiogroup");
    if (box.getAttribute("aria-label") !== name) box.setAttribute("aria-label", name);
  }
  for (const el of root.querySelectorAll(SUPPRESS)) el.setAttribute("data-lm-suppress-shortcuts", "true");
  for (const b of root.querySelectorAll("button.ml-word")) {
    const pressed = b.classList.contains("ml-marked") ? "true" : "false";
    if (b.getAttribute("aria-pressed") !== pressed) b.setAttribute("aria-pressed", pressed);
    if (b.title && b.getAttribute("aria-label") !== b.title) b.setAttribute("aria-label", b.title);
  }
  for (const box of root.querySelectorAll(".ml-choice")) {
    const input = box.querySelector("input");
    if (input && box.title && input.getAttribute("aria-label") !== box.title) input.setAttribute("aria-label", box.title);
  }
  for (const words of groups(root)) {
    const current = words.find((b) => b.dataset.mlStop === "1") || words[0];
    for (const b of words) {
      const stop = b === current;
      b.dataset.mlStop = stop ? "1" : "0";
      const tab = stop ? "0" : "-1";
      if (b.getAttribute("tabindex") !== tab) b.setAttribute("tabindex", tab);
    }
  }
}

function move(root, event) {
  const button = event.target.closest && event.target.closest("button.ml-word");
  if (!button) return;
  const all = groups(root);
  const g = all.findIndex((words) => words.includes(button));
  const words = all[g];
  const i = words.indexOf(button);
  let target = null;
  switch (event.key) {
    case "ArrowRight": target = words[i + 1] || (all[g + 1] && all[g + 1][0]); break;
    case "ArrowLeft": target = words[i - 1] || (all[g - 1] && all[g - 1][all[g - 1].length - 1]); break;
    case "ArrowDown": target = all[g + 1] && all[g + 1][0]; break;
    case "ArrowUp": target = all[g - 1] && all[g - 1][0]; break;
    case "Home": target = words[0]; break;
    case "End": target = words[words.length - 1]; break;
    default: return;
  }
  event.preventDefault();
  event.stopPropagation();
  if (!target) return;
  const group = all.find((ws) => ws.includes(target));
  for (const b of group) { b.dataset.mlStop = "0"; b.setAttribute("tabindex", "-1"); }
  target.dataset.mlStop = "1";
  target.setAttribute("tabindex", "0");
  target.focus();
}

const KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

// Once per page, before JupyterLab sees the key (window, capture phase): an arrow key on a control
// inside an exercise stays there. Radio buttons, check boxes and lists do their usual thing (the
// default action is kept); word buttons move focus (move()).
function guardKeys(event) {
  if (!KEYS.has(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target;
  const root = target && target.closest && target.closest(".ml-exercise");
  if (!root) return;
  if (target.matches("button.ml-word")) {
    move(root, event);
    event.stopPropagation();
  } else if (target.matches("input[type=radio], input[type=checkbox], select, input[type=text], textarea")) {
    event.stopPropagation();
  }
}

if (!window.__medialitKeys) {
  window.__medialitKeys = true;
  window.addEventListener("keydown", guardKeys, true);
}

function render({ el }) {
  el.classList.add("ml-access");
  el.style.display = "none";
  let root = null;
  let observer = null;
  let frames = 0;
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; enhance(root); });
  };
  const attach = () => {
    root = el.closest(".ml-exercise");
    if (!root) {
      if (frames++ < 600) requestAnimationFrame(attach);
      return;
    }
    enhance(root);
    observer = new MutationObserver(schedule);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["class", "title"] });
  };
  requestAnimationFrame(attach);
  return () => {
    if (observer) observer.disconnect();
  };
}

export default { render };
