"""Le catalogue ``requetes/*.rq`` sur le graphe national : chaque requête tourne par la ligne de commande
(``boussole sparql --fichier … --format csv``) et rend ses colonnes ; les trois requêtes exigées sont recalculées
indépendamment — en Python droit depuis les CSV sources, et en parcourant les triplets de la base sans SPARQL.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
import sources_brutes  # tests/analyses est dans sys.path (rootdir de ses conftest)

from api.cli import main
from api.sparql.catalogue import DOSSIER, catalogue
from graphe.geodesie import distance_km
from graphe.instantane import ouvrir_courant
from ontologie import espaces
from ontologie.espaces import BO, ORG, SCHEMA

#: Les colonnes exigées par le ticket, dans l'ordre.
EXIGEES = {
    "sites_par_besoin_et_region": ["region", "besoin", "niveau_de_preuve", "nombre"],
    "radiotherapie_par_region": ["region", "sites", "machines"],
    "population_eloignee": ["departement", "besoin", "population_au_dela_de_50_km"],
}
RADIOTHERAPIE = ox.NamedNode(str(espaces.concept("besoin", "radiotherapie")))


class Resultats:
    """Chaque requête du catalogue lancée au plus une fois par la ligne de commande, lue en CSV."""

    def __init__(self, racine: Path) -> None:
        self.racine = racine
        self.lus: dict[str, list[dict[str, str]]] = {}

    def __getitem__(self, nom: str) -> list[dict[str, str]]:
        if nom not in self.lus:
            self.lus[nom] = self._lancer(nom)
        return self.lus[nom]

    def _lancer(self, nom: str) -> list[dict[str, str]]:
        tampon = io.BytesIO()
        sortie = io.TextIOWrapper(tampon, encoding="utf-8")
        fichier = str(DOSSIER / f"{nom}.rq")
        with contextlib.redirect_stdout(sortie):
            code = main(["sparql", "--fichier", fichier, "--format", "csv", "--instantane", str(self.racine)])
        assert code == 0, nom
        sortie.flush()
        lecteur = csv.DictReader(io.StringIO(tampon.getvalue().decode("utf-8")))
        lignes = [ligne for ligne in lecteur if any(ligne.values())]
        requete = next(r for r in catalogue() if r.identifiant == nom)
        assert lecteur.fieldnames == requete.colonnes, nom
        return lignes


@pytest.fixture(scope="module")
def resultats(racine_nationale: Path) -> Resultats:
    return Resultats(racine_nationale)


@pytest.fixture(scope="module")
def store(racine_nationale: Path) -> ox.Store:
    return ouvrir_courant(racine_nationale).store


def test_le_catalogue_a_ses_requetes_exigees_et_leurs_colonnes() -> None:
    noms = {r.identifiant: r for r in catalogue()}
    for nom, colonnes in EXIGEES.items():
        assert noms[nom].colonnes == colonnes
    # chaque fichier commence par un commentaire français qui dit ce qu'il répond et ses précautions
    for r in catalogue():
        assert r.texte.startswith("# ") and "Répond à" in r.description and "Précaution" in r.description, r.fichier
    assert len(noms) >= 8


def test_chaque_requete_rend_ses_colonnes_et_des_lignes(resultats: Resultats) -> None:
    for requete in catalogue():
        assert resultats[requete.identifiant], f"{requete.identifiant} ne rend rien sur le graphe national"


def _besoin(concept: str) -> str:
    return concept.rsplit("/", 1)[-1]


def test_sites_par_besoin_et_region_egale_le_parcours_des_triplets(resultats, store: ox.Store) -> None:
    """Le même compte, refait en parcourant les triplets (quads_for_pattern) sans aucune requête SPARQL."""

    def objets(s: ox.NamedNode, p: str) -> list:
        return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(str(p)), None)]

    etablissements = {
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(str(BO.Etablissement))
        )
    }
    region_de: dict = {}
    for e in etablissements:
        for c in objets(e, BO.commune):
            for r in objets(c, BO.region):
                for code in objets(r, BO.code):
                    region_de[e] = code.value
    attendu: dict[tuple[str, str, str], set] = defaultdict(set)
    for q in store.quads_for_pattern(None, ox.NamedNode(str(BO.besoin)), None):
        p = q.subject
        if any(o.value == "inactive" for o in objets(p, BO.etat)) or objets(p, BO.contreditePar):
            continue
        for niveau in objets(p, BO.niveauPreuve):
            for site in objets(p, BO.etablissement) + objets(p, ORG.member):
                if site in region_de:
                    attendu[(region_de[site], _besoin(q.object.value), niveau.value)].add(site)
    rendu = {
        (ligne["region"], ligne["besoin"], ligne["niveau_de_preuve"]): int(ligne["nombre"])
        for ligne in resultats["sites_par_besoin_et_region"]
    }
    assert rendu == {cle: len(sites) for cle, sites in attendu.items()}


def test_sites_par_besoin_et_region_egale_les_csv_sae(resultats) -> None:
    """Radiothérapie et chimiothérapie déclarées, par région : recomptées depuis FILTRE et CANCERO 2022/2023."""
    regions = sources_brutes.regions_des_sites()
    for besoin in ("radiotherapie", "chimiotherapie"):
        attendu = Counter(regions[s] for s in sources_brutes.sites_declarant(besoin))
        rendu = {
            ligne["region"]: int(ligne["nombre"])
            for ligne in resultats["sites_par_besoin_et_region"]
            if ligne["besoin"] == besoin and ligne["niveau_de_preuve"] == "activite_declaree"
        }
        assert rendu == dict(attendu), besoin


def _sites_autorises_radiotherapie(store: ox.Store) -> set[str]:
    """Les sites d'exercice d'une autorisation active de radiothérapie (l'extrait FINESS est en JSON)."""
    sites = set()
    for q in store.quads_for_pattern(None, ox.NamedNode(str(BO.besoin)), RADIOTHERAPIE):
        etats = [x.object.value for x in store.quads_for_pattern(q.subject, ox.NamedNode(str(BO.etat)), None)]
        if "inactive" in etats or not etats:
            continue
        for x in store.quads_for_pattern(q.subject, ox.NamedNode(str(BO.etablissement)), None):
            sites.add(x.object.value.rsplit("/", 1)[-1])
    return sites


def test_radiotherapie_par_region_egale_les_csv_sae(resultats, store: ox.Store) -> None:
    regions = sources_brutes.regions_des_sites()
    sites = sources_brutes.sites_declarant("radiotherapie") | (_sites_autorises_radiotherapie(store) & set(regions))
    appareils = sources_brutes.appareils_radiotherapie()
    attendu: dict[str, tuple[int, int]] = {}
    for s in sites:
        n, m = attendu.get(regions[s], (0, 0))
        attendu[regions[s]] = (n + 1, m + appareils.get(s, 0))
    rendu = {
        ligne["region"]: (int(ligne["sites"]), int(ligne["machines"]))
        for ligne in resultats["radiotherapie_par_region"]
    }
    assert rendu == attendu
    assert sum(n for n, _ in rendu.values()) > 150 and sum(m for _, m in rendu.values()) > 300


#: Départements recalculés (le calcul point par point est lent) : des plus touchés, des plus denses, l'outre-mer.
DEPARTEMENTS_VERIFIES = ("16", "36", "48", "2A", "29", "75", "13", "973", "976", "971")


def _points_sites(store: ox.Store, finess: set[str]) -> list[tuple[float, float]]:
    points = []
    for f in finess:
        e = ox.NamedNode(str(espaces.etablissement(f)))
        lat = [q.object.value for q in store.quads_for_pattern(e, ox.NamedNode(str(SCHEMA.latitude)), None)]
        lon = [q.object.value for q in store.quads_for_pattern(e, ox.NamedNode(str(SCHEMA.longitude)), None)]
        if lat and lon:
            points.append((float(lat[0]), float(lon[0])))
    return points


def test_population_eloignee_egale_le_calcul_point_par_point(resultats, store: ox.Store) -> None:
    """Radiothérapie : sites recomptés depuis les CSV, distance ``distance_km`` commune par commune.

    Le graphe arrondit la distance à 0,1 km : une commune à moins de 50 m du seuil peut tomber d'un côté ou de
    l'autre, d'où un encadrement (seuil − 0,05 km, seuil + 0,05 km) plutôt qu'une égalité.
    """
    regions = sources_brutes.regions_des_sites()
    sites = sources_brutes.sites_declarant("radiotherapie") | (_sites_autorises_radiotherapie(store) & set(regions))
    points = _points_sites(store, sites)
    assert len(points) > 150
    rendu = {
        ligne["departement"]: int(ligne["population_au_dela_de_50_km"])
        for ligne in resultats["population_eloignee"]
        if ligne["besoin"] == "radiotherapie"
    }
    for dep in DEPARTEMENTS_VERIFIES:
        proches = [
            (c, min(distance_km(c.lat, c.lon, la, lo) for la, lo in points))
            for c in sources_brutes.communes()
            if c.departement == dep
        ]
        assert proches, dep
        au_moins = sum(c.population for c, km in proches if km > 50.05)
        au_plus = sum(c.population for c, km in proches if km > 49.95)
        assert au_moins <= rendu[dep] <= au_plus, dep
    # toutes les lignes : un département, un besoin de l'évaluation, une population entière
    besoins = {ligne["besoin"] for ligne in resultats["population_eloignee"]}
    assert besoins == {
        "radiotherapie",
        "chimiotherapie",
        "chirurgie",
        "palliatif",
        "douleur",
        "geriatrie",
        "tep",
        "cancer_rare",
    }
    assert len({ligne["departement"] for ligne in resultats["population_eloignee"]}) >= 100


def test_sparql_fichier_refuse_deux_requetes_ou_un_fichier_absent(
    racine_nationale: Path, tmp_path: Path, capsys
) -> None:
    fichier = str(DOSSIER / "radiotherapie_par_region.rq")
    assert main(["sparql", "ASK {}", "--fichier", fichier, "--instantane", str(racine_nationale)]) == 1
    assert "pas les deux" in capsys.readouterr().err
    assert main(["sparql", "--instantane", str(racine_nationale)]) == 1
    absent = tmp_path / "absent.rq"
    assert main(["sparql", "--fichier", str(absent), "--instantane", str(racine_nationale)]) == 1
    assert "illisible" in capsys.readouterr().err
