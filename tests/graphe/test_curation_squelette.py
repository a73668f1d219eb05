"""Le squelette des listes curées (``Liste.lire``) sur une liste et un fichier écrits ici.

Pourquoi à part de test_curation.py : celui-ci lit les vraies listes ; ici on vérifie le squelette seul — une
ligne sans nom est rejetée avec la raison de la table, la cellule clé arrive débarrassée de ses espaces, chaque
ligne gardée compte, « non précisé » n'est pas un fait, un nom non apparié devient une organisation sans FINESS.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from graphe.appariement import Apparieur
from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.curation.squelette import Lecteur, Liste
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

vus: list[tuple[int, str]] = []


def _ecrire_essai(lc: Lecteur, numero: int, ligne: dict[str, str], nom: str) -> None:
    vus.append((numero, nom))
    sujet = espaces.organisation("essai", nom or ligne["ville"])
    lc.texte(sujet, SCHEMA.description, ligne.get("note"))
    lc.provenance(sujet, numero, ligne)
    lc.membre(nom, ligne["ville"] or None, numero, 1, sujet)


ESSAI = Liste("essai_liste.csv", "Liste d'essai", ("nom", "ville"), "ligne sans nom ni ville", _ecrire_essai)


def test_squelette(tmp_path: Path) -> None:
    vus.clear()
    (tmp_path / "curation").mkdir()
    (tmp_path / "curation" / "essai_liste.csv").write_text(
        "nom,ville,note,source\n"
        "  Clinique Imaginaire  ,Nulle-Part,non précisé,https://a.fr/x | https://b.fr\n"
        ",,texte,https://a.fr\n"
        ",Lyon,,\n",
        encoding="utf-8",
    )
    contexte = Contexte(date(2026, 4, 1))
    lecture = ESSAI.lire(tmp_path, contexte, Apparieur(contexte))
    r, g = lecture.rapport, lecture.graphe
    assert lecture.description.nom == "curation-essai-liste" and r.fichier == "curation/essai_liste.csv"
    assert r.equilibre() and (r.lues, r.gardees) == (3, 2)
    assert [(x.ligne, x.raison) for x in r.rejets] == [(3, "ligne sans nom ni ville")]
    assert vus == [(2, "Clinique Imaginaire"), (4, "")]
    sujet = espaces.organisation("essai", "Clinique Imaginaire")
    assert (sujet, SCHEMA.description, None) not in g  # « non précisé » n'est pas un fait
    assert set(g.objects(sujet, DCTERMS.source)) == {URIRef("https://a.fr/x"), URIRef("https://b.fr")}
    assert (sujet, BO.ligneSource, Literal(2)) in g
    assert len(set(g.subjects(RDF.type, BO.OrganisationSansFiness))) == 2
    assert r.non_apparies == ["ligne 2 : Clinique Imaginaire (Nulle-Part)", "ligne 4 : Établissement non nommé (Lyon)"]


def test_fichier_absent(tmp_path: Path) -> None:
    with pytest.raises(SourceIllisible):
        ESSAI.lire(tmp_path, Contexte(date(2026, 4, 1)))
