// Swagger UI for /docs, started from this file rather than an inline script, so the page
// runs under the same Content-Security-Policy as the other screens (script-src 'self').
"use strict";

(function () {
  const container = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: container.dataset.specUrl,
    domNode: container,
    deepLinking: true,
    // The public validator would load a badge image from another origin.
    validatorUrl: null,
  });
})();
