// One job's result: the markdown of each page beside the page itself (layout.pdf drawn by
// pdf.js), page by page in step; the tagged markdown; the figures; the downloads. Everything is
// fetched with the token, images included, so <img> gets object URLs rather than API paths.

import * as api from "./api.js";
import { PAGE_SPLIT, failedPages, renderMarkdown } from "./markdown_view.js";

const PDFJS = "/static/vendor/pdfjs";

export class ResultView {
  constructor({ onAuthError }) {
    this.onAuthError = onAuthError;
    this.panel = document.getElementById("result-panel");
    this.pageInput = document.getElementById("page-number");
    this.canvas = document.getElementById("page-canvas");
    this.images = new Map();  // name -> Promise<object URL>
    this.job = null;
    document.getElementById("prev-page").addEventListener("click", () => this.show(this.page - 1));
    document.getElementById("next-page").addEventListener("click", () => this.show(this.page + 1));
    this.pageInput.addEventListener("change", () => this.show(Number(this.pageInput.value)));
    for (const button of this.panel.querySelectorAll("[data-download]")) {
      button.addEventListener("click", () => this.download(button.dataset.download));
    }
    this.setUpTabs();
    let resized;
    window.addEventListener("resize", () => {
      clearTimeout(resized);
      resized = setTimeout(() => this.job && this.drawPage(), 200);
    });
  }

  close() {
    this.panel.hidden = true;
    for (const url of this.images.values()) url.then((u) => u && URL.revokeObjectURL(u));
    this.images.clear();
    this.pdf?.destroy();
    this.pdf = null;
    this.job = null;
  }

  async open(id) {
    this.close();
    this.panel.hidden = false;
    const title = document.getElementById("result-title");
    const meta = document.getElementById("result-meta");
    const error = document.getElementById("result-error");
    const failed = document.getElementById("result-failed-pages");
    const body = document.getElementById("result-body");
    error.hidden = failed.hidden = body.hidden = true;
    title.textContent = "Result";
    meta.textContent = "Loading…";
    title.focus?.();
    let job;
    try {
      job = await api.json(api.jobPath(id, "/status"));
    } catch (e) {
      return this.fail(e, meta);
    }
    this.job = job;
    title.textContent = job.filename || job.job_id;
    meta.textContent = `${job.total_pages} ${job.total_pages === 1 ? "page" : "pages"} · ${job.status}`;
    if (job.status === "failed") {
      error.textContent = `The conversion failed: ${job.error_message || "no reason was given"}`;
      error.hidden = false;
      return;
    }
    if (job.status !== "completed") {
      meta.textContent += ` · ${job.processed_pages} of ${job.total_pages} pages done; the result opens when all are.`;
      return;
    }
    let markdown, tagged;
    try {
      [markdown, tagged] = await Promise.all([
        api.json(api.jobPath(id, "/markdown")),
        api.json(api.jobPath(id, "/markdown_det")),
      ]);
    } catch (e) {
      return this.fail(e, meta);
    }
    if (this.job?.job_id !== id) return;  // another result was opened meanwhile
    this.markdown = markdown.content;
    this.pages = markdown.content.split(PAGE_SPLIT);
    document.getElementById("tagged-markdown").textContent = tagged.content;
    const broken = failedPages(markdown.content);
    if (broken.length > 0) {
      failed.replaceChildren();
      const p = document.createElement("p");
      p.textContent = `${broken.length} of ${job.total_pages} pages could not be processed:`;
      const ul = document.createElement("ul");
      for (const b of broken) {
        const li = document.createElement("li");
        li.textContent = `Page ${b.page}: ${b.reason}`;
        ul.append(li);
      }
      failed.append(p, ul);
      failed.hidden = false;
    }
    body.hidden = false;
    document.getElementById("page-count").textContent = `of ${this.pages.length}`;
    this.pageInput.max = this.pages.length;
    this.selectTab("tab-pages");
    this.loadLayoutPdf(id);
    this.show(1);
    this.fillGallery(id);
  }

  fail(e, where) {
    if (e instanceof api.AuthError) return this.onAuthError(e);
    where.textContent = e.message;
  }

  show(page) {
    if (!this.pages) return;
    this.page = Math.min(Math.max(1, page || 1), this.pages.length);
    this.pageInput.value = this.page;
    document.getElementById("prev-page").disabled = this.page <= 1;
    document.getElementById("next-page").disabled = this.page >= this.pages.length;
    const article = document.getElementById("page-markdown");
    article.replaceChildren(renderMarkdown(this.pages[this.page - 1]));
    this.loadImages(article);
    this.drawPage();
  }

  loadImages(root) {
    for (const img of root.querySelectorAll("img[data-image]")) {
      this.image(img.dataset.image).then((url) => {
        if (url) img.src = url;
      });
    }
  }

  image(name) {
    if (!this.images.has(name)) {
      const id = this.job.job_id;
      this.images.set(
        name,
        api
          .call(api.jobPath(id, `/images/${encodeURIComponent(name)}`))
          .then((res) => res.blob())
          .then((blob) => URL.createObjectURL(blob))
          .catch(() => null),
      );
    }
    return this.images.get(name);
  }

  async loadLayoutPdf(id) {
    const note = document.getElementById("page-view-note");
    const pdfjs = window.pdfjsLib;
    if (!pdfjs) {
      note.textContent = "The page view needs pdf.js (Debian's libjs-pdf), which this server lacks.";
      return;
    }
    pdfjs.GlobalWorkerOptions.workerSrc = `${PDFJS}/build/pdf.worker.js`;
    try {
      const res = await api.call(api.jobPath(id, "/layout_pdf"));
      const data = new Uint8Array(await res.arrayBuffer());
      if (this.job?.job_id !== id) return;
      this.pdf = await pdfjs.getDocument({
        data,
        cMapUrl: `${PDFJS}/web/cmaps/`,
        cMapPacked: true,
        standardFontDataUrl: `${PDFJS}/web/standard_fonts/`,
      }).promise;
      this.drawPage();
    } catch (e) {
      if (e instanceof api.AuthError) return this.onAuthError(e);
      note.textContent = `The page view could not be drawn: ${e.message}`;
    }
  }

  async drawPage() {
    if (!this.pdf || !this.page) return;
    const number = Math.min(this.page, this.pdf.numPages);
    const page = await this.pdf.getPage(number);
    const width = this.canvas.parentElement.clientWidth || 600;
    const unscaled = page.getViewport({ scale: 1 });
    const scale = width / unscaled.width;
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: scale * ratio });
    this.rendering?.cancel();
    this.canvas.width = viewport.width;
    this.canvas.height = viewport.height;
    this.canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    this.canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", `Page ${number} with its layout blocks drawn`);
    this.rendering = page.render({ canvasContext: this.canvas.getContext("2d"), viewport });
    try {
      await this.rendering.promise;
      this.canvas.dataset.drawnPage = String(number);
    } catch {
      // Cancelled by a newer draw.
    }
  }

  async fillGallery(id) {
    const gallery = document.getElementById("figure-gallery");
    const empty = document.getElementById("figures-empty");
    gallery.replaceChildren();
    let list;
    try {
      list = await api.json(api.jobPath(id, "/images"));
    } catch (e) {
      if (e instanceof api.AuthError) return this.onAuthError(e);
      empty.textContent = `The figures could not be listed: ${e.message}`;
      empty.hidden = false;
      return;
    }
    empty.hidden = list.images.length > 0;
    for (const name of list.images) {
      const [page, index] = name.replace(".jpg", "").split("_").map(Number);
      const label = `Page ${page + 1}, figure ${index + 1}`;
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "figure-button";
      const img = document.createElement("img");
      img.alt = label;
      img.loading = "lazy";
      const caption = document.createElement("span");
      caption.textContent = label;
      button.append(img, caption);
      button.addEventListener("click", () => this.openFigure(name, label));
      li.append(button);
      gallery.append(li);
      this.image(name).then((url) => {
        if (url) img.src = url;
      });
    }
  }

  async openFigure(name, label) {
    const dialog = document.getElementById("figure-dialog");
    document.getElementById("figure-title").textContent = label;
    const img = document.getElementById("figure-image");
    img.alt = label;
    img.src = (await this.image(name)) || "";
    dialog.showModal();
  }

  async download(kind) {
    const id = this.job.job_id;
    const stem = (this.job.filename || id).replace(/\.pdf$/i, "");
    const asText = async (res) => new Blob([(await res.json()).content], { type: "text/markdown" });
    try {
      if (kind === "markdown") await api.download(api.jobPath(id, "/markdown"), `${stem}.md`, asText);
      if (kind === "markdown_det") {
        await api.download(api.jobPath(id, "/markdown_det"), `${stem}_det.md`, asText);
      }
      if (kind === "layout_pdf") await api.download(api.jobPath(id, "/layout_pdf"), `${stem}_layout.pdf`);
      if (kind === "searchable_pdf") {
        await api.download(api.jobPath(id, "/searchable_pdf"), `${stem}_searchable.pdf`);
      }
      if (kind === "archive") await api.download(api.jobPath(id, "/archive"), `${stem}.zip`);
    } catch (e) {
      this.fail(e, document.getElementById("result-meta"));
    }
  }

  setUpTabs() {
    const tabs = [...this.panel.querySelectorAll('[role="tab"]')];
    for (const tab of tabs) {
      tab.addEventListener("click", () => this.selectTab(tab.id));
      tab.addEventListener("keydown", (e) => {
        const i = tabs.indexOf(tab);
        const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
        if (to === undefined) return;
        e.preventDefault();
        const next = tabs[(to + tabs.length) % tabs.length];
        this.selectTab(next.id);
        next.focus();
      });
    }
  }

  selectTab(id) {
    for (const tab of this.panel.querySelectorAll('[role="tab"]')) {
      const selected = tab.id === id;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
    }
    if (id === "tab-pages") this.drawPage();
  }
}
