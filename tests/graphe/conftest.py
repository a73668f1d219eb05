"""Extraits réels des sources pour tester les lecteurs sans lire les fichiers entiers.

Pourquoi des extraits réels plutôt que des fichiers inventés : les pièges (codes commune d'outre-mer
``9A101``, FINESS Eurostat sans zéro, points faux de centaines de kilomètres) ne se voient que sur les
vraies lignes.
Chaque extrait garde l'en-tête, les premières lignes et les lignes des sites choisis, octet pour octet
(même encodage, même disposition ``sae/``, ``geo/``, ``geoloc/``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from donnees_petites import PetitInstantane, construire_petit

from graphe.sources import geo
from graphe.sources.base import Contexte
from graphe.sources.sae import identite

DONNEES = Path(__file__).parents[2] / "donnees"

#: Sites choisis pour des faits réels connus (voir chaque test).
SITES: frozenset[str] = frozenset(
    {
        "010000024",  # CH de Fleyriat (Bourg-en-Bresse) : RTH, chimio, douleur, gériatrie, pédiatrie, IRM
        "010000032",  # CH Bugey Sud : partenaire CANCERO_A8 = 730000015 (FINESS hors de l'extrait)
        "010005239",  # CH du Haut Bugey : partenaire CANCERO_A8 = 010780054, l'entité juridique de Fleyriat
        "010000081",  # CH du Pays de Gex : point Eurostat à 114 km de Gex → repli commune
        "010780203",  # Hôpital privé d'Ambérieu : partenaire CANCERO_A8 = 690023411 (un site SAE)
        "690023411",  # le site partenaire d'Ambérieu
        "010005379",  # site SAE absent d'Eurostat → point de la commune
        "620000117",  # commune 62549 Marconne, fusionnée dans Hesdin-la-Forêt
        "690023098",  # commune 69152 Pierre-Bénite, fusionnée dans Oullins-Pierre-Bénite
        "970100012",  # code commune SAE d'outre-mer 9A101 (Les Abymes)
        "970100384",  # Saint-Barthélemy (commune sans point), point Eurostat invérifiable
        "970107587",  # Saint-Martin, absent d'Eurostat, commune sans point → non géolocalisé
        "290000207",  # dans CANCERO 2022 mais absent de la SAE ID 2023
        "2A0000022",  # Corse, dans DOULEUR 2022 mais absent de la SAE ID 2023
        "850000209",  # DOULEUR : STRUCTURE vide
        "910000272",  # PALIA : PALIA_A1 vide
        "770000446",  # IMAGES : TOMO avec NB vide
        "680004546",  # Hôpital Émile Muller (Mulhouse) : point Eurostat à 767 km
    }
)
FICHIERS_SAE = (
    "FILTRE_2023r.csv",
    "CANCERO_2023r.csv",
    "CANCERO_2022r.csv",
    "PALIA_2023r.csv",
    "DOULEUR_2022a.csv",
    "MCOGER_2023r.csv",
    "MCOPED_2023r.csv",
    "IMAGES_2023r.csv",
)


def copier_extrait(
    racine: Path, relatif: str, premieres: int = 5, garder: Callable[[bytes], bool] | None = None
) -> Path:
    """Copie l'en-tête, les ``premieres`` lignes et les lignes que ``garder`` retient, octets inchangés."""
    lignes = (DONNEES / relatif).read_bytes().splitlines(keepends=True)
    choisies = [lignes[0], *lignes[1 : premieres + 1]]
    if garder is not None:
        choisies += [ligne for ligne in lignes[premieres + 1 :] if garder(ligne)]
    cible = racine / relatif
    cible.parent.mkdir(parents=True, exist_ok=True)
    cible.write_bytes(b"".join(choisies))
    return cible


def _champ(ligne: bytes, rang: int, sep: bytes = b";") -> str:
    champs = ligne.split(sep)
    return champs[rang].decode("latin-1").strip() if len(champs) > rang else ""


def ajouter_lignes(chemin: Path, *lignes: bytes) -> None:
    """Ajoute des lignes brutes à un extrait (cas d'erreur : ligne tronquée, doublon, mauvais encodage)."""
    brut = chemin.read_bytes()
    if not brut.endswith(b"\n"):
        brut += b"\n"
    chemin.write_bytes(brut + b"".join(ligne.rstrip(b"\r\n") + b"\n" for ligne in lignes))


def ligne_de(chemin: Path, debut: bytes) -> bytes:
    """La première ligne de l'extrait qui commence par ``debut``."""
    return next(ligne for ligne in chemin.read_bytes().splitlines() if ligne.startswith(debut))


@pytest.fixture
def donnees(tmp_path: Path) -> Path:
    """Un dossier ``donnees/`` d'extraits réels autour de ``SITES``."""
    racine = tmp_path / "donnees"
    for relatif in ("geo/regions.csv", "geo/departements.csv"):
        (racine / relatif).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DONNEES / relatif, racine / relatif)
    ident = copier_extrait(racine, "sae/ID_2023r.csv", 3, lambda ligne: _champ(ligne, 2) in SITES)
    codes = {identite.code_insee_sae(_champ(ligne, 20)) for ligne in ident.read_bytes().splitlines()[1:]}
    codes |= {identite.COMMUNES_FUSIONNEES.get(c, c) for c in codes}
    codes |= {"14581", "01050"}  # Aurseulles : sans point ; Boissey : deux codes postaux
    copier_extrait(racine, "geo/communes.csv", 5, lambda ligne: _champ(ligne, 0, b",") in codes)
    for nom in FICHIERS_SAE:
        copier_extrait(racine, f"sae/{nom}", 0, lambda ligne: _champ(ligne, 2) in SITES)
    copier_extrait(
        racine,
        "geoloc/eurostat_healthcare_services_FR.csv",
        5,
        lambda ligne: _champ(ligne, 0, b",").zfill(9) in SITES,
    )
    return racine


@pytest.fixture
def contexte(donnees: Path) -> Contexte:
    """Le contexte après la géographie et la SAE ID (ce que la construction lit avant le reste)."""
    ctx = Contexte(date(2026, 4, 1))
    for lecteur in (geo.lire_regions, geo.lire_departements, geo.lire_communes, identite.lire):
        lecture = lecteur(donnees, ctx)
        assert lecture.rapport.equilibre()
    return ctx


@pytest.fixture
def ajouter() -> Callable[..., None]:
    """``ajouter(chemin, *lignes)`` : voir ``ajouter_lignes``."""
    return ajouter_lignes


@pytest.fixture
def ligne() -> Callable[[Path, bytes], bytes]:
    """``ligne(chemin, debut)`` : voir ``ligne_de``."""
    return ligne_de


def verifier_preuves_sae(graphe) -> int:
    """Contrôle les règles des faits SAE ; rend le nombre de preuves vues.

    Une activité ou un équipement déclaré n'est jamais une autorisation ; chaque preuve porte son site, son
    besoin connu, un libellé français, son niveau et son année d'enquête ; une valeur brute n'est jamais
    une preuve.
    """
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS, XSD

    from ontologie.besoins import BESOINS
    from ontologie.espaces import BO, CONCEPT

    besoins = {CONCEPT[f"besoin/{b}"] for b in BESOINS}
    vues = 0
    for classe in (BO.ActiviteDeclaree, BO.EquipementDeclare):
        for noeud in graphe.subjects(RDF.type, classe):
            vues += 1
            assert (noeud, RDF.type, BO.Preuve) in graphe  # super-classe matérialisée : ?x a bo:Preuve la trouve
            assert (noeud, RDF.type, BO.Autorisation) not in graphe
            assert (noeud, BO.niveauPreuve, Literal("activite_declaree")) in graphe
            assert graphe.value(noeud, BO.etablissement) is not None
            assert set(graphe.objects(noeud, BO.besoin)) <= besoins and graphe.value(noeud, BO.besoin)
            assert graphe.value(noeud, RDFS.label).language == "fr"
            assert graphe.value(noeud, BO.anneeEnquete).datatype == XSD.gYear
    for noeud in graphe.subjects(RDF.type, BO.ValeurEnquete):
        assert graphe.value(noeud, BO.niveauPreuve) is None and graphe.value(noeud, BO.besoin) is None
    assert not list(graphe.subjects(RDF.type, BO.Autorisation))
    return vues


@pytest.fixture
def verifier_preuves() -> Callable[..., int]:
    return verifier_preuves_sae


# --- Un petit instantané complet (toutes les sources, cinq départements) --------------------------------


@pytest.fixture(scope="session")
def petit_instantane(tmp_path_factory: pytest.TempPathFactory) -> PetitInstantane:
    """Une seule construction complète (≈ 290 sites) pour test_construction et test_projection.

    Portée « session » : la construction coûte quelques secondes, chaque module la lit sans la modifier
    (les tests qui construisent à nouveau travaillent sur une copie de ``racine``).
    """
    return construire_petit(tmp_path_factory.mktemp("petit"))


@pytest.fixture
def copie(petit_instantane: PetitInstantane, tmp_path: Path) -> tuple[Path, Path]:
    """(données, racine) copiées : un test qui abîme ses données ou reconstruit ne touche pas à l'instantané
    partagé."""
    donnees = tmp_path / "donnees"
    shutil.copytree(petit_instantane.donnees, donnees)
    racine = tmp_path / "instantane"
    shutil.copytree(petit_instantane.racine, racine, symlinks=True)
    return donnees, racine
