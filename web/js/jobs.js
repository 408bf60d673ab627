// The upload form and the job list. The list is read from /tasks every few seconds; jobs that
// are running are also followed over /result/{id}/events, so their progress moves as each page
// is done. A browser opens only about six connections to one server, so at most
// MAX_STREAMS jobs are followed at once; the others move with the list.

import * as api from "./api.js";

const MAX_STREAMS = 3;
const LIST_EVERY_MS = 3000;
const FINISHED = new Set(["completed", "failed"]);

export class JobList {
  constructor({ onAuthError }) {
    this.onAuthError = onAuthError;
    this.jobs = new Map();      // job_id -> last status object
    this.items = new Map();     // job_id -> <li>
    this.streams = new Map();   // job_id -> AbortController
    this.streamsRefused = 0;    // until: the server said 503
    this.list = document.getElementById("job-list");
    this.empty = document.getElementById("jobs-empty");
    this.confirm = document.getElementById("confirm-dialog");
    this.timer = null;
    setInterval(() => this.tick(), 1000);
  }

  start() {
    this.stop();
    const loop = async () => {
      await this.refresh();
      this.timer = setTimeout(loop, LIST_EVERY_MS);
    };
    loop();
  }

  stop() {
    clearTimeout(this.timer);
    for (const c of this.streams.values()) c.abort();
    this.streams.clear();
  }

  async refresh() {
    let answer;
    try {
      answer = await api.listJobs();
    } catch (e) {
      if (e instanceof api.AuthError) return this.onAuthError(e);
      return;  // the next round tries again
    }
    const seen = new Set();
    for (const job of answer.tasks) {
      seen.add(job.job_id);
      this.update(job);
    }
    for (const id of [...this.jobs.keys()]) {
      if (!seen.has(id)) this.forget(id);
    }
    // Newest first, as /tasks answers.
    answer.tasks.forEach((job, i) => {
      const li = this.items.get(job.job_id);
      if (this.list.children[i] !== li) this.list.insertBefore(li, this.list.children[i] || null);
    });
    this.empty.hidden = answer.tasks.length > 0;
    this.follow();
  }

  // Status objects come from /tasks and from the event streams; the newer one wins.
  update(job) {
    const old = this.jobs.get(job.job_id);
    if (old && rank(old) > rank(job)) return;
    this.jobs.set(job.job_id, job);
    let li = this.items.get(job.job_id);
    if (!li) {
      li = this.item(job);
      this.items.set(job.job_id, li);
      this.list.prepend(li);
      this.empty.hidden = true;
    }
    fill(li, job);
  }

  forget(id) {
    this.streams.get(id)?.abort();
    this.streams.delete(id);
    this.items.get(id)?.remove();
    this.items.delete(id);
    this.jobs.delete(id);
    this.empty.hidden = this.jobs.size > 0;
  }

  follow() {
    if (Date.now() < this.streamsRefused) return;
    for (const job of this.jobs.values()) {
      if (this.streams.size >= MAX_STREAMS) break;
      if (FINISHED.has(job.status) || this.streams.has(job.job_id)) continue;
      const controller = new AbortController();
      this.streams.set(job.job_id, controller);
      api
        .followEvents(
          job.job_id,
          (type, status) => {
            if (type === "deleted") this.forget(job.job_id);
            else this.update(status);
          },
          controller.signal,
        )
        .catch((e) => {
          if (e instanceof api.AuthError) this.onAuthError(e);
          // Full: leave it to the list for a while.
          if (e instanceof api.ApiError && e.status === 503) this.streamsRefused = Date.now() + 30000;
        })
        .finally(() => {
          if (this.streams.get(job.job_id) === controller) this.streams.delete(job.job_id);
        });
    }
  }

  tick() {
    for (const [id, li] of this.items) fillTime(li, this.jobs.get(id));
  }

  item(job) {
    const li = document.createElement("li");
    li.className = "job";
    li.dataset.jobId = job.job_id;
    li.innerHTML = `
      <div class="job-head">
        <span class="job-name"></span>
        <span class="job-status"></span>
      </div>
      <progress class="job-progress" max="1" value="0"></progress>
      <div class="job-facts"><span class="job-pages"></span><span class="job-time"></span></div>
      <p class="job-error" hidden></p>
      <div class="job-actions">
        <a class="job-open button" href="#">View result</a>
        <button type="button" class="job-delete danger">Delete</button>
      </div>`;
    li.querySelector(".job-open").href = `#job/${encodeURIComponent(job.job_id)}`;
    li.querySelector(".job-delete").addEventListener("click", () => this.remove(job.job_id));
    return li;
  }

  async remove(id) {
    const job = this.jobs.get(id);
    document.getElementById("confirm-text").textContent =
      `“${job?.filename ?? id}” and all its results will be deleted` +
      (job && !FINISHED.has(job.status) ? "; its conversion is stopped." : ".");
    this.confirm.returnValue = "";
    this.confirm.showModal();
    const answer = await new Promise((resolve) =>
      this.confirm.addEventListener("close", () => resolve(this.confirm.returnValue), { once: true }),
    );
    if (answer !== "delete") return;
    const message = document.getElementById("upload-message");
    try {
      await api.removeJob(id);
      message.textContent = `Deleted “${job?.filename ?? id}”.`;
      if (location.hash === `#job/${encodeURIComponent(id)}`) location.hash = "";
    } catch (e) {
      if (e instanceof api.AuthError) return this.onAuthError(e);
      // 404: someone else deleted it first, which is what was wanted.
      if (!(e instanceof api.ApiError && e.status === 404)) {
        message.textContent = `Could not delete “${job?.filename ?? id}”: ${e.message}`;
        return;
      }
    }
    this.forget(id);
  }
}

// How far a status object is along: the larger one is newer.
function rank(job) {
  const order = { pending: 0, processing: 1, completed: 2, failed: 2 };
  return (order[job.status] ?? 0) * 1e7 + (job.processed_pages ?? 0);
}

function fill(li, job) {
  li.dataset.status = job.status;
  li.querySelector(".job-name").textContent = job.filename || job.job_id;
  const status = li.querySelector(".job-status");
  status.textContent = job.status;
  status.className = `job-status status-${job.status}`;
  const progress = li.querySelector(".job-progress");
  progress.max = Math.max(1, job.total_pages);
  progress.value = job.processed_pages;
  progress.setAttribute("aria-label", `Pages done of ${job.filename || job.job_id}`);
  let pages = `${job.processed_pages} of ${job.total_pages} pages`;
  if (job.status === "pending" && job.queue_position != null) {
    pages += ` · ${job.queue_position} ${job.queue_position === 1 ? "job" : "jobs"} ahead`;
  }
  li.querySelector(".job-pages").textContent = pages;
  const error = li.querySelector(".job-error");
  error.hidden = job.status !== "failed";
  error.textContent = job.status === "failed" ? job.error_message || "The job failed." : "";
  const open = li.querySelector(".job-open");
  open.hidden = !FINISHED.has(job.status);
  open.textContent = job.status === "failed" ? "Details" : "View result";
  fillTime(li, job);
}

function fillTime(li, job) {
  if (!job) return;
  const start = Date.parse(job.created_at);
  const end = FINISHED.has(job.status) ? Date.parse(job.updated_at) : Date.now();
  let text = `${formatSeconds((end - start) / 1000)}`;
  if (!FINISHED.has(job.status) && job.estimated_seconds_remaining != null) {
    text += ` · about ${formatSeconds(job.estimated_seconds_remaining)} left`;
  }
  li.querySelector(".job-time").textContent = text;
}

export function formatSeconds(s) {
  s = Math.max(0, Math.round(s));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// The upload form: one job per file, with the same options.
export function setUpUpload({ onAuthError, onUploaded }) {
  const form = document.getElementById("upload-form");
  const input = document.getElementById("file-input");
  const zone = document.getElementById("drop-zone");
  const chosen = document.getElementById("chosen-files");
  const message = document.getElementById("upload-message");
  const button = document.getElementById("upload-button");
  let files = [];

  const show = () => {
    chosen.replaceChildren(
      ...files.map((f) => {
        const li = document.createElement("li");
        li.textContent = `${f.name} (${(f.size / 1048576).toFixed(1)} MB)`;
        return li;
      }),
    );
  };
  input.addEventListener("change", () => {
    files = [...input.files];
    show();
  });
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add("dragging");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    zone.addEventListener(type, () => zone.classList.remove("dragging"));
  }
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    files = [...e.dataTransfer.files];
    show();
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (files.length === 0) {
      message.textContent = "Choose one or more PDF files first.";
      input.focus();
      return;
    }
    const fields = {};
    for (const name of ["lang", "dpi", "pages", "engine", "priority"]) {
      const value = form.elements[name].value.trim();
      if (value) fields[name] = value;
    }
    if (form.elements.force_ocr.checked) fields.force_ocr = "true";
    button.disabled = true;
    const problems = [];
    let sent = 0;
    for (const [i, file] of files.entries()) {
      message.textContent = `Uploading ${file.name} (${i + 1} of ${files.length})…`;
      try {
        await api.upload(file, fields);
        sent += 1;
      } catch (err) {
        if (err instanceof api.AuthError) {
          button.disabled = false;
          return onAuthError(err);
        }
        problems.push(`${file.name}: ${err.message}`);
      }
    }
    button.disabled = false;
    message.textContent =
      `${sent} of ${files.length} ${files.length === 1 ? "file" : "files"} accepted.` +
      (problems.length ? ` Refused: ${problems.join("; ")}` : "");
    message.classList.toggle("error", problems.length > 0);
    if (sent > 0) {
      files = [];
      input.value = "";
      show();
      onUploaded();
    }
  });
}
