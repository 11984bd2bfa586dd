// Added to the consumer page by the local server only (./run-local): the deployed page knows nothing of
// the local mode. Whenever the page shows its sign-in card, this adds where the local sign-in is.
"use strict";

function addLocalHint() {
  for (const card of document.querySelectorAll('[data-testid="sign-in"]:not([data-local-hint])')) {
    card.setAttribute("data-local-hint", "");
    const hint = document.createElement("p");
    hint.className = "muted";
    hint.setAttribute("data-testid", "local-sign-in-hint");
    const command = document.createElement("code");
    command.textContent = "./run-local";
    const link = document.createElement("a");
    link.href = "/local/sign-in";
    link.textContent = `${location.origin}/local/sign-in`;
    hint.append("Running locally? Open the sign-in link ", command, " printed (", link, " once you have used it).");
    card.append(hint);
  }
}

new MutationObserver(addLocalHint).observe(document.documentElement, { childList: true, subtree: true });
addLocalHint();
