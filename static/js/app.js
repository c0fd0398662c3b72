// Small behaviours the pages need without inline scripts (the CSP forbids them). Every page
// works without this file; it adds copying, toasts, focus after HTMX swaps, Escape for menus,
// labels for tables stacked on phones and the time zone times are shown in.
"use strict";

// --- Toasts: appended to #toasts, an ARIA live region, so screen readers announce them -----
const TOAST_SECONDS = { success: 6, info: 6, warning: 10, error: 12 };

function toast(text, kind = "success") {
  const item = document.createElement("div");
  item.className = `toast toast-${kind}`;
  item.dataset.toast = "";
  const message = document.createElement("p");
  message.textContent = text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "toast-close";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "×";
  item.append(message, close);
  document.getElementById("toasts").append(item);
}

function expireToasts(root) {
  root.querySelectorAll("[data-toast]:not([data-expires])").forEach((item) => {
    item.dataset.expires = "";
    const kind = (item.className.match(/toast-(\w+)/) || [])[1];
    setTimeout(() => item.remove(), (TOAST_SECONDS[kind] || 6) * 1000);
  });
}

document.addEventListener("click", (event) => {
  const close = event.target.closest(".toast-close");
  if (close) close.closest("[data-toast]").remove();
});

// --- Copy buttons -----------------------------------------------------------------------------
// <button data-copy-text="...">, <button data-copy-from="#element"> (its text) or
// <button data-copy-url="/fetch/the/secret">: the text goes to the clipboard without being
// shown on the page. data-copy-what names it in the toast ("DSN copied to the clipboard.").
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-text], [data-copy-url], [data-copy-from]");
  if (!button) return;
  event.preventDefault();
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  const what = button.dataset.copyWhat || "Text";
  try {
    let text = button.dataset.copyText;
    if (button.dataset.copyFrom) {
      text = document.querySelector(button.dataset.copyFrom).textContent;
    } else if (text === undefined) {
      const response = await fetch(button.dataset.copyUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "text/plain" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    }
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
    toast(`${what} copied to the clipboard.`);
  } catch (error) {
    button.textContent = "Copy failed";
    toast(`${what} could not be copied: ${error.message || error}`, "error");
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});

function csrfToken() {
  const holder = document.body.getAttribute("hx-headers");
  try { return JSON.parse(holder)["X-CSRFToken"]; } catch { return ""; }
}

// --- Focus after an HTMX swap -----------------------------------------------------------------
// To the first field in error, else to what the new content asks for ([data-autofocus]), else,
// when the focused control was swapped away, to the new content's heading. A control outside
// the swapped part (a search box, a filter) keeps its focus.
const swaps = new WeakMap();

document.addEventListener("htmx:beforeSwap", (event) => {
  const active = document.activeElement;
  const lost = !active || active === document.body || event.detail.target.contains(active);
  swaps.set(event.detail.xhr, lost);
});

// On afterSwap, not afterSettle: the focus must move before the next keystroke lands.
document.addEventListener("htmx:afterSwap", (event) => {
  const xhr = event.detail.xhr;
  if (!swaps.has(xhr) || event.target.closest("#toasts")) return;
  const focusLost = swaps.get(xhr);
  swaps.delete(xhr);
  if (!event.target.closest('[data-focus="none"]')) moveFocus(event.target, focusLost);
});

function moveFocus(container, focusLost) {
  const within = (selector) => (container.matches(selector) ? container : container.querySelector(selector));
  const target = within('[aria-invalid="true"]') || within(".form-errors") || within("[data-autofocus]")
    || (focusLost ? within("h1, h2, h3") || container : null);
  if (!target) return;
  if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
    target.tabIndex = -1;
  }
  target.focus();
}

// --- Menus: Escape or a click elsewhere closes them ------------------------------------------
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.open = false;
    menu.querySelector("summary").focus();
  });
});

document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});

// --- Typed confirmation: the delete button waits for the exact slug ---------------------------
function armConfirmations(root) {
  root.querySelectorAll("[data-confirm-value]").forEach((input) => {
    const button = input.form.querySelector("[data-confirm-submit]");
    const check = () => { button.disabled = input.value.trim() !== input.dataset.confirmValue; };
    input.addEventListener("input", check);
    check();
  });
}

// --- Tables stacked on phones label each cell with its column's header ------------------------
function labelTables(root) {
  const tables = new Set(root.querySelectorAll(".table-wrap table"));
  const own = root.closest && root.closest(".table-wrap table");
  if (own) tables.add(own);
  tables.forEach((table) => {
    const headers = [...table.querySelectorAll("thead th")].map(
      (th) => th.dataset.label ?? th.textContent.trim().split("\n")[0].trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      if (row.children.length !== headers.length) return;  // a row spanning the table
      [...row.children].forEach((cell, index) => {
        if (!cell.hasAttribute("data-label")) cell.dataset.label = headers[index];
      });
    });
  });
}

// --- Code blocks scroll sideways on narrow screens: let the keyboard scroll them too ---------
function focusableCode(root) {
  root.querySelectorAll("pre:not([tabindex])").forEach((pre) => { pre.tabIndex = 0; });
}

// --- The browser's time zone, for the times the server writes -----------------------------------
function rememberTimeZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = document.cookie.split("; ").find((item) => item.startsWith("tz="));
    if (zone && current !== `tz=${zone}`) {
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = `tz=${zone}; path=/; max-age=31536000; SameSite=Lax${secure}`;
    }
  } catch { /* no Intl: the server's TIME_ZONE is used */ }
}

rememberTimeZone();
new MutationObserver(() => expireToasts(document.getElementById("toasts")))
  .observe(document.getElementById("toasts"), { childList: true });
expireToasts(document.getElementById("toasts"));
htmx.onLoad((root) => {
  labelTables(root);
  armConfirmations(root);
  focusableCode(root);
});
