// private_key_jwt (RFC 7523) on the app page: the registered public keys with Delete, the
// form that adds one, and how an integration signs its assertion (a Python example to copy,
// filled in with this app's client id, token URL and key id).
import { confirm } from "../common/dialog.js";
import { copyableCode } from "../common/copy.js";
import { flash, h } from "../common/dom.js";
import { field, fieldError, formAlert, onSubmit, textArea, textInput } from "../common/forms.js";
import { api } from "./session.js";

const MAX_KEYS = 2;
// JWK members that only a private (or symmetric) key has: such a key is refused here, before
// it ever leaves the browser.
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

// The public JWK the developer pasted, or an error beside the field saying what is wrong.
function publicJwk(text, kid) {
  const trimmed = String(text || "").trim();
  if (!trimmed) throw fieldError("jwk", "Paste the public key as a JWK (a JSON object).");
  let jwk;
  try {
    jwk = JSON.parse(trimmed);
  } catch (error) {
    throw fieldError("jwk", `This is not valid JSON (${error.message}). Paste the JWK as it ` +
      "was printed, from { to }.");
  }
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) {
    throw fieldError("jwk", "Paste one JWK: a JSON object such as " +
      '{"kty": "EC", "crv": "P-256", "x": "…", "y": "…"}.');
  }
  if (Array.isArray(jwk.keys)) {
    throw fieldError("jwk", "This is a JWK Set: paste one key from its \"keys\" list.");
  }
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) {
    throw fieldError("jwk", "This JWK holds a private key. Paste only its public part " +
      "(without \"d\"), and keep the private key on your side.");
  }
  return kid ? { ...jwk, kid } : jwk;
}

// `onChanged(app)` shows the app as the API returned it; `heading` focuses after a change.
export function keysSection(app, { onChanged }) {
  const keys = app.client_keys || [];
  const section = h("section", { class: "card", "aria-labelledby": "keys-heading" },
    h("h2", { id: "keys-heading", tabindex: "-1" }, "Signing keys (private_key_jwt)"),
    h("p", {}, "Instead of the client secret, your integration can authenticate with a short " +
      "JWT (a client assertion) signed with a private key that never leaves your side. " +
      "Register the public key here. An app holds at most two keys, so a new key can be " +
      "added before the old one is deleted."),
    keys.length ? keyTable(app, keys, onChanged) : h("p", { class: "hint" },
      "No keys are registered."),
    keys.length < MAX_KEYS ? addKeyForm(app, onChanged) : h("p", { class: "hint" },
      "Two keys are registered, the most an app holds: delete one to add another."));
  return section;
}

function keyTable(app, keys, onChanged) {
  return h("div", { class: "table-wrap" }, h("table", { class: "cards" },
    h("caption", { class: "visually-hidden" }, "Registered public keys"),
    h("thead", {}, h("tr", {}, ["Key id (kid)", "Algorithm", "Actions"]
      .map((label) => h("th", { scope: "col" }, label)))),
    h("tbody", {}, keys.map((key) => h("tr", { dataset: { kid: key.kid } },
      h("td", { "data-label": "Key id (kid)" }, h("code", { class: "key-id" }, key.kid)),
      h("td", { "data-label": "Algorithm" }, key.alg),
      h("td", { "data-label": "Actions" }, h("button", { type: "button", class: "secondary",
        "aria-label": `Delete key ${key.kid}`,
        onclick: () => deleteKey(app, key.kid, onChanged) }, "Delete")))))));
}

function addKeyForm(app, onChanged) {
  const form = h("form", { novalidate: true, "aria-labelledby": "add-key-heading" },
    h("h3", { id: "add-key-heading" }, "Add a public key"),
    formAlert(),
    field({ label: "Public key (JWK)", name: "jwk",
      hint: "The public part of an EC P-256 (ES256) or RSA (RS256, at least 2048 bits) key as " +
        'a JSON Web Key, such as {"kty": "EC", "crv": "P-256", "x": "…", "y": "…"}. Never ' +
        "paste the private key.",
      control: textArea("jwk", { rows: 6, required: true, spellcheck: "false",
        autocomplete: "off", class: "mono" }) }),
    field({ label: "Key id (kid), optional", name: "kid",
      hint: "Leave empty to use the JWK's own kid or, without one, its thumbprint (RFC 7638).",
      control: textInput("kid", { maxlength: 100, autocomplete: "off", spellcheck: "false" }) }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Add key")));
  onSubmit(form, async (data) => {
    const jwk = publicJwk(data.get("jwk"), data.get("kid").trim());
    const before = new Set((app.client_keys || []).map((key) => key.kid));
    const { data: updated } = await api.post(`/apps/${app.id}/keys`, { jwk });
    const added = updated.client_keys.find((key) => !before.has(key.kid));
    onChanged(updated);
    flash(added ? `Key ${added.kid} is registered.` : "The key is registered.");
  });
  return form;
}

async function deleteKey(app, kid, onChanged) {
  const yes = await confirm({ title: `Delete key ${kid}?`, yes: "Delete", no: "Cancel",
    danger: true, message: "Assertions signed with this key are refused from now on." });
  if (!yes) return;
  try {
    await api.delete(`/apps/${app.id}/keys/${encodeURIComponent(kid)}`);
    const { data: updated } = await api.get(`/apps/${app.id}`);
    onChanged(updated);
    flash(`Key ${kid} is deleted.`);
  } catch (error) {
    flash(error.message, "error");
  }
}

// -- how to use it ---------------------------------------------------------------------------

const py = (value) => JSON.stringify(value); // a JSON string is a valid Python string literal

export function keyPairExample() {
  return `# Make a key pair once: pip install joserfc
import json
from pathlib import Path

from joserfc.jwk import ECKey

key = ECKey.generate_key("P-256")
# The private key stays with your integration: keep this file secret.
Path("private_key.json").write_text(json.dumps(key.as_dict(private=True)))
# Paste what this prints under "Add a public key".
print(json.dumps(key.as_dict(private=False)))
`;
}

export function assertionExample({ clientId, tokenUrl, kid }) {
  return `# A token with private_key_jwt (RFC 7523): pip install joserfc requests
import json
import secrets
import time
from pathlib import Path

import requests
from joserfc import jwt
from joserfc.jwk import ECKey

CLIENT_ID = ${py(clientId)}
TOKEN_URL = ${py(tokenUrl)}
KEY_ID = ${py(kid)}  # the kid of the registered public key

key = ECKey.import_key(json.loads(Path("private_key.json").read_text()))

now = int(time.time())
claims = {
    "iss": CLIENT_ID,
    "sub": CLIENT_ID,
    "aud": TOKEN_URL,
    "iat": now,
    "exp": now + 60,  # at most 5 minutes after iat
    "jti": secrets.token_urlsafe(16),  # new for every request: an assertion is used once
}
client_assertion = jwt.encode({"alg": "ES256", "kid": KEY_ID}, claims, key, algorithms=["ES256"])

response = requests.post(
    TOKEN_URL,
    data={
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": client_assertion,
    },
    timeout=30,
)
response.raise_for_status()
access_token = response.json()["access_token"]
`;
}

export function howToSection(app) {
  const keys = app.client_keys || [];
  // The newest key is the one an integration moving to a new key signs with.
  const kid = keys.length ? keys[keys.length - 1].kid : "YOUR_KEY_ID";
  return h("section", { class: "card", "aria-labelledby": "howto-heading" },
    h("h2", { id: "howto-heading" }, "Use private_key_jwt"),
    h("ol", { class: "steps" },
      h("li", {}, h("p", {}, "Make an EC P-256 key pair on your side, for example with " +
        "Python and joserfc:"),
      copyableCode({ label: "key pair example", value: keyPairExample(),
        testid: "key-pair-example" })),
      h("li", {}, h("p", {}, "Register the public key above (Add key).")),
      h("li", {}, h("p", {}, "For every token request, sign a new assertion with the private " +
        "key: header alg ES256 with the key's kid; iss and sub your client id, aud the token " +
        "URL, exp at most 5 minutes after iat, and a random jti. Post it to the token URL " +
        "with grant_type client_credentials:"),
      copyableCode({ label: "client assertion example",
        value: assertionExample({ clientId: app.client_id, tokenUrl: app.token_url, kid }),
        testid: "assertion-example" }))));
}
