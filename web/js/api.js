// The docmill API as the page uses it: every call carries the bearer token when there is one,
// and answers the page cannot use become errors that say what went wrong.

const TOKEN_KEY = "docmill.token";

export class AuthError extends Error {}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// fetch() with the token; 401 becomes AuthError, other failures ApiError with the server's
// `detail` (every docmill error body has one).
export async function call(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const t = token();
  if (t) headers.set("Authorization", `Bearer ${t}`);
  let res;
  try {
    res = await fetch(path, { ...options, headers });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "The server cannot be reached. Is docmill still running?");
  }
  if (res.status === 401) throw new AuthError("The server did not accept the token.");
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && body.detail) detail = body.detail;
    } catch {
      // Not JSON: the status line says enough.
    }
    throw new ApiError(res.status, detail);
  }
  return res;
}

export async function json(path, options) {
  return (await call(path, options)).json();
}

export const jobPath = (id, tail = "") => `/result/${encodeURIComponent(id)}${tail}`;

export function listJobs() {
  return json("/tasks");
}

export function upload(file, fields) {
  const form = new FormData();
  form.append("file", file, file.name);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return json("/process_pdf", { method: "POST", body: form });
}

export function removeJob(id) {
  return json(jobPath(id), { method: "DELETE" });
}

// Follows /result/{id}/events: `onStatus` gets each status object. EventSource cannot send an
// Authorization header, so the stream is read with fetch and parsed here. Resolves when the
// stream ends (the job finished or was deleted); rejects on errors, e.g. ApiError 503 when the
// server holds as many streams as it allows.
export async function followEvents(id, onStatus, signal) {
  const res = await call(jobPath(id, "/events"), {
    headers: { Accept: "text/event-stream" },
    signal,
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event.data === "") continue;  // a keep-alive comment
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        continue;
      }
      onStatus(event.type, data);
    }
  }
}

function parseEvent(text) {
  const event = { type: "message", data: "" };
  const data = [];
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event.type = value;
    else if (field === "data") data.push(value);
  }
  event.data = data.join("\n");
  return event;
}

// The response body as a file the browser saves.
export async function download(path, fileName, transform) {
  const res = await call(path);
  const blob = transform ? await transform(res) : await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
