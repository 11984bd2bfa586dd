// Sign-in: OpenID Connect's authorization code flow with PKCE (S256), through oidc-client-ts
// (vendor/oidc-client-ts.min.js, loaded before this module as the global `oidc`). The provider and the
// client come from config.json beside index.html (the stack's outputs on AWS, the local server
// locally): discovery at {issuer}/.well-known/openid-configuration. The library checks the state; the
// nonce made here is checked against the ID token. Tokens stay in this tab's sessionStorage, never in
// the address bar and never in a log. Importing this module touches nothing.

const STORE_PREFIX = "syncexec.oidc.";
const RETRY_KEY = "syncexec.reauth";
let config = null;
let manager = null;
let user = null;
let leaving = false; // on the way to the provider: further refusals wait for the new sign-in

/** The page's settings: {apiBase, issuer, clientId, scopes}; rejects with a message when they are missing. */
export async function loadConfig() {
  let response;
  try {
    response = await fetch("config.json", { cache: "no-store" });
  } catch (e) {
    throw new Error("Cannot load this page's settings (config.json). Check your connection and reload.");
  }
  const json = response.ok ? await response.json().catch(() => null) : null;
  if (!json || !json.issuer || !json.clientId) {
    throw new Error("This page has no sign-in settings yet (config.json): publish it with scripts/publish-page.sh.");
  }
  config = { apiBase: json.apiBase || "", scopes: "openid", ...json };
  const store = new oidc.WebStorageStateStore({ store: sessionStorage, prefix: STORE_PREFIX });
  const here = new URL(".", location.href).href;
  manager = new oidc.UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: here,
    post_logout_redirect_uri: here,
    response_type: "code",
    scope: config.scopes,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
    ...(config.signOutUrl ? { metadataSeed: { end_session_endpoint: config.signOutUrl } } : {}),
  });
  return config;
}

/**
 * Finishes a sign-in (or a sign-out) the provider sent the browser back from, and takes its code and
 * state out of the address. Answers what the sign-in was started for ({clientId, syncId}), or null.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has("state")) return null;
  const url = location.href;
  history.replaceState(null, "", location.pathname);
  if (params.has("code") || params.has("error")) {
    try {
      user = await manager.signinRedirectCallback(url);
    } catch (e) {
      throw new Error(params.get("error") === "access_denied"
        ? "The sign-in was cancelled. Sign in again."
        : "The sign-in did not complete. Sign in again.");
    }
    return user.state || null;
  }
  await manager.signoutRedirectCallback(url).catch(() => {});
  return null;
}

/** The signed-in user of this tab, or null (never signed in, signed out, or the sign-in has ended). */
export async function currentUser() {
  user = await manager.getUser();
  return user && !user.expired ? user : null;
}

/** Whether this tab had a sign-in that has ended (its token expired): then sign in again at once. */
export async function signInEnded() {
  const stored = await manager.getUser();
  return !!stored && stored.expired;
}

/**
 * The bearer token for the API: the ID token (its audience is the page's client; it carries the groups
 * and clients), read from the tab's store as the library keeps it ("user:<authority>:<client id>"), so
 * a sign-in that has ended or was removed is never sent; null then.
 */
export function bearer() {
  const stored = sessionStorage.getItem(`${STORE_PREFIX}user:${config.issuer}:${config.clientId}`);
  const current = stored ? oidc.User.fromStorageString(stored) : null;
  return current && !current.expired ? current.id_token : null;
}

/** Who is signed in: {subject, name, admin, clients}; null when nobody is. */
export function who() {
  if (!user) return null;
  const claims = user.profile || {};
  const groups = Array.isArray(claims["cognito:groups"]) ? claims["cognito:groups"] : String(claims["cognito:groups"] || "").split(/[\s,]+/);
  const clients = String(claims.clients || claims["custom:clients"] || "").split(/[\s,]+/).filter(Boolean);
  return { subject: claims.sub, name: claims.email || claims.sub, admin: groups.includes("sync-admins"), clients };
}

/**
 * To the provider's sign-in, then back here to `returnTo` ({clientId, syncId}). `loginHint` (a link's
 * ?login_hint=) is passed on as OpenID Connect's login_hint.
 */
export async function signIn(returnTo, loginHint) {
  const nonce = randomString();
  await manager.signinRedirect({ state: returnTo || {}, nonce, ...(loginHint ? { login_hint: loginHint } : {}) });
}

/**
 * Signs in again after the sign-in has ended (an expired token, a 401), once: if the API refuses the
 * new sign-in too, answers false and the page asks the person instead of going round in circles.
 */
export async function signInAgain(returnTo) {
  if (leaving) return true;
  if (sessionStorage.getItem(RETRY_KEY)) {
    sessionStorage.removeItem(RETRY_KEY);
    await manager.removeUser();
    user = null;
    return false;
  }
  sessionStorage.setItem(RETRY_KEY, "1");
  leaving = true;
  try {
    await signIn(returnTo);
  } catch (e) {
    leaving = false;
    throw e;
  }
  return true;
}

/** The API accepted the sign-in: a later refusal may sign in again. */
export function signInWorked() {
  sessionStorage.removeItem(RETRY_KEY);
}

/** Forgets the tab's sign-in and ends the provider's session when it says how (end_session_endpoint). */
export async function signOut() {
  const endSession = await manager.metadataService.getEndSessionEndpoint().catch(() => undefined);
  if (!endSession) {
    await manager.removeUser();
    user = null;
    return false;
  }
  const here = new URL(".", location.href).href;
  // Cognito's logout endpoint names its parameters client_id and logout_uri.
  await manager.signoutRedirect({ extraQueryParams: config.signOutUrl ? { client_id: config.clientId, logout_uri: here } : {} });
  return true;
}

function randomString() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
