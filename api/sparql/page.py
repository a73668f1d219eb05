"""La page d'accueil du point d'accès (GET /sparql sans requête) : mode d'emploi et exemples exécutables."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from api.reglages import Reglages
from api.sparql.exemples import EXEMPLES
from api.sparql.modeles import ExempleSparql
from api.sparql.protocole import PREFIXES

MODELE = Template(
    (Path(__file__).resolve().parent.parent / "pages" / "sparql.html").read_text(encoding="utf-8")
)

_FORMULAIRE = """<section class="exemple" id="{ident}">
<h2>{titre}</h2>
<p>{description}</p>
<form method="get" action="/sparql">
<label for="requete-{ident}">Requête SPARQL : {titre}</label>
<textarea id="requete-{ident}" name="query" rows="{lignes}" spellcheck="false">{requete}</textarea>
<label for="format-{ident}">Format de la réponse</label>
<select id="format-{ident}" name="format">{options}</select>
<button type="submit">Exécuter</button>
</form>
</section>"""


def page(reglages: Reglages, identifiant_instantane: str | None) -> str:
    """La page HTML de /sparql : bornes du service (délai, lignes, quota) et un formulaire par exemple.

    :param reglages: les réglages servis (bornes affichées).
    :param identifiant_instantane: l'instantané interrogé, ou None si aucun n'est servi.
    :returns: la page complète.
    """
    sections = []
    for e in EXEMPLES:
        graphe = e.corps.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE"))
        noms = ("turtle", "ntriples", "jsonld") if graphe else ("json", "csv", "tsv", "xml")
        sections.append(
            _FORMULAIRE.format(
                ident=escape(e.identifiant),
                titre=escape(e.titre),
                description=escape(e.description),
                lignes=e.requete.count("\n") + 1,
                requete=escape(e.requete),
                options="".join(f"<option>{n}</option>" for n in noms),
            )
        )
    return MODELE.substitute(
        instantane=escape(identifiant_instantane or "aucun (service indisponible)"),
        prefixes=escape(" ".join(f"{p}:" for p in PREFIXES)),
        delai=f"{reglages.sparql_delai_s:g}",
        lignes=reglages.sparql_lignes_max,
        taille=reglages.sparql_taille_max,
        quota=reglages.quota_requetes,
        fenetre=f"{reglages.quota_fenetre_s:g}",
        octets=reglages.sparql_octets_max,
        concurrence=reglages.sparql_concurrence_client,
        temps=f"{reglages.sparql_temps_client_s:g}",
        fenetre_client=f"{reglages.sparql_fenetre_client_s:g}",
        exemples="\n".join(sections),
    )


def exemples_publies() -> list[ExempleSparql]:
    """Les exemples de la page, prêts à envoyer (PREFIX compris), chacun avec son lien GET exécutable."""
    return [
        ExempleSparql(
            identifiant=e.identifiant,
            titre=e.titre,
            description=e.description,
            requete=e.requete,
            lien="/sparql?" + urlencode({"query": e.requete}),
        )
        for e in EXEMPLES
    ]
