"""Les listes « une structure par ligne » : oncogénétique, préservation de la fertilité, soins de support.

Chaque ligne atteste elle-même un besoin (niveau « liste_curee ») : c'est une preuve, typée comme telle. Si son
nom désigne un établissement de santé, il est apparié à un site FINESS ; non apparié, la structure reste comme
organisation sans FINESS. Une association ou un réseau (« Ligue », « Escale ») n'est pas un site à chercher.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graphe.appariement import ecrire_appariement
from graphe.sources.curation.cellules import MOT_ETABLISSEMENT, concepts_de, sources_courtes
from graphe.sources.curation.squelette import Ecrire, Lecteur, Liste
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

#: Structures associatives ou réseaux : pas un site FINESS à chercher.
_PAS_ETABLISSEMENT = re.compile(r"(?i)(r[ée]seau|association|ligue|escales?|espace ligue|l'escale)\b")

#: Mots du type de soin → concept soin-support/<code>.
SOINS_SUPPORT: tuple[tuple[str, str], ...] = (
    (r"douleur", "douleur"),
    (r"di[ée]t[ée]ti|nutrition|aliment|culinaire", "nutrition"),
    (r"psycho|psychologue|groupes de parole|écoute", "psycho_oncologie"),
    (
        r"activit[ée]s? (physique|sportive)|gymnastique|remise en forme|yoga|pilates",
        "activite_physique_adaptee",
    ),
    (r"esth[ée]ti|socio-capillaire", "socio_esthetique"),
    (r"social|sociale|retour à l'emploi|reprise du travail", "social"),
    (r"sophrologie", "sophrologie"),
    (r"r[ée]flexologie|relaxation|m[ée]ditation|hypnoth|acupuncture", "relaxation"),
    (r"sexuel", "sante_sexuelle"),
)

#: Ce que chaque liste ajoute à sa structure : ``completer(lecteur, numéro, ligne, nœud)``.
Completer = Callable[[Lecteur, int, dict[str, str], URIRef], None]


def _structure(classe: URIRef, besoin: str, phrase: str, completer: Completer) -> Ecrire:
    """L'écriture d'une ligne « structure » de la classe ``classe`` (preuve du besoin ``besoin``)."""

    def ecrire(lc: Lecteur, numero: int, ligne: dict[str, str], nom: str) -> None:
        g = lc.graphe
        ville = (ligne.get("ville") or "").strip()
        s = espaces.preuve(espaces.fragment(Path(lc.fichier).stem), lc.nom, str(numero))
        g.add((s, RDF.type, classe))
        g.add((s, RDF.type, BO.Preuve))
        libelle = nom if nom and not nom.lower().startswith(("laboratoire non nommé",)) else ""
        g.add((s, SCHEMA.name, Literal(nom or f"Non nommé ({ville})")))
        if ville and ville.lower() != "national":
            g.add((s, BO.ville, Literal(ville)))
        g.add((s, BO.besoin, espaces.concept("besoin", besoin)))
        g.add((s, BO.niveauPreuve, Literal("liste_curee")))
        g.add(
            (
                s,
                RDFS.label,
                Literal(f"{phrase} : {nom or ville} (liste curée, source {sources_courtes(ligne)})", lang="fr"),
            )
        )
        lc.provenance(s, numero, ligne)
        if libelle and MOT_ETABLISSEMENT.search(libelle) and not _PAS_ETABLISSEMENT.match(libelle):
            app = lc.apparieur.apparier(libelle, ville or None)
            if app.finess is not None:
                ecrire_appariement(g, s, app, lc.nom, numero, 1)
                g.add((s, BO.etablissement, espaces.etablissement(app.finess)))
            else:
                # Non appariée : la structure elle-même reste, comme organisation sans FINESS.
                g.add((s, RDF.type, BO.OrganisationSansFiness))
                lc.rapport.non_apparies.append(f"ligne {numero} : {libelle}" + (f" ({ville})" if ville else ""))
        else:
            lc.rapport.avertir(numero, f"« {nom or ville} » : pas un établissement de santé à apparier")
        completer(lc, numero, ligne, s)

    return ecrire


def _type_offre(lc: Lecteur, numero: int, ligne: dict[str, str], s: URIRef) -> None:
    lc.texte(s, BO.typeOffre, ligne.get("type"))


def _region(lc: Lecteur, numero: int, ligne: dict[str, str], s: URIRef) -> None:
    for code in lc.regions(ligne.get("region", "")):
        lc.graphe.add((s, BO.region, espaces.region(code)))


def _types_de_soin(lc: Lecteur, numero: int, ligne: dict[str, str], s: URIRef) -> None:
    types = concepts_de(ligne.get("type_de_soin", ""), SOINS_SUPPORT)
    for code in types:
        lc.graphe.add((s, BO.typeSoin, espaces.concept("soin-support", code)))
    lc.texte(s, BO.typeSoinTexte, ligne.get("type_de_soin"))
    if not types:
        lc.rapport.avertir(numero, "aucun type de soin reconnu dans le texte")


_SANS_NOM = "ligne sans nom ni ville"

ONCOGENETIQUE = Liste(
    "oncogenetique.csv",
    "Oncogénétique (liste partielle)",
    ("etablissement", "ville"),
    _SANS_NOM,
    _structure(BO.Oncogenetique, "oncogenetique", "Oncogénétique", _type_offre),
)
FERTILITE = Liste(
    "preservation_fertilite.csv",
    "Préservation de la fertilité (liste partielle)",
    ("etablissement", "ville"),
    _SANS_NOM,
    _structure(BO.PlateformeFertilite, "fertilite", "Préservation de la fertilité", _region),
)
SOINS_DE_SUPPORT = Liste(
    "soins_support_exemples.csv",
    "Soins oncologiques de support (exemples)",
    ("structure", "ville"),
    _SANS_NOM,
    _structure(BO.StructureSoinsSupport, "soins_support", "Soins de support", _types_de_soin),
)
