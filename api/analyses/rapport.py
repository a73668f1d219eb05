"""Le rapport d'analyse hors ligne : une page HTML (français), ses tableaux en CSV et ses cartes en SVG et PNG.

Pourquoi un dossier et pas une page seule : un analyste de l'ARS ou d'un réseau reprend une carte dans son propre
rapport (PNG, SVG), un tableau dans son tableur (CSV), et lit le tout sans réseau (aucune ressource externe). Les
chiffres sont ceux des requêtes du catalogue (``api/analyses/indicateurs.py``), à la lettre.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from tqdm import tqdm

from api.analyses import cartes, partenariats
from api.analyses.indicateurs import (
    INDICATEURS,
    Indicateur,
    Territoire,
    calculer,
    date_des_donnees,
    restreindre,
    sites_par_besoin,
    territoire,
)
from api.analyses.tableaux import ecrire_lignes
from graphe.distances import BESOINS_DISTANCE
from graphe.instantane import Interrogeable
from ontologie.besoins import BESOINS

#: Seuil des cartes de couverture : celui de ``requetes/population_eloignee.rq``.
SEUIL_KM = 50
NOM_PAGE = "index.html"


class RegionInconnue(ValueError):
    """Le code de région demandé n'est pas une région du graphe."""


@dataclass
class Rapport:
    """Ce qui a été écrit : la page, et chaque fichier (chemin relatif au dossier du rapport)."""

    dossier: Path
    fichiers: list[str] = field(default_factory=list)
    indicateurs: list[Indicateur] = field(default_factory=list)

    @property
    def page(self) -> Path:
        return self.dossier / NOM_PAGE


def ecrire_csv(indicateur: Indicateur, chemin: Path) -> None:
    ecrire_lignes(indicateur.colonnes, indicateur.lignes, chemin)


def _section_partenariats(p: partenariats.Partenariats) -> str:
    """Le réseau de partenariat (networkx) : composantes, et sites associés sans partenaire traitant proche."""
    tailles = ", ".join(str(n) for n in p.composantes[:10]) or "aucune"
    lignes = [[ligne[c] for c in partenariats.COLONNES] for ligne in p.isoles]
    return "\n".join(
        [
            '<h2 id="partenariats">Réseau de partenariat entre sites</h2>',
            "<p>Graphe (networkx) des partenariats déclarés à la SAE CANCERO (variables A8, B8, C8, sens inféré), "
            "des entités juridiques et des réseaux. Un site associé déclare au moins un partenaire ; un partenaire "
            "traitant a une preuve active de chimiothérapie ou de radiothérapie (activité déclarée le plus souvent : "
            "l'extrait FINESS embarqué n'a presque pas d'autorisations).</p>",
            f"<p>{len(p.composantes)} groupes de sites reliés (au moins deux sites) ; les plus grands réunissent "
            f"{escape(tailles)} sites. {p.associes} sites associés, dont {len(p.isoles)} sans partenaire traitant à "
            f"moins de {partenariats.SEUIL_KM:g} km (ou sans partenaire connu).</p>",
            _tableau(partenariats.COLONNES, lignes, "Sites associés sans partenaire traitant proche")
            if lignes
            else "<p>Aucun site associé isolé.</p>",
            '<p><a href="csv/partenariats_sans_partenaire_proche.csv">Télécharger en CSV</a>.</p>',
        ]
    )


def _tableau(colonnes: list[str], lignes: list[list[str]], legende: str) -> str:
    tete = "".join(f'<th scope="col">{escape(c)}</th>' for c in colonnes)
    corps = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in ligne) + "</tr>" for ligne in lignes)
    table = f"<table><caption>{escape(legende)}</caption><thead><tr>{tete}</tr></thead><tbody>{corps}</tbody></table>"
    if len(lignes) > 40:
        return f"<details><summary>{escape(legende)} ({len(lignes)} lignes)</summary>{table}</details>"
    return table


def _pivot_population(ind: Indicateur, terr: Territoire) -> tuple[list[str], list[list[str]]]:
    """Département en ligne, besoin en colonne : la population au-delà du seuil."""
    valeurs = {(ligne["departement"], ligne["besoin"]): ligne["population_au_dela_de_50_km"] for ligne in ind.lignes}
    departements = sorted({d for d, _ in valeurs})
    colonnes = ["département", "nom", *BESOINS_DISTANCE]
    lignes = [
        [d, terr.departements.get(d, ""), *(valeurs.get((d, b), "") for b in BESOINS_DISTANCE)] for d in departements
    ]
    return colonnes, lignes


def _constats(par_id: dict[str, Indicateur], terr: Territoire) -> list[str]:
    """Quelques constats lisibles tirés des tableaux (pas de chiffre qui ne soit dans un CSV du rapport)."""
    constats = []
    radio = sorted(
        (
            (int(ligne["population_au_dela_de_50_km"] or 0), ligne["departement"])
            for ligne in par_id["population_eloignee"].lignes
            if ligne["besoin"] == "radiotherapie"
        ),
        reverse=True,
    )
    premiers = [
        f"{terr.departements.get(d, d)} ({d}) : {n:,} habitants".replace(",", " ") for n, d in radio[:5] if n > 0
    ]
    if premiers:
        constats.append(
            f"Départements où le plus d'habitants vivent à plus de {SEUIL_KM} km d'un site de radiothérapie : "
            + " ; ".join(premiers)
            + "."
        )
    sans = [ligne["nom"] for ligne in par_id["couverture_cancers_rares_par_region"].lignes if ligne["reseaux"] == "0"]
    if sans:
        constats.append(f"Régions sans aucun centre connu d'un réseau cancers rares : {', '.join(sans)}.")
    evol = par_id["evolutions_enquetes_2022_2023"].lignes
    if evol:
        compte = {c: sum(1 for ligne in evol if ligne["changement"] == c) for c in ("gagné", "perdu", "appareils")}
        constats.append(
            f"Entre les SAE CANCERO 2022 et 2023 : {compte['gagné']} activités gagnées, {compte['perdu']} perdues, "
            f"{compte['appareils']} sites au nombre d'appareils de radiothérapie changé."
        )
    anciens = [ligne["titre"] for ligne in par_id["faits_anciens_par_source"].lignes]
    if anciens:
        constats.append(f"Sources de plus de 3 ans, à mettre à jour : {' ; '.join(anciens)}.")
    return constats


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b;
       line-height: 1.5; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .15rem .5rem; text-align: left; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
figure { margin: 1rem 0 2rem; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
code { background: #f2f2f2; padding: 0 .2rem; }
"""


def produire(
    store: Interrogeable,
    instantane: str,
    date_construction: str,
    donnees: Path,
    sortie: Path,
    region: str | None = None,
    progression: bool = True,
) -> Rapport:
    """Calcule les indicateurs, dessine les cartes et écrit le rapport dans ``sortie`` ; rend ce qui est écrit.

    :param region: un code INSEE de région pour un rapport régional (tableaux et cartes restreints), ou None.
    :raises RegionInconnue: la région n'est pas dans le graphe.
    """
    terr = territoire(store)
    if region is not None and region not in terr.regions:
        raise RegionInconnue(f"région inconnue : {region!r} (codes INSEE : {', '.join(sorted(terr.regions))})")
    rapport = Rapport(sortie)
    etapes: list[tuple[str, Callable[[], None]]] = []
    par_id: dict[str, Indicateur] = {}

    def indicateur(identifiant: str) -> Callable[[], None]:
        def faire() -> None:
            ind = calculer(store, identifiant)
            par_id[identifiant] = restreindre(ind, region, terr) if region else ind
            ecrire_csv(par_id[identifiant], sortie / "csv" / f"{identifiant}.csv")
            rapport.fichiers.append(f"csv/{identifiant}.csv")

        return faire

    etapes += [(f"requête {i}", indicateur(i)) for i in INDICATEURS]
    contours = cartes.lire_contours(donnees / "geo" / "departements-simplifie.geojson")
    regions = cartes.lire_contours(donnees / "geo" / "regions-simplifie.geojson")
    if region is not None:
        contours = {c: a for c, a in contours.items() if terr.region_du_departement.get(c) == region}
        regions = {c: a for c, a in regions.items() if c == region}
    mention = f"Boussole — instantané {instantane} (construit le {date_construction[:10]}), {date_des_donnees(store)}"
    sites: dict[str, list[tuple[float, float]]] = {}
    figures: list[tuple[str, str, str]] = []

    def lire_sites() -> None:
        sites.update(sites_par_besoin(store, region))

    def carte(besoin: str) -> Callable[[], None]:
        def faire() -> None:
            valeurs = {
                ligne["departement"]: float(ligne["population_au_dela_de_50_km"] or 0)
                for ligne in par_id["population_eloignee"].lignes
                if ligne["besoin"] == besoin
            }
            libelle = BESOINS.get(besoin, besoin)
            cartes.carte_choroplethe(
                contours,
                valeurs,
                sites.get(besoin, []),
                titre=f"Population à plus de {SEUIL_KM} km d'un site — {libelle}",
                legende=f"Habitants à plus de {SEUIL_KM} km\n(par département)",
                legende_points=f"site avec une preuve ({len(sites.get(besoin, []))})",
                mention=mention,
                sortie=sortie / "cartes" / f"population_{besoin}",
                regions=regions,
            )
            rapport.fichiers += [f"cartes/population_{besoin}.svg", f"cartes/population_{besoin}.png"]
            figures.append((besoin, libelle, f"cartes/population_{besoin}"))

        return faire

    reseau: list[partenariats.Partenariats] = []

    def partenariat() -> None:
        reseau.append(partenariats.analyser(store, region))
        ecrire_lignes(
            partenariats.COLONNES, reseau[0].isoles, sortie / "csv" / "partenariats_sans_partenaire_proche.csv"
        )
        rapport.fichiers.append("csv/partenariats_sans_partenaire_proche.csv")

    etapes.append(("réseau de partenariat", partenariat))
    if contours:
        etapes.append(("sites", lire_sites))
        etapes += [(f"carte {b}", carte(b)) for b in BESOINS_DISTANCE]
    barre = tqdm(etapes, desc="Rapport d'analyse", unit="étape", disable=not progression)
    for libelle, faire in barre:
        barre.set_postfix_str(libelle)
        faire()
    rapport.indicateurs = [par_id[i] for i in INDICATEURS]
    portee = f"région {terr.regions[region]} ({region})" if region else "France entière"
    sortie.mkdir(parents=True, exist_ok=True)
    page = _page(par_id, terr, portee, mention, figures, bool(contours))
    page = page.replace("</body></html>", _section_partenariats(reseau[0]) + "</body></html>")
    rapport.page.write_text(page, encoding="utf-8")
    rapport.fichiers.insert(0, NOM_PAGE)
    return rapport


def _page(
    par_id: dict[str, Indicateur],
    terr: Territoire,
    portee: str,
    mention: str,
    figures: list[tuple[str, str, str]],
    avec_cartes: bool,
) -> str:
    morceaux = [
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Boussole — analyse de l'offre, {escape(portee)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Analyse de l'offre de soins en cancérologie — {escape(portee)}</h1>",
        f"<p>{escape(mention)}. Chaque tableau est le résultat d'une requête du catalogue "
        "(<code>requetes/NOM.rq</code>, à relancer par <code>boussole sparql --fichier requetes/NOM.rq --format "
        "csv</code>) et se télécharge en CSV ; chaque carte existe en SVG et en PNG.</p>",
        "<h2>Constats</h2><ul>",
        *(f"<li>{escape(c)}</li>" for c in _constats(par_id, terr)),
        "</ul>",
        f"<h2>Couverture : population à plus de {SEUIL_KM} km</h2>",
    ]
    if not avec_cartes:
        morceaux.append("<p>Pas de contour embarqué pour ce territoire (outre-mer) : voir les tableaux.</p>")
    for besoin, libelle, base in figures:
        morceaux.append(
            f'<figure id="carte-{escape(besoin)}"><img src="{base}.svg" alt="Carte : population à plus de '
            f"{SEUIL_KM} km d'un site — {escape(libelle)}, par département, et les sites en points\" "
            f'width="1000" height="850"><figcaption>{escape(libelle)} — <a href="{base}.svg">SVG</a> · '
            f'<a href="{base}.png">PNG</a>. Outre-mer : voir le tableau.</figcaption></figure>'
        )
    pop = par_id["population_eloignee"]
    colonnes, lignes = _pivot_population(pop, terr)
    morceaux.append(_tableau(colonnes, lignes, f"Habitants à plus de {SEUIL_KM} km, par département et besoin"))
    morceaux.append(_lien_csv(pop))
    for identifiant in INDICATEURS[1:]:
        ind = par_id[identifiant]
        morceaux.append(f"<h2>{escape(ind.requete.titre)}</h2><p>{escape(ind.requete.description)}</p>")
        lignes = [[ligne[c] for c in ind.colonnes] for ligne in ind.lignes]
        morceaux.append(_tableau(ind.colonnes, lignes, ind.requete.titre) if lignes else "<p>Aucune ligne.</p>")
        morceaux.append(_lien_csv(ind))
    morceaux.append("</body></html>\n")
    return "\n".join(morceaux)


def _lien_csv(ind: Indicateur) -> str:
    return (
        f'<p><a href="csv/{escape(ind.identifiant)}.csv">Télécharger en CSV</a> '
        f"(requête <code>{escape(ind.requete.fichier)}</code>).</p>"
    )
