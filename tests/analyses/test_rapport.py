"""``boussole analyser`` sur le graphe national : le rapport France entière et celui d'une région.

Les cartes sont vérifiées dans leurs fichiers : le SVG a un tracé par département attendu (96 en métropole, 4 en
Bretagne), une légende, une barre d'échelle et la date des données ; le PNG est une vraie image, pas un aplat.
Les CSV du rapport sont recalculés depuis les CSV sources (tests/analyses/sources_brutes.py).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
import sources_brutes
from matplotlib.image import imread

from api.analyses import partenariats
from api.cli import main
from graphe.instantane import ouvrir_courant

BRETAGNE = "53"
DEPARTEMENTS_BRETAGNE = {"22", "29", "35", "56"}


@pytest.fixture(scope="module")
def rapports(racine_nationale: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    dossiers = {}
    for nom, options in (("national", []), ("bretagne", ["--region", BRETAGNE])):
        sortie = tmp_path_factory.mktemp(nom)
        code = main(
            ["analyser", "--instantane", str(racine_nationale), "--sortie", str(sortie), "--silencieux", *options]
        )
        assert code == 0
        dossiers[nom] = sortie
    return dossiers


def _lire_csv(chemin: Path) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _departements_du_svg(chemin: Path) -> set[str]:
    return set(re.findall(r'id="departement-([0-9AB]{2,3})"', chemin.read_text(encoding="utf-8")))


def test_rapport_national_page_hors_ligne(rapports: dict[str, Path], racine_nationale: Path) -> None:
    page = (rapports["national"] / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "France entière" in page and "Constats" in page
    # hors ligne : aucune ressource chargée d'ailleurs (les liens vers les fichiers du rapport sont relatifs)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for ressource in re.findall(r'(?:src|href)="([^"#]+)"', page):
        assert (rapports["national"] / ressource).is_file(), ressource
    assert ouvrir_courant(racine_nationale).identifiant in page
    # le réseau de partenariat (networkx) : sa section, et son CSV aux colonnes annoncées
    associes = len(sources_brutes.sites_declarant_un_partenaire())
    assert 'id="partenariats"' in page and f"{associes} sites associés" in page
    isoles = _lire_csv(rapports["national"] / "csv" / "partenariats_sans_partenaire_proche.csv")
    assert isoles and list(isoles[0]) == partenariats.COLONNES


def test_cartes_nationales_96_departements_legende_echelle_date(rapports, racine_nationale: Path) -> None:
    identifiant = ouvrir_courant(racine_nationale).identifiant
    cartes = sorted((rapports["national"] / "cartes").glob("*.svg"))
    assert len(cartes) == 8
    for svg in cartes:
        assert len(_departements_du_svg(svg)) == 96, svg.name
        texte = svg.read_text(encoding="utf-8")
        assert re.search(r">\d+ km<", texte), "barre d'échelle sans longueur"
        assert "Habitants à plus de 50 km" in texte and "sans donnée" in texte, "légende absente"
        assert identifiant in texte and "données 20" in texte, "date des données absente"
        assert 'id="sites"' in texte
        image = imread(svg.with_suffix(".png"))
        assert image.shape[0] > 500 and image.shape[1] > 500
        couleurs = np.unique(image.reshape(-1, image.shape[2]), axis=0)
        assert len(couleurs) > 20, "PNG presque uni"


def test_csv_du_rapport_egal_au_calcul_depuis_les_sources(rapports, racine_nationale: Path) -> None:
    lignes = _lire_csv(rapports["national"] / "csv" / "radiotherapie_par_region.csv")
    regions = sources_brutes.regions_des_sites()
    sites = sources_brutes.sites_declarant("radiotherapie")
    rendu = {ligne["region"]: int(ligne["sites"]) for ligne in lignes}
    # au moins les sites déclarés (les autorisations de l'extrait FINESS peuvent en ajouter)
    for region, n in {r: sum(1 for s in sites if regions[s] == r) for r in set(regions[s] for s in sites)}.items():
        assert rendu[region] >= n
    assert sum(rendu.values()) >= len(sites)
    population = _lire_csv(rapports["national"] / "csv" / "population_eloignee.csv")
    assert len({ligne["departement"] for ligne in population}) >= 100


def test_rapport_regional_restreint_a_la_region(rapports: dict[str, Path]) -> None:
    dossier = rapports["bretagne"]
    assert "Bretagne" in (dossier / "index.html").read_text(encoding="utf-8")
    for svg in (dossier / "cartes").glob("*.svg"):
        assert _departements_du_svg(svg) == DEPARTEMENTS_BRETAGNE, svg.name
    population = _lire_csv(dossier / "csv" / "population_eloignee.csv")
    assert {ligne["departement"] for ligne in population} == DEPARTEMENTS_BRETAGNE
    radio = _lire_csv(dossier / "csv" / "radiotherapie_par_region.csv")
    assert [ligne["region"] for ligne in radio] == [BRETAGNE]
    national = _lire_csv(rapports["national"] / "csv" / "radiotherapie_par_region.csv")
    assert radio == [ligne for ligne in national if ligne["region"] == BRETAGNE]


def test_region_inconnue_refusee(racine_nationale: Path, tmp_path: Path, capsys) -> None:
    code = main(["analyser", "--instantane", str(racine_nationale), "--sortie", str(tmp_path), "--region", "99"])
    assert code == 1
    assert "région inconnue" in capsys.readouterr().err
