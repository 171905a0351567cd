// One way to call the project's own APIs: JSON in, JSON out, errors as ApiError.
// Every error body of the API is {code, status, message, errors}; `errors` names fields.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `The request failed (${status}).`);
    this.status = status;
    this.code = body?.code || "error";
    this.errors = body?.errors || {};
  }
}

const UNREACHABLE = "The server cannot be reached. Check the connection and try again.";

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { message: `The server answered ${response.status} ${response.statusText}.` };
  }
  if (response.status === 429) {
    const wait = response.headers.get("Retry-After");
    body.message = `Too many attempts. Try again${wait ? ` in ${wait} seconds` : " later"}.`;
  }
  return new ApiError(response.status, body);
}

// A client for one API prefix. `session()` gives the bearer token (or null); `onExpired` runs
// when a request that carried a token is answered 401 (the session ended or expired).
export function apiClient(prefix, { session, onExpired }) {
  async function request(method, path, { body, headers = {}, raw = false } = {}) {
    const sent = { Accept: "application/json", ...headers };
    const token = session();
    if (token) sent.Authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      sent["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(prefix + path, {
        method,
        headers: sent,
        body: payload,
        credentials: "omit",
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, { code: "unreachable", message: UNREACHABLE });
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && token && onExpired) onExpired(error);
      throw error;
    }
    if (raw) return response;
    const data = response.status === 204 ? null : await response.json();
    return { data, headers: response.headers };
  }

  return {
    request,
    get: (path, options) => request("GET", path, options),
    post: (path, body, options) => request("POST", path, { ...options, body }),
    put: (path, body, options) => request("PUT", path, { ...options, body }),
    patch: (path, body, options) => request("PATCH", path, { ...options, body }),
    delete: (path, options) => request("DELETE", path, options),
  };
}

// Where a page of `shown` items sits in the whole, from flask-smorest's X-Pagination header
// ({total, total_pages, ...}): "Showing {first} to {last} of {total}", page of {pages}.
export function pageOf(headers, { page, pageSize, shown }) {
  let header = {};
  try {
    header = JSON.parse(headers.get("X-Pagination") || "{}");
  } catch {
    // No usable header: what this page shows is all there is to say.
  }
  const total = header.total ?? shown;
  const first = total ? (page - 1) * pageSize + 1 : 0;
  return { total, first, last: total ? first + shown - 1 : 0, pages: header.total_pages || 1 };
}

// Saves a streamed download (e.g. the activity-log CSV) under the server's file name.
export async function saveDownload(response, fallbackName) {
  const disposition = response.headers.get("Content-Disposition") || "";
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
