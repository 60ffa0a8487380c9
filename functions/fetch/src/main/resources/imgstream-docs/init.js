// Swagger UI over the served document; no inline script (the page's CSP allows scripts from 'self' only) and no
// call to the public validator badge (validatorUrl: null): nothing leaves this origin.
window.ui = SwaggerUIBundle({
  url: "/openapi.yaml",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
  displayOperationId: true
});
