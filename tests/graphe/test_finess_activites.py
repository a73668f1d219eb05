"""Le flux FINESS « activités » : autorisations cancer de l'échantillon réel et entrées cassées."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from graphe.sources import finess_activites
from graphe.sources.base import Contexte, SourceIllisible
from ontologie import espaces
from ontologie.espaces import BO

DONNEES = Path(__file__).resolve().parents[2] / "donnees"
EXEMPLE = "exemple-finess-activites-journalier-20260401.json"


def _contexte() -> Contexte:
    return Contexte(date_construction=date(2026, 4, 2))


def _dossier(tmp_path: Path, document: dict | None = None, texte: str | None = None) -> Path:
    racine = tmp_path / "donnees"
    (racine / "finess").mkdir(parents=True)
    shutil.copytree(DONNEES / "nomenclatures", racine / "nomenclatures")
    cible = racine / "finess" / EXEMPLE
    if texte is not None:
        cible.write_text(texte, encoding="utf-8")
    elif document is not None:
        cible.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return racine


def test_echantillon_reel_sept_modalites_actives_au_site_010780195() -> None:
    lecture = finess_activites.lire(DONNEES, _contexte())
    g, rapport = lecture.graphe, lecture.rapport
    autorisations = set(g.subjects(RDF.type, BO.Autorisation))
    assert len(autorisations) == 7
    modalites = {str(g.value(a, BO.modalite)).rsplit("/", 1)[1] for a in autorisations}
    assert modalites == {"67", "69", "90", "91", "92", "94", "95"}
    for a in autorisations:
        assert g.value(a, BO.titulaire) == espaces.entite_juridique("010000156")
        assert set(g.objects(a, BO.etablissement)) == {espaces.etablissement("010780195")}
        assert g.value(a, BO.etat) == Literal("active")
        assert g.value(a, BO.niveauPreuve) == Literal("autorisation")
        assert (a, RDF.type, BO.Preuve) in g  # super-classe matérialisée (pas d'inférence dans Oxigraph)
        assert g.value(a, BO.regime) == Literal("ancien")
        assert g.value(a, BO.besoin) is not None
    chirurgie = espaces.preuve("autorisation", "43285")
    assert g.value(chirurgie, BO.numeroArhgos) == Literal("84-82-48769")
    assert g.value(chirurgie, BO.dateDebut) == Literal("2009-06-10", datatype=XSD.date)
    sein = espaces.preuve("autorisation", "43305")
    assert g.value(sein, BO.localisation) == espaces.concept("localisation", "sein")
    assert str(g.value(sein, RDFS.label)).startswith(
        "Autorisation de traitement du cancer : chirurgie des cancers – sein (ARHGOS 84-82-49215), active"
    )
    # 7 entrées d'entité + 7 entrées de site (les mêmes autorisations) ; rien de perdu
    assert (rapport.lues, rapport.gardees, rapport.rejetees) == (14, 14, 0)
    assert rapport.equilibre()
    assert any("hors cancer" in a.raison for a in rapport.avertissements)
    assert str(lecture.description.date_donnees) == "2026-04-01"
    assert not any(str(o).startswith(("1903", "1904")) for o in g.objects())


def _casser(document: dict) -> dict:
    doc = copy.deepcopy(document)
    pm = next(p for p in doc["pmej"] if p["numFiness"] == "010000156")
    cancer = [
        a
        for a in pm["activitesAutorisees"]
        if a["nature"]["codeNature"] == "AMF"
        and a["nature"]["caracteristiquesSpecifiques"]["typeActiviteAMF"]["activiteAMF"] == "18"
    ]
    cancer[0]["caracteristiquesGeneriques"]["activiteAeId"] = None
    cancer[1]["nature"] = {"codeNature": "AMF", "caracteristiquesSpecifiques": {}}
    cancer[2]["caracteristiquesGeneriques"]["dateDebutActiviteAutorisee"] = "1903-03-03"
    faux = copy.deepcopy(pm)
    faux["numFiness"] = "01ABC"
    faux["activitesAutorisees"] = [copy.deepcopy(cancer[3])]
    faux["ege"] = []
    doc["pmej"].append(faux)
    return doc


def test_entrees_cassees_rejetees_avec_leur_place(tmp_path: Path) -> None:
    document = json.loads((DONNEES / "finess" / EXEMPLE).read_bytes())
    racine = _dossier(tmp_path, _casser(document))
    lecture = finess_activites.lire(racine, _contexte())
    rapport = lecture.rapport
    raisons = [r.raison for r in rapport.rejets]
    assert any("sans activiteAeId" in r and "pmej 010000156" in r for r in raisons)
    assert any("nature sans codes" in r and "pmej 010000156" in r for r in raisons)
    assert any("numFiness d'entité juridique invalide" in r and "01ABC" in r for r in raisons)
    assert all(r.ligne > 1 for r in rapport.rejets)  # numéro de ligne du JSON
    assert any("fictive 1903-03-03" in a.raison for a in rapport.avertissements)
    assert rapport.equilibre()
    # l'autorisation sans identifiant est perdue au niveau entité, mais son site l'a encore (reprise)
    assert len(set(lecture.graphe.subjects(RDF.type, BO.Autorisation))) >= 6


def test_json_tronque_illisible(tmp_path: Path) -> None:
    texte = (DONNEES / "finess" / EXEMPLE).read_text(encoding="utf-8")
    racine = _dossier(tmp_path, texte=texte[: len(texte) // 2])
    with pytest.raises(SourceIllisible):
        finess_activites.lire(racine, _contexte())


def test_sans_extrait_source_optionnelle(tmp_path: Path) -> None:
    racine = _dossier(tmp_path)
    lecture = finess_activites.lire(racine, _contexte())
    assert len(lecture.graphe) == 0
    assert lecture.rapport.lues == 0 and lecture.rapport.avertissements
