// docmill's markdown as HTML: marked for the markdown, KaTeX for `$$ … $$`, and an allow-list
// sanitizer between them and the page. The markdown is text read from someone's PDF, so it may
// hold anything, <script> included: only the elements and attributes below survive.

export const PAGE_SPLIT = /\n*<--- Page Split --->\n*/;

const ALLOWED = new Set([
  "a", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
  "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
  "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);
const ATTRIBUTES = new Set(["colspan", "rowspan", "align", "alt", "title", "start"]);
const MATH = /^DOCMILLMATH(\d+)$/;

// A failed page's note in the outputs (render/markdown.cpp).
const FAILED_PAGE = /^> \*\*Page (\d+) could not be processed:\*\* (.*)$/gm;

export function failedPages(markdown) {
  return [...markdown.matchAll(FAILED_PAGE)].map((m) => ({ page: Number(m[1]), reason: m[2] }));
}

// `markdown` as a DocumentFragment. Images keep their output name in data-image
// (images/0_0.jpg → "0_0.jpg") and get no src: the caller loads them with the token.
export function renderMarkdown(markdown) {
  const maths = [];
  const text = markdown.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex) => {
    maths.push(tex.trim());
    return `\n\nDOCMILLMATH${maths.length - 1}\n\n`;
  });
  const html = window.marked
    ? window.marked.parse(text, { mangle: false, headerIds: false })
    : `<pre>${escapeHtml(text)}</pre>`;
  const template = document.createElement("template");
  template.innerHTML = html;  // inert: nothing in a template runs or loads
  const out = document.createDocumentFragment();
  for (const node of [...template.content.childNodes]) {
    const clean = sanitize(node);
    if (clean) out.append(clean);
  }
  for (const p of out.querySelectorAll("p")) {
    const m = MATH.exec(p.textContent.trim());
    if (m) p.replaceWith(mathBlock(maths[Number(m[1])] ?? ""));
  }
  return out;
}

function sanitize(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const tag = node.localName;
  if (!ALLOWED.has(tag)) {
    // An unknown element's text stays readable; the element and its attributes go.
    return document.createTextNode(node.textContent);
  }
  const el = document.createElement(tag);
  for (const attr of node.attributes) {
    if (ATTRIBUTES.has(attr.name)) el.setAttribute(attr.name, attr.value);
  }
  if (tag === "a") {
    const href = node.getAttribute("href") || "";
    if (/^(https?:|mailto:|#)/i.test(href)) {
      el.setAttribute("href", href);
      el.setAttribute("rel", "noopener noreferrer");
    }
  }
  if (tag === "img") {
    const m = /^images\/(\d+_\d+\.jpg)$/.exec(node.getAttribute("src") || "");
    if (!m) return null;
    el.dataset.image = m[1];
    if (!el.alt) el.alt = `Figure ${m[1]}`;
  }
  for (const child of node.childNodes) {
    const clean = sanitize(child);
    if (clean) el.append(clean);
  }
  return el;
}

function mathBlock(tex) {
  const div = document.createElement("div");
  div.className = "math";
  if (window.katex) {
    window.katex.render(tex, div, { displayMode: true, throwOnError: false, trust: false });
  } else {
    div.textContent = `$$ ${tex} $$`;
  }
  return div;
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
