// Swagger UI for /docs: the document this server serves, "Try it out" against this same server
// (the document's server URL is relative), and the bearer token from the Authorize button kept
// across reloads (persistAuthorization, in the browser's localStorage).
"use strict";

window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    // Only the API's own layout: the standalone one adds a box that loads any URL.
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    // No badge from the public validator: nothing leaves this server.
    validatorUrl: null,
  });
});
