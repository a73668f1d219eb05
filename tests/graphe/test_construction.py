"""La construction de bout en bout, sur une copie réduite mais complète des données (cinq départements).

Ce que ces tests prouvent, et pourquoi chacun compte :

- une construction réussie publie un instantané lisible (lien ``courant``, rapport équilibré, chaque site de la
  SAE présent et situé ou déclaré « aucune ») ;
- la requête de MODELE.md donne, pour un site, chaque fait avec sa source et sa date ;
- une activité déclarée n'est jamais une autorisation, et les autorisations ne viennent que du flux FINESS ;
- **bascule atomique** : toute construction ratée (fichier manquant, source illisible, JSON cassé, forme SHACL
  violée) lève ``ConstructionEchouee`` avec un message en français, laisse ``courant`` sur l'ancien instantané,
  toujours ouvrable, et ne laisse aucun dossier ``.en-construction-*`` ;
- la ligne de commande rend 0 / 1 avec des messages lisibles, sans trace de pile.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ajouter_lignes
from donnees_petites import PetitInstantane
from rdflib import Literal
from rdflib.namespace import OWL, RDF

from api.cli import main
from graphe import construction
from graphe import instantane as inst
from graphe.construction import ConstructionEchouee, construire
from graphe.sources.sae.tables import PALIA
from ontologie import charger_ontologie, espaces
from ontologie.espaces import BO, entete_sparql

LEON_BERARD = "690000880"


def _requete(store, texte: str) -> list:
    return list(store.query(entete_sparql() + texte, use_default_graph_as_union=True))


@pytest.fixture(scope="module")
def courant(petit_instantane: PetitInstantane):
    """L'instantané courant ouvert en lecture seule (comme le service l'ouvre)."""
    return inst.ouvrir_courant(petit_instantane.racine)



def _dossiers(racine: Path) -> list[str]:
    return sorted(d.name for d in racine.iterdir() if d.is_dir() and not d.is_symlink())


# --- (a) une construction réussie publie -----------------------------------------------------------------


def test_publication_lien_courant_et_rapport(petit_instantane: PetitInstantane) -> None:
    racine, resultat = petit_instantane.racine, petit_instantane.resultat
    lien = racine / inst.LIEN_COURANT
    assert lien.is_symlink() and os.readlink(lien) == resultat.identifiant  # cible relative
    assert inst.chemin_courant(racine) == resultat.dossier.resolve()
    assert _dossiers(racine) == [resultat.identifiant]
    assert not [p for p in racine.iterdir() if p.name.startswith(".")]
    rapport = json.loads((resultat.dossier / "rapport.json").read_text(encoding="utf-8"))
    assert (resultat.dossier / "rapport.txt").read_text(encoding="utf-8").startswith("Instantané ")
    assert rapport["validation"]["conforme"] is True
    assert len(rapport["sources"]) == 25  # dont geo-points-communes, les points de repli des sites
    for s in rapport["sources"]:
        assert s["lues"] == s["gardees"] + s["rejetees"] == s["gardees"] + len(s["rejets"]), s["source"]
    sources = {s["source"]: s for s in rapport["sources"]}
    assert sources["sae-id-2023"]["lues"] == 287
    assert sources["finess-activites"]["gardees"] > 0
    assert petit_instantane.duree_s < 30


def test_chaque_site_sae_est_un_etablissement_situe(petit_instantane: PetitInstantane, courant) -> None:
    with (petit_instantane.donnees / "sae" / "ID_2023r.csv").open(encoding="latin-1", newline="") as f:
        attendus = {ligne["fi"] for ligne in csv.DictReader(f, delimiter=";")}
    sites = {r["f"].value for r in _requete(courant.store, "SELECT ?f WHERE { ?e a bo:Etablissement ; bo:finess ?f }")}
    assert sites == attendus and len(sites) == 287
    sans_point = _requete(
        courant.store,
        "SELECT ?e WHERE { ?e a bo:Etablissement FILTER NOT EXISTS { ?e schema:latitude ?la ; schema:longitude ?lo } }",
    )
    geo = petit_instantane.resultat.rapport["geolocalisation"]
    assert len(sans_point) == geo.get("aucune", 0)
    assert sum(geo.values()) == 287
    # Un site situé dit comment : point Eurostat vérifié ou repli sur la commune.
    precisions = _requete(
        courant.store,
        "SELECT DISTINCT ?p WHERE { ?e a bo:Etablissement ; schema:latitude ?la ; bo:precisionGeo ?p }",
    )
    assert {r["p"].value for r in precisions} <= {"etablissement", "commune"}


def test_chaque_terme_bo_de_l_instantane_est_declare(courant) -> None:
    """Pendant du balayage du code (tests/ontologie/test_termes_utilises.py) sur un graphe réellement construit."""
    ontologie = charger_ontologie()
    declares = {
        str(s) for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in ontologie.subjects(RDF.type, t)
    }
    utilises = {
        r["t"].value
        for r in _requete(
            courant.store,
            """SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } FILTER(STRSTARTS(STR(?t), STR(bo:))) }""",
        )
    }
    assert str(BO.sitePartenaire) in utilises and str(BO.typeStructure) in utilises
    assert not (utilises - declares), sorted(utilises - declares)


def test_toute_preuve_est_typee_preuve_dans_le_store(courant) -> None:
    """Oxigraph n'infère pas : ``?x a bo:Preuve`` doit trouver autant de nœuds qu'il y a de niveaux de preuve."""
    typees = _requete(courant.store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a bo:Preuve }")[0]["n"].value
    niveaux = _requete(courant.store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p bo:niveauPreuve ?x }")[0]["n"]
    assert int(typees) == int(niveaux.value) > 800
    for classe in ("Autorisation", "ActiviteDeclaree", "EquipementDeclare", "Appartenance"):
        requete = entete_sparql() + f"ASK {{ ?p a bo:{classe} FILTER NOT EXISTS {{ ?p a bo:Preuve }} }}"
        assert not bool(courant.store.query(requete, use_default_graph_as_union=True)), classe


# --- (b) chaque fait d'un site, avec sa source et sa date -----------------------------------------------


def test_faits_d_un_site_avec_source_et_date(courant) -> None:
    site = f"<{espaces.etablissement(LEON_BERARD)}>"
    modele = f"""SELECT ?p ?o ?source ?date WHERE {{
      GRAPH ?source {{ {site} ?p ?o }}
      GRAPH src:meta {{ ?source bo:dateDonnees ?date }}
    }}"""
    lignes = _requete(courant.store, modele)
    assert len(lignes) > 10
    assert all(r["date"] is not None and r["date"].value for r in lignes)
    sources = {r["source"].value for r in lignes}
    assert {str(espaces.source("sae-id-2023")), str(espaces.source("eurostat-geoloc"))} <= sources
    # Même requête, date facultative : aucun graphe qui parle du site n'est sans date dans src:meta.
    toutes = _requete(
        courant.store,
        f"""SELECT ?p ?o ?source ?date WHERE {{
          GRAPH ?source {{ {site} ?p ?o }}
          OPTIONAL {{ GRAPH src:meta {{ ?source bo:dateDonnees ?date }} }}
        }}""",
    )
    assert len(toutes) == len(lignes)
    assert all(r["date"] is not None for r in toutes)
    # Les preuves du site aussi (faits dont il est l'objet) : chacune a sa source datée.
    preuves = _requete(
        courant.store,
        f"""SELECT ?preuve ?source ?date WHERE {{
          GRAPH ?source {{ ?preuve bo:etablissement {site} ; a bo:Preuve }}
          OPTIONAL {{ GRAPH src:meta {{ ?source bo:dateDonnees ?date }} }}
        }}""",
    )
    assert preuves and all(r["date"] is not None for r in preuves)
    assert any("curation" in r["source"].value for r in preuves)  # coordonnateur NETSARC+


# --- (c) une activité déclarée n'est jamais une autorisation --------------------------------------------


def test_declaration_jamais_autorisation_et_autorisations_du_seul_flux_finess(courant) -> None:
    melanges = _requete(
        courant.store,
        "SELECT ?n WHERE { ?n a bo:Autorisation . { ?n a bo:ActiviteDeclaree } UNION { ?n a bo:EquipementDeclare } }",
    )
    assert melanges == []
    graphes = _requete(courant.store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a bo:Autorisation } }")
    assert {r["g"].value for r in graphes} == {str(espaces.source("finess-activites"))}
    niveaux = _requete(courant.store, 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a bo:niveauPreuve "autorisation" } }')
    assert {r["g"].value for r in niveaux} == {str(espaces.source("finess-activites"))}
    n = _requete(courant.store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a bo:Autorisation }")[0]["n"]
    assert int(n.value) == 7


# --- (d) bascule atomique : une construction ratée ne remplace rien --------------------------------------


def _verifier_intact(racine: Path, identifiant: str) -> None:
    assert os.readlink(racine / inst.LIEN_COURANT) == identifiant
    assert not list(racine.glob(".en-construction-*"))
    assert _dossiers(racine) == [identifiant]
    ouvert = inst.ouvrir_courant(racine)
    assert ouvert.identifiant == identifiant
    n = _requete(ouvert.store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a bo:Etablissement }")[0]["n"]
    assert int(n.value) == 287


def _casser_fichier_manquant(donnees: Path) -> str:
    (donnees / "sae" / "PALIA_2023r.csv").unlink()
    return "PALIA_2023r.csv"


def _casser_sae_tronquee(donnees: Path) -> str:
    # Fichier coupé au milieu de l'en-tête (copie interrompue) : colonnes requises absentes, source illisible.
    chemin = donnees / "sae" / "ID_2023r.csv"
    chemin.write_bytes(chemin.read_bytes()[:12])
    return "colonnes manquantes"


def _casser_json_finess(donnees: Path) -> str:
    chemin = donnees / "finess" / "exemple-finess-activites-journalier-20260401.json"
    chemin.write_bytes(chemin.read_bytes()[: len(chemin.read_bytes()) // 2])
    return "JSON illisible"


@pytest.mark.parametrize(
    ("casser", "attendu_source"),
    [
        (_casser_fichier_manquant, "SAE soins palliatifs"),
        (_casser_sae_tronquee, "SAE identité"),
        (_casser_json_finess, "FINESS autorisations"),
    ],
    ids=["fichier-manquant", "sae-tronquee", "json-finess-casse"],
)
def test_echec_de_lecture_garde_l_instantane_courant(
    copie: tuple[Path, Path], petit_instantane: PetitInstantane, casser, attendu_source: str
) -> None:
    donnees, racine = copie
    detail = casser(donnees)
    with pytest.raises(ConstructionEchouee) as echec:
        construire(donnees, racine, progression=False)
    message = str(echec.value)
    assert f"source « {attendu_source} » illisible" in message and detail in message
    _verifier_intact(racine, petit_instantane.resultat.identifiant)


def test_violation_shacl_garde_l_instantane_courant(
    copie: tuple[Path, Path], petit_instantane: PetitInstantane, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Un lecteur fautif qui type une déclaration en autorisation : SHACL refuse, rien n'est publié."""
    donnees, racine = copie
    original = PALIA.lire
    fautif = espaces.preuve("activite-declaree", "sae-palia-2023", LEON_BERARD, "FAUTE")

    def lire_fautif(d: Path, contexte):
        lecture = original(d, contexte)
        g = lecture.graphe
        for classe in (BO.ActiviteDeclaree, BO.Autorisation, BO.Preuve):
            g.add((fautif, RDF.type, classe))
        g.add((fautif, BO.niveauPreuve, Literal("activite_declaree")))
        return lecture

    etapes = tuple(replace(e, lire=lire_fautif) if e.lire == original else e for e in construction.ETAPES)
    monkeypatch.setattr(construction, "ETAPES", etapes)
    with pytest.raises(ConstructionEchouee) as echec:
        construire(donnees, racine, progression=False)
    message = str(echec.value)
    assert "formes SHACL" in message and "instantané courant est conservé" in message
    assert str(fautif) in message
    _verifier_intact(racine, petit_instantane.resultat.identifiant)


def test_echec_au_chargement_nettoie_le_dossier_de_travail(
    copie: tuple[Path, Path], petit_instantane: PetitInstantane, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Même une panne après la validation (disque, Oxigraph) ne publie rien et ne laisse pas de dossier caché."""
    donnees, racine = copie

    def panne(*_args, **_kwargs):
        raise OSError("disque plein (simulé)")

    monkeypatch.setattr(construction, "charger_store", panne)
    with pytest.raises(OSError, match="disque plein"):
        construire(donnees, racine, progression=False, valider_shacl=False)
    _verifier_intact(racine, petit_instantane.resultat.identifiant)


# --- Ligne rejetée : la construction réussit et le dit ; deux constructions gardent deux instantanés ------


def test_ligne_rejetee_puis_cli_et_nettoyage(
    copie: tuple[Path, Path], petit_instantane: PetitInstantane, capsys: pytest.CaptureFixture[str]
) -> None:
    donnees, racine = copie
    premier = petit_instantane.resultat.identifiant
    palia = donnees / "sae" / "PALIA_2023r.csv"
    numero = len(palia.read_bytes().splitlines()) + 1
    ajouter_lignes(palia, b"PALIA;2023;690000880;CENTRE LEON BERARD")  # ligne tronquée

    deuxieme = construire(donnees, racine, progression=False)
    rapport = json.loads((deuxieme.dossier / "rapport.json").read_text(encoding="utf-8"))
    palia_rapport = next(s for s in rapport["sources"] if s["source"] == "sae-palia-2023")
    assert palia_rapport["rejetees"] == 1 and palia_rapport["lues"] == palia_rapport["gardees"] + 1
    rejet = palia_rapport["rejets"][0]
    assert rejet["fichier"] == "sae/PALIA_2023r.csv" and rejet["ligne"] == numero
    assert "champs au lieu de" in rejet["raison"]
    assert f"rejet sae/PALIA_2023r.csv:{numero}" in (deuxieme.dossier / "rapport.txt").read_text(encoding="utf-8")
    assert os.readlink(racine / inst.LIEN_COURANT) == deuxieme.identifiant
    assert _dossiers(racine) == sorted([premier, deuxieme.identifiant])

    # (e) la ligne de commande : une troisième construction, puis l'ancien instantané est nettoyé.
    code = main(["construire", "--donnees", str(donnees), "--instantane", str(racine), "--sans-index", "--silencieux"])
    sortie = capsys.readouterr()
    assert code == 0, sortie.err
    assert "Instantané publié" in sortie.out
    restants = _dossiers(racine)
    assert len(restants) == 2 and premier not in restants and deuxieme.identifiant in restants
    assert not list(racine.glob(".*"))

    code = main(
        ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--instantane", str(racine), "--format", "csv"]
    )
    sortie = capsys.readouterr()
    assert code == 0, sortie.err
    lignes = list(csv.reader(io.StringIO(sortie.out.strip())))
    attendu = _requete(inst.ouvrir_courant(racine).store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert lignes == [["n"], [attendu.value]] and int(attendu.value) > 10_000


def test_cli_construction_refusee(copie: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    donnees, racine = copie
    (donnees / "geo" / "communes.csv").unlink()
    code = main(["construire", "--donnees", str(donnees), "--instantane", str(racine), "--sans-index", "--silencieux"])
    sortie = capsys.readouterr()
    assert code == 1
    assert "construction refusée" in sortie.err and "communes.csv" in sortie.err
    assert "Traceback" not in sortie.err + sortie.out


def test_cli_sparql_sans_instantane_et_requete_invalide(
    petit_instantane: PetitInstantane, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vide = tmp_path / "vide"
    vide.mkdir()
    assert main(["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--instantane", str(vide)]) == 1
    sortie = capsys.readouterr()
    assert "aucun instantané" in sortie.err and "boussole construire" in sortie.err

    assert main(["sparql", "SELECT WHERE { ?s", "--instantane", str(petit_instantane.racine)]) == 1
    sortie = capsys.readouterr()
    assert "requête SPARQL invalide" in sortie.err
    assert "Traceback" not in sortie.err + sortie.out and sortie.out == ""
