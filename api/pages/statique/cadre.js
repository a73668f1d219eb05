/* Page /widget dans une iframe : dit sa hauteur à la page hôte, qui ajuste l'iframe (widget.js le fait). */
(function () {
  "use strict";
  if (window.parent === window) return;
  var derniere = 0;
  function envoyer() {
    var h = Math.ceil(document.documentElement.scrollHeight);
    if (h !== derniere) { derniere = h; window.parent.postMessage({ type: "boussole-hauteur", hauteur: h }, "*"); }
  }
  new ResizeObserver(envoyer).observe(document.documentElement);
  window.addEventListener("load", envoyer);
})();
