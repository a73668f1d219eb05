/* La page des professionnels : question, filtres, liste, carte, plus de résultats, lien, impression.
   L'état de la recherche vit dans l'adresse (?q=…&lieu=…) : le lien copié la reproduit. Aucun script en ligne. */
(function () {
  "use strict";
  var API = location.origin; // la page officielle ne parle qu'à sa propre API
  var CHAMPS = ["q", "lieu", "rayon_km", "besoin", "population", "niveau_min", "secteur"];
  var PAS = 10, MAX = 50;
  var NIVEAUX = { autorisation: "autorisation de l'ARS", liste_curee: "liste officielle (INCa, réseaux)",
                  activite_declaree: "activité déclarée (SAE)", aucune: "sans preuve d'activité citée" };
  var $ = function (id) { return document.getElementById(id); };
  var limite = PAS, derniere = null;

  function el(nom, classe, texte) {
    var e = document.createElement(nom);
    if (classe) e.className = classe;
    if (texte !== undefined && texte !== null) e.textContent = texte;
    return e;
  }

  function etatDuFormulaire() {
    var p = new URLSearchParams();
    CHAMPS.forEach(function (c) { var v = $(c).value.trim(); if (v) p.set(c, v); });
    if ($("second_avis").checked) p.set("second_avis", "1");
    return p;
  }

  function remplir(p) {
    CHAMPS.forEach(function (c) { if (p.has(c)) $(c).value = p.get(c); });
    $("second_avis").checked = p.get("second_avis") === "1";
    var n = parseInt(p.get("limite") || "", 10);
    limite = n >= 1 && n <= MAX ? n : PAS;
  }

  function lienFiche(r) {
    if (r.finess) return "/etablissements/" + encodeURIComponent(r.finess);
    var base = "https://w3id.org/boussole/id/";
    return r.iri && r.iri.indexOf(base) === 0 ? "/id/" + r.iri.slice(base.length) : null;
  }

  // les libellés des codes compris sont ceux des listes de filtres de la page (servies par l'API)
  function libelle(champ, code) {
    var o = Array.prototype.find.call($(champ).options, function (x) { return x.value === code; });
    return o ? o.textContent : code;
  }

  function afficherCompris(c, remarques) {
    var zone = $("compris"); zone.textContent = "";
    var compris = [];
    if (c.intention === "second_avis") compris.push("demande de second avis");
    if (c.besoins && c.besoins.length) compris.push("besoin : " + c.besoins.map(function (b) { return libelle("besoin", b); }).join(", "));
    if (c.localisations && c.localisations.length) compris.push("localisation : " + c.localisations.join(", "));
    if (c.population) compris.push("population : " + libelle("population", c.population));
    if (c.age !== null && c.age !== undefined) compris.push("âge : " + c.age + " ans");
    if (c.lieu) compris.push("lieu : " + c.lieu.nom);
    if (c.rayon_km) compris.push("rayon : " + c.rayon_km + " km");
    if (c.exclure && c.exclure.length) compris.push("équipe exclue (second avis) : " + c.exclure.join(", "));
    if (c.lieu_exclu) compris.push("ville de l'équipe exclue : " + c.lieu_exclu.nom);
    zone.appendChild(el("p", "meta", "Compris : " + (compris.join(" ; ") || "rien de précis")));
    if (c.termes_non_compris && c.termes_non_compris.length)
      zone.appendChild(el("p", "remarque", "Non compris : " + c.termes_non_compris.join(", ")));
    if (c.termes_approches && c.termes_approches.length)
      zone.appendChild(el("p", "meta", "Lu avec une faute corrigée : " + c.termes_approches.join(", ")));
    var rz = $("remarques"); rz.textContent = "";
    remarques.forEach(function (r) { rz.appendChild(el("p", "remarque", r)); });
  }

  function afficherResultat(r) {
    var li = el("li", "resultat");
    var h = el("h3");
    h.appendChild(el("span", "numero", String(r.rang)));
    var lien = lienFiche(r);
    if (lien) { var a = el("a", null, r.nom); a.href = lien; h.appendChild(a); } else h.appendChild(document.createTextNode(r.nom));
    li.appendChild(h);
    var meta = [r.commune || "commune inconnue"];
    if (r.distance_km !== null) meta.push("à " + r.distance_km.toLocaleString("fr-FR") + " km à vol d'oiseau");
    meta.push(r.finess ? "FINESS " + r.finess : "sans FINESS");
    li.appendChild(el("p", "meta", meta.join(" · ")));
    var niveau = el("p", "meta");
    niveau.appendChild(document.createTextNode("Niveau de preuve : "));
    niveau.appendChild(el("span", "niveau", NIVEAUX[r.niveau_de_preuve] || r.niveau_de_preuve));
    if (r.precision_point) niveau.appendChild(document.createTextNode(
      " · sur la carte : " + (r.precision_point === "etablissement" ? "à l'adresse du site" : "au centre de la commune (position approchée)")));
    else niveau.appendChild(document.createTextNode(" · pas de point sur la carte"));
    li.appendChild(niveau);
    var raisons = el("ul", "raisons");
    r.raisons.forEach(function (x) {
      var item = el("li", null, x.fait + " ");
      item.appendChild(el("span", "source", "(source : " + x.source + ", " + x.date + ")"));
      raisons.appendChild(item);
    });
    li.appendChild(raisons);
    return li;
  }

  function afficher(reponse, p) {
    var n = reponse.resultats.length;
    $("etat").textContent = n ? n + (n > 1 ? " résultats" : " résultat") + " pour « " + reponse.question + " »."
                              : "Aucun résultat pour « " + reponse.question + " ».";
    $("zone-resultats").hidden = false;
    afficherCompris(reponse.comprehension, reponse.remarques || []);
    var liste = $("resultats"); liste.textContent = "";
    reponse.resultats.forEach(function (r) { liste.appendChild(afficherResultat(r)); });
    $("plus").hidden = n < limite || limite >= MAX;
    $("lien").value = location.href;
    window.BoussoleCarte.charger(API).then(function (f) {
      window.BoussoleCarte.dessiner($("carte-svg"), f, reponse.comprehension.lieu, reponse.resultats,
        "Carte : " + (reponse.comprehension.lieu ? "lieu demandé (" + reponse.comprehension.lieu.nom + ") et " : "") +
        n + " site(s) numérotés comme dans la liste");
    }).catch(function () { $("carte-svg").textContent = "Carte indisponible."; });
  }

  function chercher(p, deplacerFocus) {
    var q = p.get("q");
    if (!q) return Promise.resolve();
    var requete = new URLSearchParams(p);
    requete.delete("second_avis"); requete.delete("limite");
    requete.set("limite", String(limite));
    var chemin = p.get("second_avis") === "1" ? "/second-avis" : "/orientation";
    $("etat").textContent = "Recherche en cours…";
    return fetch(API + chemin + "?" + requete, { headers: { Accept: "application/json" } })
      .then(function (rep) { return rep.json().then(function (corps) { return { ok: rep.ok, corps: corps }; }); })
      .then(function (r) {
        if (!r.ok) {
          var d = r.corps.detail;
          var texte = typeof d === "string" ? d : (d && d.length ? d.map(function (x) { return x.msg; }).join(" ; ") : "erreur");
          $("etat").textContent = "Recherche refusée : " + texte;
          return;
        }
        derniere = r.corps;
        afficher(r.corps, p);
        if (deplacerFocus) $("titre-resultats").focus();
      })
      .catch(function () { $("etat").textContent = "Service injoignable : réessayez plus tard."; });
  }

  function soumettre(ev) {
    if (ev) ev.preventDefault();
    if (!$("q").value.trim()) { $("etat").textContent = "Saisissez une question."; $("q").focus(); return; }
    limite = PAS;
    var p = etatDuFormulaire();
    history.pushState(null, "", "?" + p);
    chercher(p, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("recherche").addEventListener("submit", soumettre);
    Array.prototype.forEach.call(document.querySelectorAll("button.exemple"), function (b) {
      b.addEventListener("click", function () { $("q").value = b.textContent; $("q").focus(); });
    });
    $("plus").addEventListener("click", function () {
      limite = Math.min(MAX, limite + PAS);
      var p = etatDuFormulaire(); p.set("limite", String(limite));
      history.replaceState(null, "", "?" + p);
      var avant = derniere ? derniere.resultats.length : 0;
      // le focus va au premier résultat ajouté
      chercher(p, false).then(function () {
        var nouveau = $("resultats").querySelectorAll("li.resultat")[avant];
        if (nouveau) (nouveau.querySelector("a") || $("titre-resultats")).focus();
      });
    });
    $("copier").addEventListener("click", function () {
      var champ = $("lien"); champ.select();
      var fini = function () { $("etat").textContent = "Lien copié."; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(champ.value).then(fini, function () { document.execCommand("copy"); fini(); });
      else { document.execCommand("copy"); fini(); }
    });
    $("imprimer").addEventListener("click", function () { window.print(); });
    window.addEventListener("popstate", function () { var p = new URLSearchParams(location.search); remplir(p); chercher(p, false); });
    var initial = new URLSearchParams(location.search);
    remplir(initial);
    if (initial.get("q")) chercher(initial, false);
  });
})();
