/* Carte hors ligne de Boussole : fond des départements (GET /carte/departements, déjà projeté) et points.
   Même projection que api/pages/carte.py : x = lon × facteur_x × echelle, y = −lat × echelle. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var fond = null;

  function el(nom, attributs, texte) {
    var e = document.createElementNS(NS, nom);
    Object.keys(attributs || {}).forEach(function (k) { e.setAttribute(k, attributs[k]); });
    if (texte !== undefined) e.textContent = texte;
    return e;
  }

  function charger(api) {
    if (fond) return Promise.resolve(fond);
    return fetch(api + "/carte/departements", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("fond de carte indisponible"); return r.json(); })
      .then(function (f) { fond = f; return f; });
  }

  function projeter(f, lon, lat) {
    return [lon * f.projection.facteur_x * f.projection.echelle, -lat * f.projection.echelle];
  }

  /* Dessine dans `conteneur` : le lieu demandé (étoile), les résultats numérotés ; un point « commune »
     est un cercle pointillé blanc, un point à l'adresse un disque plein (la forme dit la précision). */
  function dessiner(conteneur, f, lieu, resultats, titre) {
    var points = [];
    if (lieu && lieu.latitude != null) points.push(projeter(f, lieu.longitude, lieu.latitude));
    resultats.forEach(function (r) { if (r.latitude != null) points.push(projeter(f, r.longitude, r.latitude)); });
    var b = f.boite.slice();
    var vue = [b[0], b[1], b[2] - b[0], b[3] - b[1]];
    if (points.length) {
      var xs = points.map(function (p) { return p[0]; }), ys = points.map(function (p) { return p[1]; });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
      var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var cote = Math.max(x1 - x0, y1 - y0, 60) * 1.25;
      vue = [(x0 + x1) / 2 - cote / 2, (y0 + y1) / 2 - cote / 2, cote, cote];
    }
    var r = vue[2] / 45;
    var svg = el("svg", { viewBox: vue.map(function (v) { return v.toFixed(1); }).join(" "), class: "carte",
                          role: "img", "aria-labelledby": "carte-titre" });
    svg.appendChild(el("title", { id: "carte-titre" }, titre));
    var deps = el("g", { "aria-hidden": "true" });
    f.departements.forEach(function (d) {
      deps.appendChild(el("path", { d: d.chemin, class: "dep", "stroke-width": (vue[2] / 600).toFixed(2) }));
    });
    svg.appendChild(deps);
    // le lieu demandé sous les sites, en étoile plus grande : ses branches restent visibles autour d'un site
    // de la même commune, dont le numéro reste lisible
    if (lieu && lieu.latitude != null) {
      var p = projeter(f, lieu.longitude, lieu.latitude), s = r * 2.1, pts = [];
      for (var i = 0; i < 10; i++) {
        var a = Math.PI / 5 * i - Math.PI / 2, l = i % 2 ? s * 0.45 : s;
        pts.push((p[0] + l * Math.cos(a)).toFixed(2) + "," + (p[1] + l * Math.sin(a)).toFixed(2));
      }
      svg.appendChild(el("polygon", { points: pts.join(" "), class: "lieu", "stroke-width": (r / 6).toFixed(2) }));
    }
    resultats.slice().reverse().forEach(function (x) {
      if (x.latitude == null) return;
      var q = projeter(f, x.longitude, x.latitude);
      var g = el("g");
      g.appendChild(el("circle", { cx: q[0].toFixed(2), cy: q[1].toFixed(2), r: r.toFixed(2),
        class: x.precision_point === "etablissement" ? "exact" : "commune", "stroke-width": (r / 5).toFixed(2),
        "stroke-dasharray": x.precision_point === "etablissement" ? "none" : (r / 2).toFixed(2) + " " + (r / 3).toFixed(2) }));
      g.appendChild(el("text", { x: q[0].toFixed(2), y: q[1].toFixed(2), "font-size": (r * 1.15).toFixed(2) }, String(x.rang)));
      svg.appendChild(g);
    });
    conteneur.textContent = "";
    conteneur.appendChild(svg);
  }

  window.BoussoleCarte = { charger: charger, dessiner: dessiner };
})();
