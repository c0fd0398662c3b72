// Small behaviours the pages need without inline scripts (the CSP forbids them).
"use strict";

// Copy buttons: <button data-copy-text="..."> or <button data-copy-url="/fetch/the/secret">.
// The text goes to the clipboard without being shown on the page.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-text], [data-copy-url]");
  if (!button) return;
  event.preventDefault();
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  try {
    let text = button.dataset.copyText;
    if (text === undefined) {
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
  } catch (error) {
    button.textContent = "Copy failed";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});

function csrfToken() {
  const holder = document.body.getAttribute("hx-headers");
  try { return JSON.parse(holder)["X-CSRFToken"]; } catch { return ""; }
}

// Close <details class="dropdown"> menus when clicking elsewhere.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.dropdown[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
