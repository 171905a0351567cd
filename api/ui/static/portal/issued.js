// A client secret just issued (by Verify or Rotate) is handed to the app page in memory only:
// it is shown once and never written to storage.
let issued = null;

export function keepIssuedSecret(credentials) {
  issued = credentials;
}

export function takeIssuedSecret(appId) {
  if (!issued || issued.id !== appId) return null;
  const credentials = issued;
  issued = null;
  return credentials;
}
