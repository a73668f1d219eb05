/* <boussole-orientation> : le module d'orientation de Boussole, à intégrer par une seule balise
     <script src="https://ADRESSE-DE-BOUSSOLE/widget.js" defer></script>
     <boussole-orientation lieu="56" besoin="soins_support" resultats="5" couleur="#0b4f9c"></boussole-orientation>
   Rendu dans un Shadow DOM (les styles de l'hôte n'y entrent pas, les siens n'en sortent pas) ; aucun script en
   ligne ni eval, aucune ressource externe : il marche sous une CSP stricte (script-src et connect-src : l'API).
   Attributs : api (défaut : l'origine de ce script), lieu, besoin, resultats (1–20), couleur, couleur-fond.
   Les iframes <iframe data-boussole src=".../widget"> de la page voient leur hauteur suivre leur contenu. */
(function () {
  "use strict";
  var script = document.currentScript;
  var ORIGINE = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var NIVEAUX = { autorisation: "autorisation de l'ARS", liste_curee: "liste officielle (INCa, réseaux)",
                  activite_declaree: "activité déclarée (SAE)", aucune: "sans preuve d'activité citée" };
  var FEUILLE = ":host{all:initial;display:block;font-family:system-ui,sans-serif;font-size:16px;line-height:1.45;" +
    "color:#1b1b1b;background:var(--fond);--accent:#0b4f9c;--fond:#fff}" +
    "*{box-sizing:border-box}.boite{font-family:system-ui,sans-serif;font-size:16px;line-height:1.45;color:#1b1b1b;text-align:left;padding:.8rem;border:1px solid #c4c4c4;border-radius:.3rem;background:var(--fond)}" +
    "h2{font-size:1.2rem;margin:0 0 .5rem}h3,h4{font-size:1rem;margin:0}label{display:block;font-weight:600}" +
    "form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.champ{flex:1 1 14rem}" +
    "input{font:inherit;width:100%;padding:.35rem .45rem;border:1px solid #6b6b6b;border-radius:.2rem;color:#1b1b1b;background:#fff}" +
    "button{font:inherit;background:var(--accent);color:#fff;border:1px solid var(--accent);border-radius:.25rem;padding:.4rem .9rem;cursor:pointer}" +
    ":focus-visible{outline:3px solid #b3540b;outline-offset:2px}a{color:var(--accent)}" +
    ".etat{font-weight:600;margin:.6rem 0}ol{list-style:none;padding:0;margin:0}" +
    "li.resultat{border-top:1px solid #d0d0d0;padding:.5rem 0}.meta{color:#4a4a4a;font-size:.92rem;margin:.15rem 0}" +
    ".raisons{font-size:.9rem;margin:.2rem 0 0;padding-left:1.1rem}.remarque{background:#fff6d6;border-left:4px solid #8a6d00;padding:.3rem .5rem;margin:.3rem 0}" +
    ".numero{font-weight:700;margin-right:.3rem}.pied{font-size:.85rem;color:#4a4a4a;margin:.6rem 0 0}";
  var compteur = 0;

  function el(nom, classe, texte) {
    var e = document.createElement(nom);
    if (classe) e.className = classe;
    if (texte !== undefined && texte !== null) e.textContent = texte;
    return e;
  }

  function couleurSure(v) { return v && window.CSS && CSS.supports("color", v) && !/[;{}<>]/.test(v) ? v : null; }

  function BoussoleOrientation() { return Reflect.construct(HTMLElement, [], BoussoleOrientation); }
  BoussoleOrientation.prototype = Object.create(HTMLElement.prototype);
  BoussoleOrientation.prototype.constructor = BoussoleOrientation;
  Object.setPrototypeOf(BoussoleOrientation, HTMLElement);

  BoussoleOrientation.prototype.connectedCallback = function () {
    if (this._racine) return;
    var id = "bo" + (++compteur);
    var racine = this._racine = this.attachShadow({ mode: "open" });
    var feuille = FEUILLE;
    var accent = couleurSure(this.getAttribute("couleur")), fond = couleurSure(this.getAttribute("couleur-fond"));
    if (accent) feuille += ":host{--accent:" + accent + "}";
    if (fond) feuille += ":host{--fond:" + fond + "}";
    if (racine.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      var s = new CSSStyleSheet(); s.replaceSync(feuille); racine.adoptedStyleSheets = [s];
    } else { racine.appendChild(el("style", null, feuille)); }
    var boite = el("section", "boite");
    boite.setAttribute("aria-labelledby", id + "-titre");
    var titre = el("h2", null, this.getAttribute("titre") || "Où adresser ce patient ?"); titre.id = id + "-titre";
    var form = el("form"); form.setAttribute("role", "search"); form.setAttribute("aria-labelledby", id + "-titre");
    var champ = el("div", "champ");
    var etiquette = el("label", null, "Votre question"); etiquette.htmlFor = id + "-q";
    var q = el("input"); q.id = id + "-q"; q.type = "search"; q.maxLength = 500; q.required = true; q.autocomplete = "off";
    var aide = el("p", "meta", "Ex. : radiothérapie près de Vannes ; second avis sarcome, suivi au CHU de Nantes");
    aide.id = id + "-aide"; q.setAttribute("aria-describedby", aide.id);
    champ.appendChild(etiquette); champ.appendChild(q); champ.appendChild(aide);
    form.appendChild(champ); form.appendChild(el("button", null, "Chercher"));
    var etat = el("div", "etat"); etat.setAttribute("role", "status"); etat.setAttribute("aria-live", "polite");
    var zone = el("div"); zone.hidden = true;
    var titreRes = el("h3", null, "Résultats"); titreRes.tabIndex = -1;
    var remarques = el("div"), liste = el("ol");
    zone.appendChild(titreRes); zone.appendChild(remarques); zone.appendChild(liste);
    var pied = el("p", "pied", "Réponses de Boussole tirées des sources publiques (SAE, FINESS, INCa), chacune avec sa source et sa date. Ne remplace pas l'avis d'un médecin.");
    [titre, form, etat, zone, pied].forEach(function (n) { boite.appendChild(n); });
    racine.appendChild(boite);
    var moi = this;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var texte = q.value.trim();
      if (!texte) { etat.textContent = "Saisissez une question."; q.focus(); return; }
      moi.chercher(texte, etat, zone, titreRes, remarques, liste);
    });
  };

  BoussoleOrientation.prototype.chercher = function (texte, etat, zone, titreRes, remarques, liste) {
    var api = (this.getAttribute("api") || ORIGINE).replace(/\/+$/, "");
    var n = parseInt(this.getAttribute("resultats") || "5", 10);
    var p = new URLSearchParams({ q: texte, limite: String(n >= 1 && n <= 20 ? n : 5) });
    var lieu = this.getAttribute("lieu"), besoin = this.getAttribute("besoin");
    var secondAvis = /second avis/i.test(texte);
    // le lieu par défaut vaut pour une orientation dont la question ne dit pas déjà où (« près de », « à »…)
    if (lieu && !secondAvis && !/(pr[eè]s|autour|proche|\s[àa]\s|\d{5})/i.test(texte)) p.set("lieu", lieu);
    if (besoin) p.set("besoin", besoin);
    var chemin = secondAvis ? "/second-avis" : "/orientation";
    etat.textContent = "Recherche en cours…";
    fetch(api + chemin + "?" + p, { headers: { Accept: "application/json" } })
      .then(function (rep) { return rep.json().then(function (c) { return { ok: rep.ok, corps: c }; }); })
      .then(function (r) {
        if (!r.ok) {
          var d = r.corps.detail;
          etat.textContent = "Recherche refusée : " + (typeof d === "string" ? d : "paramètre invalide");
          return;
        }
        var rep = r.corps, k = rep.resultats.length;
        etat.textContent = k ? k + (k > 1 ? " résultats" : " résultat") + " pour « " + rep.question + " »." : "Aucun résultat pour « " + rep.question + " ».";
        remarques.textContent = ""; liste.textContent = "";
        var c = rep.comprehension;
        if (c.termes_non_compris && c.termes_non_compris.length) remarques.appendChild(el("p", "remarque", "Non compris : " + c.termes_non_compris.join(", ")));
        if (c.exclure && c.exclure.length) remarques.appendChild(el("p", "meta", "Équipe exclue (second avis) : " + c.exclure.join(", ")));
        (rep.remarques || []).forEach(function (x) { remarques.appendChild(el("p", "remarque", x)); });
        rep.resultats.forEach(function (x) {
          var li = el("li", "resultat"), h = el("h4");
          h.appendChild(el("span", "numero", x.rang + "."));
          if (x.finess) { var a = el("a", null, x.nom); a.href = api + "/etablissements/" + encodeURIComponent(x.finess); a.target = "_blank"; a.rel = "noopener"; h.appendChild(a); h.appendChild(el("span", "meta", " (nouvelle fenêtre)")); }
          else h.appendChild(document.createTextNode(x.nom));
          li.appendChild(h);
          var meta = [x.commune || "commune inconnue"];
          if (x.distance_km !== null) meta.push("à " + x.distance_km.toLocaleString("fr-FR") + " km");
          meta.push("niveau de preuve : " + (NIVEAUX[x.niveau_de_preuve] || x.niveau_de_preuve));
          li.appendChild(el("p", "meta", meta.join(" · ")));
          var ul = el("ul", "raisons");
          x.raisons.forEach(function (y) { ul.appendChild(el("li", null, y.fait + " (source : " + y.source + ", " + y.date + ")")); });
          li.appendChild(ul); liste.appendChild(li);
        });
        zone.hidden = false; titreRes.focus();
      })
      .catch(function () { etat.textContent = "Service Boussole injoignable."; });
  };

  if (!customElements.get("boussole-orientation")) customElements.define("boussole-orientation", BoussoleOrientation);

  // Variante iframe : la page /widget envoie sa hauteur ; l'iframe de l'hôte la suit (pas de double défilement).
  window.addEventListener("message", function (ev) {
    var d = ev.data;
    if (!d || d.type !== "boussole-hauteur" || typeof d.hauteur !== "number") return;
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-boussole]"), function (f) {
      if (f.contentWindow === ev.source) f.style.height = Math.min(Math.max(d.hauteur, 100), 10000) + "px";
    });
  });
})();
