/* Swagger UI (paquet swagger-ui-bundle, servi par Boussole) sur /openapi.json : aucune ressource externe. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false, validatorUrl: null });
});
