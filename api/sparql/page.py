"""La page d'accueil du point d'accès (GET /sparql sans requête) : mode d'emploi et exemples exécutables."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from api.reglages import Reglages
from api.sparql.catalogue import RequeteCatalogue, catalogue
from api.sparql.exemples import EXEMPLES, Exemple
from api.sparql.modeles import ExempleSparql, RequeteCatalogueSparql
from api.sparql.protocole import PREFIXES

MODELE = Template((Path(__file__).resolve().parent.parent / "pages" / "sparql.html").read_text(encoding="utf-8"))

_FORMULAIRE = """<section class="exemple" id="{ident}">
<h{niveau}>{titre}</h{niveau}>
<p>{description}</p>{extra}
<form method="get" action="/sparql">
<label for="requete-{ident}">Requête SPARQL : {titre}</label>
<textarea id="requete-{ident}" name="query" rows="{lignes}" spellcheck="false">{requete}</textarea>
<label for="format-{ident}">Format de la réponse</label>
<select id="format-{ident}" name="format">{options}</select>
<button type="submit">Exécuter</button>
</form>
</section>"""

_EXTRA_CATALOGUE = """
<p>Fichier <code>{fichier}</code> — colonnes : {colonnes}.
<a href="{lien}">Exécuter tout de suite (CSV)</a> ·
<a href="{lien_json}">en JSON</a></p>"""


def _section(e: Exemple, niveau: int = 2, extra: str = "") -> str:
    graphe = e.corps.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE"))
    noms = (
        ("turtle", "ntriples", "jsonld")
        if graphe
        else ("csv", "json", "tsv", "xml")
        if extra
        else ("json", "csv", "tsv", "xml")
    )
    return _FORMULAIRE.format(
        ident=escape(e.identifiant),
        niveau=niveau,
        titre=escape(e.titre),
        description=escape(e.description),
        extra=extra,
        lignes=min(e.requete.count("\n") + 1, 30),
        requete=escape(e.requete),
        options="".join(f"<option>{n}</option>" for n in noms),
    )


def _lien(requete: str, format_: str) -> str:
    return "/sparql?" + urlencode({"query": requete, "format": format_})


def _section_catalogue(r: RequeteCatalogue) -> str:
    e = r.en_exemple()
    extra = _EXTRA_CATALOGUE.format(
        fichier=escape(r.fichier),
        colonnes=", ".join(f"<code>{escape(c)}</code>" for c in r.colonnes),
        lien=escape(_lien(e.requete, "csv")),
        lien_json=escape(_lien(e.requete, "json")),
    )
    return _section(e, niveau=3, extra=extra)


def sommaire_catalogue() -> str:
    """La liste du catalogue en tête de page : un lien vers la section de chaque requête."""
    items = "".join(f'<li><a href="#{escape(r.identifiant)}">{escape(r.titre)}</a></li>' for r in catalogue())
    return f"<ul>{items}</ul>"


def page(reglages: Reglages, identifiant_instantane: str | None) -> str:
    """La page HTML de /sparql : bornes du service (délai, lignes, quota) et un formulaire par exemple.

    :param reglages: les réglages servis (bornes affichées).
    :param identifiant_instantane: l'instantané interrogé, ou None si aucun n'est servi.
    :returns: la page complète.
    """
    sections = [_section(e) for e in EXEMPLES]
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
        sommaire_catalogue=sommaire_catalogue(),
        catalogue="\n".join(_section_catalogue(r) for r in catalogue()),
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


def catalogue_publie() -> list[RequeteCatalogueSparql]:
    """Le catalogue ``requetes/*.rq``, prêt à envoyer (PREFIX compris), avec fichier, colonnes et lien CSV."""
    return [
        RequeteCatalogueSparql(
            identifiant=r.identifiant,
            titre=r.titre,
            description=r.description,
            requete=r.en_exemple().requete,
            lien=_lien(r.en_exemple().requete, "csv"),
            fichier=r.fichier,
            colonnes=r.colonnes,
        )
        for r in catalogue()
    ]
