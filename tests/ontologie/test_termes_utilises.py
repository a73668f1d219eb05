"""Chaque terme bo: que le code écrit ou interroge est déclaré, documenté, et chaque thésaurus visé existe.

Pourquoi un balayage du code plutôt que du seul graphe : un terme mal orthographié dans une requête SPARQL de
recherche/ ou api/ ne fait pas échouer la requête, il la rend vide ; et un lecteur qui écrit ``BO.typeStrucutre``
produit un graphe valide SHACL mais que personne ne sait interroger. La contrepartie sur un graphe construit
(tous les prédicats et classes bo: d'un instantané réel) est dans tests/graphe/test_construction.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphe.sources.nomenclatures import SCHEMAS
from ontologie import charger_ontologie
from ontologie.espaces import BO, schema_concepts

RACINE = Path(__file__).resolve().parents[2]
#: Le code qui écrit (graphe/, ontologie/) et qui interroge (recherche/, api/) le graphe.
PAQUETS = ("graphe", "ontologie", "recherche", "api")

_BO_PYTHON = re.compile(r"\bBO(?:\.([A-Za-z_]\w*)|\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\])")
_BO_SPARQL = re.compile(r"(?<![\w/#])bo:([A-Za-z_]\w*)")
_SCHEMA_CONCEPT = re.compile(r"\bconcept\(\s*[\"']([a-z0-9-]+)[\"']")


def _sources() -> list[Path]:
    return sorted(p for paquet in PAQUETS for p in (RACINE / paquet).rglob("*.py"))


def termes_du_code() -> dict[str, set[str]]:
    """Nom local → fichiers, pour chaque ``BO.x``, ``BO["x"]`` (Python) et ``bo:x`` (SPARQL, docstrings)."""
    vus: dict[str, set[str]] = {}
    for fichier in _sources():
        texte = fichier.read_text(encoding="utf-8")
        noms = [a or b for a, b in _BO_PYTHON.findall(texte)] + _BO_SPARQL.findall(texte)
        for nom in noms:
            vus.setdefault(nom, set()).add(str(fichier.relative_to(RACINE)))
    return vus


def _declares(ontologie: Graph) -> set[str]:
    types = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    return {
        str(s).removeprefix(str(BO))
        for t in types
        for s in ontologie.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(str(BO))
    }


@pytest.fixture(scope="module")
def ontologie() -> Graph:
    return charger_ontologie()


def test_le_balayage_trouve_les_termes_connus() -> None:
    # Garde-fou du test lui-même : un motif cassé rendrait le test suivant vide donc toujours vert.
    vus = termes_du_code()
    assert {"Etablissement", "ActiviteDeclaree", "sitePartenaire", "typeStructure", "appariement"} <= set(vus)
    assert "graphe/sources/sae/tables.py" in vus["typeStructure"]
    assert "graphe/sources/curation/structures.py" in vus["typeSoinTexte"]


def test_chaque_terme_bo_du_code_est_declare_dans_boussole_ttl(ontologie: Graph) -> None:
    declares = _declares(ontologie)
    manquants = {nom: sorted(fichiers) for nom, fichiers in termes_du_code().items() if nom not in declares}
    assert not manquants, f"termes bo: employés mais absents de ontologie/boussole.ttl : {manquants}"


def test_les_termes_ajoutes_ont_leur_sens(ontologie: Graph) -> None:
    """Les termes des lecteurs récents : bon genre de propriété, portée utile pour un analyste."""
    attendus = {
        BO.sitePartenaire: (OWL.ObjectProperty, BO.Etablissement),
        BO.appariement: (OWL.ObjectProperty, BO.Appariement),
        BO.typeStructure: (OWL.DatatypeProperty, None),
        BO.typeSoinTexte: (OWL.DatatypeProperty, None),
    }
    for terme, (genre, portee) in attendus.items():
        assert (terme, RDF.type, genre) in ontologie, terme
        if portee is not None:
            assert ontologie.value(terme, RDFS.range) == portee, terme
    # bo:region sert aussi aux plateformes de fertilité : le commentaire le dit (pas de domaine qui mentirait).
    assert "fertilité" in str(ontologie.value(BO.region, RDFS.comment))
    assert ontologie.value(BO.region, RDFS.domain) is None


def test_chaque_terme_declare_est_dans_modele_md(ontologie: Graph) -> None:
    # MODELE.md est le contrat entre graphe/, recherche/ et api/ : un terme déclaré mais non documenté
    # n'existe pas pour les autres équipes.
    modele = (RACINE / "ontologie" / "MODELE.md").read_text(encoding="utf-8")
    cites = set(_BO_SPARQL.findall(modele))
    assert not (_declares(ontologie) - cites), sorted(_declares(ontologie) - cites)
    assert not (cites - _declares(ontologie)), sorted(cites - _declares(ontologie))


def test_chaque_thesaurus_vise_par_un_lecteur_existe(ontologie: Graph) -> None:
    """``concept("x", …)`` dans un lecteur → le skos:ConceptScheme ``concept/x`` est déclaré quelque part."""
    schemas_lus = {
        nom
        for fichier in _sources()
        if fichier.relative_to(RACINE).parts[:2] == ("graphe", "sources") or fichier.parent.name == "graphe"
        for nom in _SCHEMA_CONCEPT.findall(fichier.read_text(encoding="utf-8"))
    }
    assert {"activite-finess", "forme-finess", "role", "besoin"} <= schemas_lus
    declares = {s for s in ontologie.subjects(RDF.type, SKOS.ConceptScheme)}
    declares |= {schema_concepts(nom) for nom in SCHEMAS}  # fabriqués par le lecteur des nomenclatures
    manquants = sorted(nom for nom in schemas_lus if schema_concepts(nom) not in declares)
    assert not manquants, f"thésaurus visés sans skos:ConceptScheme : {manquants}"


def test_codes_finess_des_autorisations_ont_un_concept(ontologie: Graph) -> None:
    """Les codes d'activité et de forme que porte l'extrait FINESS embarqué pointent vers un concept libellé."""
    from datetime import date

    from graphe.sources import finess_activites
    from graphe.sources.base import Contexte

    lecture = finess_activites.lire(RACINE / "donnees", Contexte(date(2026, 4, 1)))
    cibles = set(lecture.graphe.objects(None, BO.activite)) | set(lecture.graphe.objects(None, BO.forme))
    assert cibles, "l'extrait embarqué devrait porter des autorisations cancer"
    sans_libelle = sorted(str(c) for c in cibles if ontologie.value(c, SKOS.prefLabel) is None)
    assert not sans_libelle, sans_libelle
    role = URIRef(str(schema_concepts("role")) + "/organisateur")
    assert (role, SKOS.inScheme, schema_concepts("role")) in ontologie
