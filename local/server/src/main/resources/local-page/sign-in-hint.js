// Added to the consumer page by the local server only (./run-local): the deployed page knows nothing of
// the local mode. Whenever the page shows its sign-in card, this says how the local sign-in is opened.
"use strict";

function addLocalHint() {
  for (const card of document.querySelectorAll('[data-testid="sign-in"]:not([data-local-hint])')) {
    card.setAttribute("data-local-hint", "");
    const hint = document.createElement("p");
    hint.className = "muted";
    hint.setAttribute("data-testid", "local-sign-in-hint");
    const command = document.createElement("code");
    command.textContent = "./run-local";
    hint.append("Running locally? Open the sign-in link ", command,
      " printed once in this browser, then Sign in and choose who you are.");
    card.append(hint);
  }
}

new MutationObserver(addLocalHint).observe(document.documentElement, { childList: true, subtree: true });
addLocalHint();
