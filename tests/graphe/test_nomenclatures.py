"""Lecteur des nomenclatures, sur les vrais fichiers embarqués et sur des copies abîmées."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, SKOS

from graphe.sources.base import Contexte, Lecture, SourceIllisible
from graphe.sources.nomenclatures import (
    FICHIER_AMM,
    FICHIER_CATEGORIES,
    FICHIER_R275,
    FICHIER_STATUTS,
    libelles_modalites,
    lire,
)
from ontologie.espaces import concept, schema_concepts

DONNEES = Path(__file__).resolve().parents[2] / "donnees"


def _contexte() -> Contexte:
    return Contexte(date_construction=date(2026, 4, 1))


@pytest.fixture(scope="module")
def lecture() -> Lecture:
    return lire(DONNEES, _contexte())


def _codes(g: Graph, schema: str) -> set[str]:
    return {str(c).rsplit("/", 1)[-1] for c in g.subjects(SKOS.inScheme, schema_concepts(schema))}


def _label(g: Graph, schema: str, code: str) -> str:
    return str(g.value(concept(schema, code), SKOS.prefLabel))


def test_les_45_lignes_qa018_donnent_modalites_mentions_et_pratiques(lecture: Lecture) -> None:
    g = lecture.graphe
    assert _codes(g, "modalite-2022") == {"MO008", "MO009", "MO010"}
    assert _codes(g, "mention-2022") == {f"ME0{n}" for n in range(25, 45)}
    assert _codes(g, "pts-2022") == {f"PTS0{n}" for n in range(1, 9)}
    assert not g.value(concept("pts-2022", "PTS00"), RDF.type)  # « pas de pratique » n'est pas un concept


def test_une_mention_a_son_libelle_sa_mention_courte_et_sa_modalite(lecture: Lecture) -> None:
    g = lecture.graphe
    a1 = concept("mention-2022", "ME025")
    assert _label(g, "mention-2022", "ME025") == "A1 - Chirurgie oncologique viscérale et digestive"
    assert g.value(a1, SKOS.notation) == Literal("A1")
    assert Literal("Chirurgie oncologique viscérale et digestive", lang="fr") in set(
        g.objects(a1, SKOS.altLabel)
    )
    assert (a1, SKOS.broader, concept("modalite-2022", "MO008")) in g
    assert (a1, SKOS.related, concept("besoin", "chirurgie")) in g
    assert (a1, SKOS.related, concept("localisation", "digestif")) in g
    # La pratique « pancréas » est sous la chirurgie digestive complexe (B1).
    assert (concept("pts-2022", "PTS05"), SKOS.broader, concept("mention-2022", "ME032")) in g


def test_la_curietherapie_et_la_pediatrie_des_mentions(lecture: Lecture) -> None:
    g = lecture.graphe
    b = concept("mention-2022", "ME039")
    assert g.value(b, SKOS.notation) == Literal("B")
    assert set(g.objects(b, SKOS.related)) == {concept("besoin", "curietherapie")}
    c2 = set(g.objects(concept("mention-2022", "ME041"), SKOS.related))
    assert c2 == {concept("besoin", "curietherapie"), concept("besoin", "oncopediatrie")}
    assert (concept("modalite-2022", "MO009"), SKOS.related, concept("besoin", "radiotherapie")) in g


def test_la_modalite_68_est_la_radiotherapie_externe(lecture: Lecture) -> None:
    g = lecture.graphe
    assert _label(g, "modalite-r275", "68") == "Radiothérapie externe"
    assert (concept("modalite-r275", "68"), SKOS.related, concept("besoin", "radiotherapie")) in g
    assert (concept("modalite-r275", "91"), SKOS.related, concept("localisation", "sein")) in g
    assert len(_codes(g, "modalite-r275")) == 57
    # Une modalité sans besoin dans la table (ex. pédiatrique) n'en reçoit pas d'inventé.
    assert not list(g.objects(concept("modalite-r275", "10"), SKOS.related))


def test_categories_et_statuts_finess_avec_leurs_agregats(lecture: Lecture) -> None:
    g = lecture.graphe
    clcc = concept("categorie-etablissement", "131")
    assert _label(g, "categorie-etablissement", "131") == "Centre de Lutte Contre Cancer"
    # 131 → agrégat de niveau 3 → 2 → 1, chacun un concept du même thésaurus avec un libellé.
    niveau, courant = 0, clcc
    while (parent := g.value(courant, SKOS.broader)) is not None:
        assert g.value(parent, SKOS.prefLabel) is not None
        niveau, courant = niveau + 1, parent
    assert niveau == 3
    assert (courant, SKOS.topConceptOf, schema_concepts("categorie-etablissement")) in g
    assert _label(g, "statut-juridique", "13").strip()
    # Une catégorie fermée reste lisible (une ancienne SAE peut la citer) mais est marquée comme telle.
    assert g.value(concept("categorie-etablissement", "001"), OWL.deprecated) == Literal(True)


def test_le_rapport_est_equilibre_et_complet(lecture: Lecture) -> None:
    r = lecture.rapport
    assert r.equilibre()
    assert r.lues == 57 + 45 + 293 + 69  # R275, lignes QA018, catégories, statuts
    assert r.gardees == r.lues and r.rejetees == 0
    assert lecture.description.nom == "nomenclatures"
    assert lecture.description.date_donnees == date(2023, 2, 2)  # le flux FINESS le plus récent
    assert "164 lignes d'autres activités" in (lecture.description.note or "")


def test_chaque_concept_a_un_libelle_francais_unique(lecture: Lecture) -> None:
    g = lecture.graphe
    for c in g.subjects(RDF.type, SKOS.Concept):
        libelles = list(g.objects(c, SKOS.prefLabel))
        assert len(libelles) == 1 and libelles[0].language == "fr", c


def test_libelles_modalites() -> None:
    libelles = libelles_modalites(DONNEES)
    assert libelles["68"] == "Radiothérapie externe"
    assert libelles["MO010"] == "Traitements médicamenteux systémiques du cancer"
    assert libelles["ME042"].startswith("A - TMSC")


# --- Copies abîmées ------------------------------------------------------------------------------------


@pytest.fixture()
def copie(tmp_path: Path) -> Path:
    shutil.copytree(DONNEES / "nomenclatures", tmp_path / "nomenclatures")
    return tmp_path


def _ajouter_lignes(fichier: Path, lignes: list[str], encodage: str = "utf-8") -> None:
    brut = fichier.read_bytes()
    fin = b"\r\n" if b"\r\n" in brut else b"\n"
    if not brut.endswith(fin):
        brut += fin
    fichier.write_bytes(brut + fin.join(ligne.encode(encodage) for ligne in lignes) + fin)


def test_une_ligne_r275_mal_formee_est_rejetee_avec_fichier_et_ligne(copie: Path) -> None:
    fichier = copie / "nomenclatures" / FICHIER_R275
    nb_lignes = len(fichier.read_bytes().splitlines())
    _ajouter_lignes(fichier, ["6 8,Radiothérapie bis", "67,Autre libellé pour un code connu", "12,"])
    lecture = lire(copie, _contexte())
    r = lecture.rapport
    assert r.equilibre() and r.rejetees == 3 and r.lues == 464 + 3
    lignes = {rejet.ligne: rejet for rejet in r.rejets}
    assert set(lignes) == {nb_lignes + 1, nb_lignes + 2, nb_lignes + 3}
    assert all(rejet.fichier == f"nomenclatures/{FICHIER_R275}" for rejet in r.rejets)
    assert "'6 8' mal formé" in lignes[nb_lignes + 1].raison
    assert "déjà lu avec un autre libellé" in lignes[nb_lignes + 2].raison
    assert "sans libellé" in lignes[nb_lignes + 3].raison
    # La première lecture l'emporte : le code 67 garde son libellé officiel.
    assert _label(lecture.graphe, "modalite-r275", "67").startswith("Chimiothérapie")


def test_une_ligne_qa018_mal_formee_est_rejetee(copie: Path) -> None:
    fichier = copie / "nomenclatures" / FICHIER_AMM
    nb_lignes = len(fichier.read_bytes().splitlines())
    _ajouter_lignes(
        fichier,
        [
            "QA018;Traitement du cancer;MO8;Chirurgie;ME025;A1 - X;PTS00;Pas de PTS;DE000;Pas de déclaration",
            "QA018;Traitement du cancer;MO009;Radiothérapie externe, curiethérapie;ME025;"
            "A1 - Chirurgie oncologique viscérale et digestive;PTS00;Pas de PTS;DE000;Pas de déclaration",
            "QA018;Traitement du cancer;MO010;TMSC;ME042",  # ligne tronquée
            "QA001;Médecine;MO000;Pas de modalité;ME000;Pas de mention;PTS00;Pas de PTS;DE015;Adultes",
        ],
    )
    r = lire(copie, _contexte()).rapport
    assert r.equilibre()
    assert r.lues == 464 + 3  # la ligne QA001 est hors sujet : ni lue ni rejetée
    rejets = {
        rejet.ligne: rejet.raison for rejet in r.rejets if rejet.fichier == f"nomenclatures/{FICHIER_AMM}"
    }
    assert "code de modalité 'MO8' mal formé" in rejets[nb_lignes + 1]
    assert "ME025 rattachée à MO009 alors qu'elle l'était à MO008" in rejets[nb_lignes + 2]
    assert "5 champs au lieu de 10" in rejets[nb_lignes + 3]
    assert len(rejets) == 3


def test_une_entree_xml_sans_code_valide_est_rejetee_avec_sa_ligne(copie: Path) -> None:
    fichier = copie / "nomenclatures" / FICHIER_STATUTS
    xml = gzip.decompress(fichier.read_bytes()).decode("utf-8")
    xml = xml.replace("<code>02</code>", "<code>2</code>", 1)
    ligne_attendue = xml[: xml.index("<code>2</code>")].count("\n")  # ligne de l'élément parent
    fichier.write_bytes(gzip.compress(xml.encode("utf-8")))
    lecture = lire(copie, _contexte())
    r = lecture.rapport
    assert r.equilibre() and r.rejetees == 1
    rejet = r.rejets[0]
    assert rejet.fichier == f"nomenclatures/{FICHIER_STATUTS}"
    assert rejet.ligne == ligne_attendue
    assert "'2' mal formé" in rejet.raison
    assert "statut-juridique/02" not in {str(c) for c in lecture.graphe.subjects(RDF.type, SKOS.Concept)}


@pytest.mark.parametrize("fichier", [FICHIER_R275, FICHIER_AMM, FICHIER_CATEGORIES])
def test_un_fichier_absent_fait_echouer_la_lecture(copie: Path, fichier: str) -> None:
    (copie / "nomenclatures" / fichier).unlink()
    with pytest.raises(SourceIllisible, match="introuvable"):
        lire(copie, _contexte())


def test_un_gzip_corrompu_fait_echouer_la_lecture(copie: Path) -> None:
    (copie / "nomenclatures" / FICHIER_CATEGORIES).write_bytes(b"pas du gzip")
    with pytest.raises(SourceIllisible, match="gzip"):
        lire(copie, _contexte())
