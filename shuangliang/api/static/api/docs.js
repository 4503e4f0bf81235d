"use strict";
// Starts Swagger UI on the API documentation page (shuangliang/api/templates/api/docs.html).
// Settings come from data attributes: the page carries no inline script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  const root = document.getElementById("swagger-ui");
  const safe = ["GET", "HEAD", "OPTIONS"];
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
    // The public validator badge would load an image from the internet.
    validatorUrl: null,
    // Calls made from the page use the staff session; writes carry its CSRF token.
    requestInterceptor: function (request) {
      if (!safe.includes((request.method || "GET").toUpperCase())) {
        request.headers[root.dataset.csrfHeader] = root.dataset.csrfToken;
      }
      return request;
    },
  });
});
