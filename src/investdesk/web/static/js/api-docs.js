// Interactive API documentation, rendered from the app's own OpenAPI schema.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.getElementById("swagger-ui").dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
  });
});
