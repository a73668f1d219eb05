"""Le répertoire des lieux (communes, départements, régions) qui sert à comprendre « près de Quimper ».

Pourquoi un objet à part : la compréhension des questions a besoin d'index rapides (nom normalisé, code
postal, premier mot, tolérance aux fautes) que le graphe ne donne pas directement. Le répertoire se
construit à partir d'enregistrements simples : depuis le graphe (``depuis_store``) ou les CSV de
``donnees/geo``. Le repérage des lieux dans une question est dans ``lieux.py`` ; ce module-ci ne fait que
répondre à « quelle commune s'appelle ainsi ? » et rendre un ``Lieu``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from rapidfuzz import fuzz, process

from recherche.comprendre.lexique import forme_cle, mots

#: Dossier géographique du projet (donnees/geo).
DOSSIER_GEO: Final = Path(__file__).resolve().parents[2] / "donnees" / "geo"

_PREFIXES_SPARQL: Final = (
    "PREFIX bo: <https://w3id.org/boussole/ontologie#>\nPREFIX schema: <https://schema.org/>\n"
)

#: Noms d'anciennes régions et sigles usuels → code de la région actuelle.
ALIAS_REGIONS: Final[dict[str, str]] = {
    "paca": "93",
    "provence": "93",
    "cote d azur": "93",
    "aura": "84",
    "rhone alpes": "84",
    "auvergne": "84",
    "idf": "11",
    "ile de france": "11",
    "region parisienne": "11",
    "alsace": "44",
    "lorraine": "44",
    "champagne ardenne": "44",
    "champagne": "44",
    "picardie": "32",
    "nord pas de calais": "32",
    "aquitaine": "75",
    "limousin": "75",
    "poitou charentes": "75",
    "midi pyrenees": "76",
    "languedoc roussillon": "76",
    "languedoc": "76",
    "bourgogne": "27",
    "franche comte": "27",
    "bfc": "27",
    "basse normandie": "28",
    "haute normandie": "28",
    "centre val de loire": "24",
    "region centre": "24",
    "reunion": "04",
    "corse": "94",
    "nouvelle aquitaine": "75",
    "hauts de france": "32",
    "grand est": "44",
}


#: Population minimale d'une commune composée pour que son premier élément serve de nom usuel.
POPULATION_ALIAS: Final = 20000
_LIAISONS_NOM: Final = mots("en sur sous les le la lez l d de du des aux au et")
_PREFIXES_EXCLUS: Final = mots(
    "saint sainte saints saintes bourg bar pont port mont val le la les l grand "
    "petit font mer plan ile isle fort chateau villers grande vieux bois ville champs "
    "maisons sable rive baie riviere petite bras portes mons vaux lys joue ris "
    "sin"
)


def alias_usuel(c: Commune) -> tuple[str, ...] | None:
    """Premier élément d'un nom composé (« Cherbourg-en-Cotentin » → « cherbourg »), pour une ville
    assez grande.
    """
    if c.population < POPULATION_ALIAS:
        return None
    cle = forme_cle(c.nom)
    if len(cle) < 2:
        return None
    n = next((k for k, m in enumerate(cle) if k > 0 and m in _LIAISONS_NOM), None)
    if n is None:
        n = 1 if len(cle) == 2 and cle[0] not in _LIAISONS_NOM else None
    if n is None or " ".join(cle[:n]) in _PREFIXES_EXCLUS or cle[0] in ("saint", "sainte"):
        return None
    return cle[:n]


#: Les sortes de lieu qu'une question peut nommer.
TypeLieu = Literal["commune", "code_postal", "departement", "region"]


@dataclass(frozen=True, slots=True)
class Lieu:
    """Le lieu compris d'une question : d'où l'on mesure les distances et, pour une zone, ce qui la borne.

    ``latitude`` / ``longitude`` : le point de la commune, ou le chef-lieu d'un département ou d'une région
    (``None`` s'il n'est pas connu). ``departement`` n'a de sens que pour une commune (ou un code postal),
    ``chef_lieu`` que pour une zone. ``point_corrige_km`` : quand le point de la commune a été remplacé par
    celui de ses sites (voir ``classer.contraintes.corriger_lieu``), l'écart entre les deux.
    """

    type: TypeLieu
    code: str
    nom: str
    latitude: float | None
    longitude: float | None
    departement: str | None = None
    chef_lieu: str | None = None
    code_postal: str | None = None
    point_corrige_km: float | None = None

    @property
    def est_zone(self) -> bool:
        """Un département ou une région : une zone qui borne la réponse, pas seulement un point."""
        return self.type in ("departement", "region")

    def en_dict(self) -> dict[str, Any]:
        """La forme JSON de l'API (les clés de chaque sorte de lieu, dans cet ordre, et seulement elles)."""
        d: dict[str, Any] = {"type": self.type, "code": self.code, "nom": self.nom}
        if self.est_zone:
            d["chef_lieu"] = self.chef_lieu
        else:
            d["departement"] = self.departement
        d["latitude"], d["longitude"] = self.latitude, self.longitude
        if self.type == "code_postal":
            d["code_postal"] = self.code_postal
        if self.point_corrige_km is not None:
            d["point_corrige_km"] = self.point_corrige_km
        return d


@dataclass(frozen=True, slots=True)
class Commune:
    code: str
    nom: str
    departement: str
    region: str
    codes_postaux: tuple[str, ...]
    population: int
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    nom: str
    region: str
    chef_lieu: str


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    nom: str
    chef_lieu: str


def _flottant(texte: str | None) -> float | None:
    try:
        return float(texte) if texte not in (None, "") else None
    except ValueError:
        return None


class Gazetteer:
    """Communes, départements et régions, indexés pour la compréhension des questions."""

    def __init__(
        self, communes: Iterable[Commune], departements: Iterable[Departement], regions: Iterable[Region]
    ) -> None:
        self.communes: dict[str, Commune] = {c.code: c for c in communes}
        self.departements: dict[str, Departement] = {d.code: d for d in departements}
        self.regions: dict[str, Region] = {r.code: r for r in regions}
        par_nom: dict[tuple[str, ...], list[Commune]] = defaultdict(list)
        par_cp: dict[str, list[Commune]] = defaultdict(list)
        for c in self.communes.values():
            par_nom[forme_cle(c.nom)].append(c)
            for cp in c.codes_postaux:
                par_cp[cp].append(c)
        # Nom usuel d'une commune composée : « Cherbourg » pour Cherbourg-en-Cotentin, « Aix » pour
        # Aix-en-Provence. L'alias s'ajoute aux homonymes exacts ; le tri par population décide ensuite.
        noms_zones = {forme_cle(d.nom) for d in self.departements.values()}
        noms_zones |= {forme_cle(r.nom) for r in self.regions.values()}
        for c in self.communes.values():
            alias = alias_usuel(c)
            if alias and c not in par_nom[alias] and alias not in noms_zones:
                par_nom[alias].append(c)
        # Le plus peuplé d'abord : c'est le sens le plus probable d'un nom partagé ou d'un code postal.
        self._par_nom = {k: sorted(v, key=lambda c: -c.population) for k, v in par_nom.items()}
        self._par_cp = {k: sorted(v, key=lambda c: -c.population) for k, v in par_cp.items()}
        self._dep_par_nom = {forme_cle(d.nom): d for d in self.departements.values()}
        self._reg_par_nom = {forme_cle(r.nom): r for r in self.regions.values()}
        for ancien_nom, code in ALIAS_REGIONS.items():
            if code in self.regions:
                self._reg_par_nom.setdefault(tuple(ancien_nom.split()), self.regions[code])
        # Longueurs (en mots) des noms qui commencent par un mot : on essaie les plus longues d'abord.
        longueurs: dict[str, set[int]] = defaultdict(set)
        for cle in [*self._par_nom, *self._dep_par_nom, *self._reg_par_nom]:
            longueurs[cle[0]].add(len(cle))
        self._longueurs = {k: sorted(v, reverse=True) for k, v in longueurs.items()}
        # Pour la tolérance aux fautes : noms rangés par première lettre (réduit le coût d'une recherche).
        par_lettre: dict[str, list[str]] = defaultdict(list)
        for cle in self._par_nom:
            par_lettre[cle[0][0]].append(" ".join(cle))
        self._par_lettre = dict(par_lettre)

    @classmethod
    def depuis_csv(cls, dossier: Path | str = DOSSIER_GEO) -> Gazetteer:
        """Lit ``communes.csv``, ``departements.csv`` et ``regions.csv`` (format de ``donnees/geo``)."""
        dossier = Path(dossier)
        with open(dossier / "communes.csv", encoding="utf-8", newline="") as f:
            communes = [
                Commune(
                    code=r["code_insee"],
                    nom=r["nom"],
                    departement=r["code_departement"],
                    region=r["code_region"],
                    codes_postaux=tuple((r.get("codes_postaux") or "").split()),
                    population=int(r["population"] or 0),
                    latitude=_flottant(r.get("latitude")),
                    longitude=_flottant(r.get("longitude")),
                )
                for r in csv.DictReader(f)
            ]
        with open(dossier / "departements.csv", encoding="utf-8", newline="") as f:
            deps = [
                Departement(r["code_departement"], r["nom"], r["code_region"], r["chef_lieu"])
                for r in csv.DictReader(f)
            ]
        with open(dossier / "regions.csv", encoding="utf-8", newline="") as f:
            regs = [Region(r["code_region"], r["nom"], r["chef_lieu"]) for r in csv.DictReader(f)]
        return cls(communes, deps, regs)

    @classmethod
    def depuis_store(cls, store: Any) -> Gazetteer:
        """Lit communes, départements et régions d'un store Oxigraph (objet ou chemin du dossier).

        Le graphe ne porte pas de chef-lieu : un département ou une région est alors situé à sa commune la
        plus peuplée (Pau pour les Pyrénées-Atlantiques, Marseille pour les Bouches-du-Rhône).
        """
        import pyoxigraph as ox

        if not isinstance(store, ox.Store):
            store = ox.Store.read_only(str(store))
        fin = lambda terme: str(terme.value).rsplit("/", 1)[-1] if terme is not None else ""  # noqa: E731
        valeur = lambda terme: terme.value if terme is not None else None  # noqa: E731
        requete = (
            _PREFIXES_SPARQL
            + """
        SELECT ?c ?nom ?dep ?reg ?pop ?lat ?lon (GROUP_CONCAT(?cp; separator=" ") AS ?cps) WHERE {
          ?c a bo:Commune ; schema:name ?nom .
          OPTIONAL { ?c bo:departement ?dep } OPTIONAL { ?c bo:region ?reg }
          OPTIONAL { ?c bo:population ?pop }
          OPTIONAL { ?c schema:latitude ?lat ; schema:longitude ?lon } OPTIONAL { ?c schema:postalCode ?cp }
        } GROUP BY ?c ?nom ?dep ?reg ?pop ?lat ?lon"""
        )
        communes = [
            Commune(
                code=fin(r["c"]),
                nom=r["nom"].value,
                departement=fin(r["dep"]),
                region=fin(r["reg"]),
                codes_postaux=tuple((valeur(r["cps"]) or "").split()),
                population=int(valeur(r["pop"]) or 0),
                latitude=_flottant(valeur(r["lat"])),
                longitude=_flottant(valeur(r["lon"])),
            )
            for r in store.query(requete, use_default_graph_as_union=True)
        ]
        plus_peuplee: dict[str, Commune] = {}
        for c in communes:
            for zone in (c.departement, "r" + c.region):
                if zone not in plus_peuplee or c.population > plus_peuplee[zone].population:
                    plus_peuplee[zone] = c
        chef = lambda zone: plus_peuplee[zone].code if zone in plus_peuplee else ""  # noqa: E731
        deps = [
            Departement(fin(r["d"]), r["nom"].value, fin(r["reg"]), chef(fin(r["d"])))
            for r in store.query(
                _PREFIXES_SPARQL
                + "SELECT DISTINCT ?d ?nom ?reg WHERE { ?d a bo:Departement ; schema:name ?nom . "
                "OPTIONAL { ?d bo:region ?reg } }",
                use_default_graph_as_union=True,
            )
        ]
        regs = [
            Region(fin(r["r"]), r["nom"].value, chef("r" + fin(r["r"])))
            for r in store.query(
                _PREFIXES_SPARQL + "SELECT DISTINCT ?r ?nom WHERE { ?r a bo:Region ; schema:name ?nom }",
                use_default_graph_as_union=True,
            )
        ]
        return cls(communes, deps, regs)

    @classmethod
    def par_defaut(cls) -> Gazetteer:
        """Le répertoire des données du projet, chargé une fois."""
        return _par_defaut(str(DOSSIER_GEO))

    # --- recherches exactes -------------------------------------------------------------------------

    def longueurs(self, premier_mot: str) -> list[int]:
        """Nombres de mots possibles d'un nom de lieu qui commence par ``premier_mot`` (décroissants)."""
        return self._longueurs.get(premier_mot, [])

    def communes_nommees(self, cle: tuple[str, ...]) -> list[Commune]:
        """Communes de ce nom normalisé, la plus peuplée d'abord."""
        return self._par_nom.get(cle, [])

    def departement_nomme(self, cle: tuple[str, ...]) -> Departement | None:
        return self._dep_par_nom.get(cle)

    def region_nommee(self, cle: tuple[str, ...]) -> Region | None:
        return self._reg_par_nom.get(cle)

    def par_code_postal(self, code_postal: str) -> list[Commune]:
        return self._par_cp.get(code_postal, [])

    def departement_code(self, code: str) -> Departement | None:
        """Département par numéro : « 6 » et « 06 » donnent les Alpes-Maritimes, « 2a » la Corse-du-Sud."""
        code = code.upper()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        return self.departements.get(code)

    # --- tolérance aux fautes ------------------------------------------------------------------------

    def approcher(self, texte: str, score_min: float = 86.0) -> list[Commune]:
        """Communes dont le nom ressemble à ``texte`` (« Quimpr » → Quimper), meilleure d'abord.

        Réservé aux mots qui suivent une préposition de lieu : ailleurs, une ressemblance ne prouve rien.
        """
        cle = " ".join(forme_cle(texte))
        if len(cle) < 4:
            return []
        noms = self._par_lettre.get(cle[0], [])
        trouves = process.extract(cle, noms, scorer=fuzz.ratio, score_cutoff=score_min, limit=5)
        trouves.sort(key=lambda t: (-t[1], -self._par_nom[tuple(t[0].split())][0].population))
        return [self._par_nom[tuple(t[0].split())][0] for t in trouves]

    # --- représentation ------------------------------------------------------------------------------

    def lieu_commune(self, c: Commune) -> Lieu:
        return Lieu("commune", c.code, c.nom, c.latitude, c.longitude, departement=c.departement)

    def lieu_code_postal(self, code_postal: str, c: Commune) -> Lieu:
        return Lieu(
            "code_postal", c.code, c.nom, c.latitude, c.longitude, departement=c.departement, code_postal=code_postal
        )

    def lieu_departement(self, d: Departement) -> Lieu:
        """Un département est situé à son chef-lieu (point de départ des distances)."""
        return self._lieu_zone("departement", d.code, d.nom, d.chef_lieu)

    def lieu_region(self, r: Region) -> Lieu:
        """Une région est située à son chef-lieu, comme un département."""
        return self._lieu_zone("region", r.code, r.nom, r.chef_lieu)

    def _lieu_zone(self, type_lieu: TypeLieu, code: str, nom: str, chef_lieu: str) -> Lieu:
        chef = self.communes.get(chef_lieu)
        latitude, longitude = (chef.latitude, chef.longitude) if chef else (None, None)
        return Lieu(type_lieu, code, nom, latitude, longitude, chef_lieu=chef_lieu)


@lru_cache(maxsize=2)
def _par_defaut(dossier: str) -> Gazetteer:
    return Gazetteer.depuis_csv(dossier)
