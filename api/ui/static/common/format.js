// How values read on screen: labels for codes, local date-times for ISO timestamps.

export const STATUS_LABELS = {
  requested: "Requested",
  pending_verification: "Pending verification",
  otp_expired: "OTP expired",
  otp_locked: "OTP locked",
  active: "Active",
  no_developer: "No developer",
  suspended: "Suspended",
  revoked: "Revoked",
};

export const TYPE_LABELS = {
  new_integration: "New Integration",
  aiq_integrate: "AIQ Integrate",
  aiq_connector: "AIQ Connector",
  partner_integration: "Partner integration",
};

// A partner listing in the ecosystem (SPEC 12), as its owners and the team see it.
export const LISTING_STATUS_LABELS = {
  submitted: "Submitted",
  published: "Published",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  delisted: "Delisted",
};

export const PERMISSION_LABELS = { read: "Read", read_write: "Read & Write" };

export function categoryLabel(category) {
  if (!category) return "—";
  const words = category.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function dateTime(iso) {
  if (!iso) return "—";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  return moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

export function yesNo(value) {
  return value ? "Yes" : "No";
}

export const AUTH_METHOD_LABELS = {
  client_secret: "Client secret",
  private_key_jwt: "Signed assertion (private_key_jwt)",
};

// "Secret expires in 12 days" from the API's secret_expires_at and secret_expires_in_days
// (whole days, 0 for "today or already"); null where there is no secret to expire.
export function secretExpiry(expiresAt, days) {
  if (!expiresAt || days === null || days === undefined) return null;
  if (days > 1) return `Secret expires in ${days} days`;
  if (days === 1) return "Secret expires in 1 day";
  const moment = new Date(expiresAt);
  return moment.getTime() <= Date.now() ? "Secret expired" : "Secret expires today";
}

// When an app was last used (SPEC 15: its last token or served SOAP call), for a list row:
// "Last used 5 minutes ago", "Last used 3 days ago", a date once it is over a month ago, or
// "Never used".
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export function lastUsed(iso, now = Date.now()) {
  if (!iso) return "Never used";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return `Last used ${iso}`;
  const ago = now - moment.getTime();
  if (ago < MINUTE) return "Last used just now";
  if (ago < HOUR) return `Last used ${plural(Math.floor(ago / MINUTE), "minute")} ago`;
  if (ago < DAY) return `Last used ${plural(Math.floor(ago / HOUR), "hour")} ago`;
  if (ago < 31 * DAY) return `Last used ${plural(Math.floor(ago / DAY), "day")} ago`;
  return `Last used ${moment.toLocaleDateString(undefined, { dateStyle: "medium" })}`;
}
