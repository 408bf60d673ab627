#!/usr/bin/env node
// The web page in a real browser: Debian's chromium, headless, driven by playwright-core,
// against the real docmill binary on a free loopback port. Three servers, three stories:
//   - no auth: upload a slow scan and watch its progress rise over the event stream, upload a
//     report and read its result (heading, table, figure, page view), download the zip, look
//     at it at a phone's width, delete the job;
//   - AUTH_TOKEN set: the page loads without the token, asks for it, refuses a wrong one
//     clearly, and works with the right one;
//   - a job that fails: its error message is shown in the list and in its result view.
// Usage: web_page.test.mjs --docmill BIN --fixtures WRITE_WEB_FIXTURES --out DIR
// Exit 0 passed, 1 failed, 77 skipped (no browser can run here; the reason is printed).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SKIP = 77;
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith("--")) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
for (const name of ["docmill", "fixtures", "out"]) {
  if (!args[name]) {
    console.error(`usage: web_page.test.mjs --docmill BIN --fixtures TOOL --out DIR (missing --${name})`);
    process.exit(2);
  }
}

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  console.log("SKIP: playwright-core is not installed (scripts/setup.sh --dev installs it)");
  process.exit(SKIP);
}
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(browserPath)) {
  console.log(`SKIP: no chromium at ${browserPath} (scripts/setup.sh --dev installs Debian's)`);
  process.exit(SKIP);
}

const out = args.out;
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "docmill-browser-"));
execFileSync(args.fixtures, [work]);
const fixture = (name) => join(work, name);

let browser;
try {
  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
} catch (e) {
  console.log(`SKIP: chromium does not start here: ${e.message.split("\n")[0]}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(SKIP);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(name, env = {}) {
  const port = await freePort();
  const dataDir = join(work, `${name}-data`);
  let log = "";
  const proc = spawn(
    args.docmill,
    ["serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", dataDir, "--workers", "2"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`docmill exited at start:\n${log}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`docmill did not answer /health:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once("exit", r)));
    },
  };
}

const jobItem = (page, filename) =>
  page.locator("li.job", { has: page.locator(".job-name", { hasText: filename }) });

async function upload(page, file, { force = false, pages = "", dpi = "" } = {}) {
  await page.setInputFiles("#file-input", file);
  await page.fill("#opt-pages", pages);
  await page.fill("#opt-dpi", dpi);
  await page.setChecked("#opt-force", force);
  await page.click("#upload-button");
  await page.locator("#upload-message", { hasText: "1 of 1 file accepted" }).waitFor();
}

async function waitForStatus(page, filename, status, timeout = 180_000) {
  await jobItem(page, filename).and(page.locator(`[data-status="${status}"]`)).waitFor({ timeout });
}

// Story 1: no auth, the whole round trip.
async function roundTrip(server) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const eventStreams = [];
  page.on("request", (r) => r.url().endsWith("/events") && eventStreams.push(r.url()));
  await page.goto(`${server.base}/`);
  await page.locator("#app").waitFor();
  check(await page.locator("#token-panel").isHidden(), "no token is asked for without AUTH_TOKEN");
  for (const id of await page.locator("#upload-form input, #upload-form select").evaluateAll((els) =>
    els.filter((el) => el.labels.length === 0).map((el) => el.id),
  )) {
    throw new Error(`form control without a label: ${id}`);
  }

  // Progress rises page by page: six OCR pages, watched in the list.
  await upload(page, fixture("slow.pdf"), { force: true, dpi: "300" });
  const slow = jobItem(page, "slow.pdf");
  await slow.waitFor();
  const seen = new Set();
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const [value, status] = await Promise.all([
      slow.locator("progress").evaluate((p) => p.value),
      slow.getAttribute("data-status"),
    ]);
    seen.add(value);
    if (status === "completed" || status === "failed") break;
    await page.waitForTimeout(100);
  }
  check((await slow.getAttribute("data-status")) === "completed", `slow.pdf completed (${server.log()})`);
  check([...seen].some((v) => v > 0 && v < 6), `progress rose page by page: saw ${[...seen]}`);
  check(eventStreams.length > 0, "the page followed the job over /result/{id}/events");
  check((await slow.locator(".job-pages").textContent()).includes("6 of 6 pages"), "6 of 6 pages shown");
  await page.screenshot({ path: join(out, "jobs.png"), fullPage: true });

  // The report: heading, table, figure.
  await upload(page, fixture("report.pdf"));
  await waitForStatus(page, "report.pdf", "completed");
  await jobItem(page, "report.pdf").locator(".job-open").click();
  await page.locator("#result-body").waitFor();
  await page.locator("#page-markdown h1, #page-markdown h2").first().waitFor();
  await page.waitForFunction(() => document.getElementById("page-canvas").dataset.drawnPage === "1");
  await page.click("#next-page");
  const figure = page.locator("#page-markdown img");
  await figure.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector("#page-markdown img");
    return img && img.complete && img.naturalWidth > 0;
  });
  await page.click("#next-page");
  const table = page.locator("#page-markdown table");
  await table.waitFor();
  check((await table.locator("th").allTextContents()).join("|") === "Animal|Description|Price",
    `table header: ${await table.innerHTML()}`);
  check((await table.locator("td").allTextContents()).includes("13.65"), "table cell 13.65");
  await page.waitForFunction(() => document.getElementById("page-canvas").dataset.drawnPage === "3");
  await page.screenshot({ path: join(out, "result-view.png") });

  // Tagged markdown, then the figures, one opened and closed from the keyboard.
  await page.click("#tab-tagged");
  check((await page.locator("#tagged-markdown").textContent()).includes("<|ref|>table<|/ref|>"),
    "the tagged markdown has the table's tag");
  await page.keyboard.press("ArrowRight");
  check(await page.locator("#view-figures").isVisible(), "arrow keys move between the tabs");
  await page.locator(".figure-button").first().click();
  await page.waitForFunction(() => {
    const img = document.getElementById("figure-image");
    return document.getElementById("figure-dialog").open && img.naturalWidth > 0;
  });
  await page.keyboard.press("Escape");
  check(!(await page.locator("#figure-dialog").evaluate((d) => d.open)), "Escape closes the figure");

  // The zip of everything.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-download="archive"]')]);
  const zipPath = join(out, "report.zip");
  await download.saveAs(zipPath);
  const zip = readFileSync(zipPath);
  check(zip.subarray(0, 4).toString("binary") === "PK\x03\x04", "the archive is a zip");
  for (const name of ["output.md", "output_det.md", "layout.pdf", "images/1_0.jpg"]) {
    check(zip.includes(Buffer.from(name)), `the archive holds ${name}`);
  }

  // A phone's width: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click("#tab-pages");
  await page.waitForTimeout(400);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `nothing is wider than a phone's screen (overflow ${overflow}px)`);
  await page.screenshot({ path: join(out, "result-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Delete, confirmed.
  await page.click("#back-to-jobs");
  const report = jobItem(page, "report.pdf");
  const id = await report.getAttribute("data-job-id");
  await report.locator(".job-delete").click();
  check(await page.locator("#confirm-dialog").evaluate((d) => d.open), "delete asks first");
  await page.locator('#confirm-dialog button[value="delete"]').click();
  await report.waitFor({ state: "detached" });
  check((await fetch(`${server.base}/result/${id}/status`)).status === 404, "the job is gone");
  await context.close();
}

// Story 2: AUTH_TOKEN set.
async function withAuth(server, secret) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.locator("#token-panel").waitFor();
  check(await page.locator("#app").isHidden(), "nothing but the token form without a token");
  await page.fill("#token-input", "not-the-token");
  await page.click('#token-form button[type="submit"]');
  await page.locator("#token-message", { hasText: "did not accept" }).waitFor();
  await page.screenshot({ path: join(out, "auth-refused.png") });
  await page.fill("#token-input", secret);
  await page.click('#token-form button[type="submit"]');
  await page.locator("#app").waitFor();
  check(await page.evaluate(() => sessionStorage.getItem("docmill.token")) === secret, "kept in session storage");
  await upload(page, fixture("report.pdf"));
  await waitForStatus(page, "report.pdf", "completed");
  await jobItem(page, "report.pdf").locator(".job-open").click();
  await page.locator("#page-markdown h1, #page-markdown h2").first().waitFor();
  await page.reload();
  await page.locator("#result-body").waitFor();
  check(await page.locator("#token-panel").isHidden(), "a reload keeps the token");
  await context.close();
}

// Story 3: a job whose page runs past the page time limit.
async function failedJob(server) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  await page.locator("#app").waitFor();
  await upload(page, fixture("slow.pdf"), { force: true, dpi: "600", pages: "1" });
  await waitForStatus(page, "slow.pdf", "failed");
  const item = jobItem(page, "slow.pdf");
  const message = await item.locator(".job-error").textContent();
  check(message.includes("time limit"), `the list shows why: ${message}`);
  await item.locator(".job-open").click();
  const error = page.locator("#result-error");
  await error.waitFor();
  check((await error.textContent()).includes("time limit"), "the result view shows why");
  await page.screenshot({ path: join(out, "failed.png") });
  await context.close();
}

const stories = [
  ["round trip", {}, roundTrip],
  ["auth", { AUTH_TOKEN: "browser-secret" }, (s) => withAuth(s, "browser-secret")],
  ["failed job", { DOCMILL_PAGE_TIMEOUT_SECONDS: "1" }, failedJob],
];
let failures = 0;
for (const [name, env, story] of stories) {
  let server;
  try {
    server = await startServer(name.replace(/\W/g, "-"), env);
    await story(server);
    console.log(`ok: ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`FAILED: ${name}: ${e.stack || e}`);
    if (server) console.log(`server log (${name}):\n${server.log().slice(-4000)}`);
  } finally {
    await server?.stop();
  }
}
await browser.close();
rmSync(work, { recursive: true, force: true });
console.log(`screenshots: ${out}`);
process.exit(failures ? 1 : 0);
