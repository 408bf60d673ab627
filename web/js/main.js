// The page's wiring: ask for the token when the server wants one, then show the upload form and
// the job list, or one job's result when the address says #job/<id>.

import * as api from "./api.js";
import { JobList, setUpUpload } from "./jobs.js";
import { ResultView } from "./result_view.js";

const tokenPanel = document.getElementById("token-panel");
const tokenForm = document.getElementById("token-form");
const tokenInput = document.getElementById("token-input");
const tokenMessage = document.getElementById("token-message");
const app = document.getElementById("app");
const forget = document.getElementById("forget-token");

function askForToken(message) {
  jobs.stop();
  app.hidden = true;
  tokenPanel.hidden = false;
  tokenMessage.textContent = message;
  forget.hidden = true;
  tokenInput.focus();
}

function onAuthError() {
  const had = api.token();
  api.setToken(null);
  askForToken(
    had
      ? "The server did not accept this token. Check it (the server's AUTH_TOKEN) and try again."
      : "",
  );
}

const jobs = new JobList({ onAuthError });
const result = new ResultView({ onAuthError });
setUpUpload({ onAuthError, onUploaded: () => jobs.refresh() });

function route() {
  const m = /^#job\/(.+)$/.exec(location.hash);
  const listing = !m;
  document.getElementById("upload-panel").hidden = !listing;
  document.getElementById("jobs-panel").hidden = !listing;
  if (m) result.open(decodeURIComponent(m[1]));
  else result.close();
}

document.getElementById("back-to-jobs").addEventListener("click", (e) => {
  e.preventDefault();
  location.hash = "";
});
window.addEventListener("hashchange", route);

forget.addEventListener("click", () => {
  api.setToken(null);
  askForToken("");
});

tokenForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  api.setToken(tokenInput.value.trim());
  tokenMessage.textContent = "Checking…";
  await enter();
});

// Shows the app when the server answers with the token we have (or none is needed).
async function enter() {
  try {
    await api.listJobs();
  } catch (e) {
    if (e instanceof api.AuthError) return onAuthError(e);
    tokenMessage.textContent = e.message;
    return;
  }
  tokenPanel.hidden = true;
  tokenMessage.textContent = "";
  tokenInput.value = "";
  app.hidden = false;
  forget.hidden = !api.token();
  jobs.start();
  route();
}

enter();
