// The API documentation page: Swagger UI (vendored swagger-ui-dist) on this server's OpenAPI spec. No request leaves
// this server: the spec comes from here and the validator badge (validator.swagger.io by default) is switched off.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-spec"),
    domNode: root,
    layout: "BaseLayout",
    validatorUrl: null,
    deepLinking: false,
    persistAuthorization: false,
    displayRequestDuration: true
  });
});
