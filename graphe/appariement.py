"""Apparier un nom d'établissement écrit à la main (« Centre Léon Bérard », « CHU de Nantes ») à un site
FINESS.

Pourquoi un module à part : toutes les listes curées citent des établissements en texte libre, alors que la
SAE
les nomme en majuscules abrégées (« CENTRE LEON BERARD », « CHU DE NANTES SITE HOTEL DIEU HME »). Un
rattachement
faux ferait mentir le graphe (« ce site est centre expert ») ; on préfère donc **ne pas apparier** plutôt que
se
tromper : seuil élevé, écart exigé avec le deuxième candidat, et chaque appariement garde sa méthode et sa
confiance.

Ordre des méthodes :

1. ``exact`` : même nom une fois normalisé (accents, abréviations, mots vides) ; confiance 1.
2. ``alias`` : table écrite à la main des grands centres de lutte contre le cancer et de quelques hôpitaux de
   l'AP-HP ; chaque FINESS de la table a été vérifié dans ``sae/ID_2023r.csv`` et n'est employé que s'il
   figure
   dans le contexte (jamais un numéro inventé) ; confiance 0,95.
3. ``flou`` : comparaison des mots distinctifs (hors mots génériques et nom de ville) avec rapidfuzz ; score
F1
   des mots retrouvés de part et d'autre, seuil 0,85 et écart d'au moins 0,1 avec le deuxième site ;
   confiance = 0,9 × score.
4. ``chu-site-principal`` : « CHU de Nantes », « AP-HM », « Hospices civils de Lyon » désignent une entité
   à plusieurs sites ; on retient le site principal (table vérifiée par ville, sinon l'unique site de court
   séjour
   de catégorie 101 de la ville) ; confiance 0,6, car le texte ne dit pas quel site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graphe.sources.base import Contexte, InfoEtablissement
from graphe.texte import forme
from ontologie import espaces
from ontologie.espaces import BO

#: Score flou minimal (F1 des mots distinctifs) pour accepter un appariement.
SEUIL_FLOU = 0.85
#: Écart minimal entre le meilleur site et le deuxième (d'une autre adresse) : sinon c'est ambigu.
ECART_MIN = 0.10
CONFIANCE_ALIAS = 0.95
CONFIANCE_CHU = 0.6

#: Catégorie FINESS des CHR/CHU.
CATEGORIE_CHU = "101"

# Formes longues → forme courte canonique, appliquées sur le texte normalisé (minuscules, sans accents).
_ABREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\bassistance publique\s*hopitaux de paris\b", "aphp"),
    (r"\bassistance publique\s*hopitaux de marseille\b", "aphm"),
    (r"\bap hp\b", "aphp"),
    (r"\bap hm\b", "aphm"),
    (r"\bhospices civils de lyon\b", "hcl"),
    (r"\bhopitaux universitaires de marseille\b", "aphm"),
    (r"\bcentre hospitalier regional universitaire\b", "chu"),
    (r"\bcentre hospitalier universitaire\b", "chu"),
    (r"\bcentre hospitalo universitaire\b", "chu"),
    (r"\bc h u\b", "chu"),
    (r"\bchru\b", "chu"),
    (r"\bcentre hospitalier regional\b", "chr"),
    (r"\bcentre hospitalier\b", "ch"),
    (r"\bctre hosp\b", "ch"),
    (r"\bcentre de lutte contre le cancer\b", "clcc"),
    (r"\bcentre regional de lutte contre le cancer\b", "clcc"),
    (r"\bc r l c c\b", "clcc"),
    (r"\bcrlcc\b", "clcc"),
    (r"\bctre\b", "centre"),
    (r"\bhop\b", "hopital"),
    (r"\bhopitaux\b", "hopital"),
    (r"\bst\b", "saint"),
    (r"\bste\b", "sainte"),
    (r"\bcedex\b", " "),
)

#: Mots vides et mots génériques : ils ne distinguent pas un site d'un autre.
_MOTS_VIDES = frozenset("de du des la le les l d et en a au aux sur site sites".split())  # noqa: SIM905
_MOTS_GENERIQUES = frozenset(
    """chu chr ch clcc centre hopital hu institut clinique polyclinique groupe hospitalier universitaire
    universitaires aphp aphm hcl ghu regional regionale national nationale aja service unite plateforme
    pole""".split()  # noqa: SIM905
)
#: Marques d'un groupe hospitalier : si le texte les cite, le site doit les porter aussi.
_GROUPES = {"aphp": "aphp", "aphm": "aphm", "hcl": "hcl"}
#: Marques d'une entité à plusieurs sites, qui déclenchent la règle du site principal.
_MARQUES_CHU = frozenset({"chu", "chr", "aphm", "hcl"})
#: Sites qui ne sont pas le court séjour principal (SMUR, SSR, psychiatrie…).
_SITES_SECONDAIRES = re.compile(
    r"\b(smur|ssr|had|psy|psychiatrie|antenne|convalescence|conval|usld|cpp|jour|dialyse|pf|samu|soins pa"
    r"|crf)\b"
)


def normaliser(texte: str) -> str:
    """La forme de comparaison commune (``texte.forme``), abréviations ramenées à une forme unique et
    numéros (arrondissement, cedex) retirés : ces deux étapes ne valent que pour les noms d'établissement.
    """
    t = f" {forme(texte)} "
    for motif, remplacement in _ABREVIATIONS:
        t = re.sub(motif, remplacement, t)
    t = re.sub(r"\b\d+\s*(e|er|eme)?\b", " ", t)  # numéros d'arrondissement, de cedex
    return re.sub(r"\s+", " ", t).strip()


def _mots(texte_normalise: str) -> list[str]:
    return [m for m in texte_normalise.split() if m not in _MOTS_VIDES]


_PRECISION = re.compile(r"\([^)]*\)?")


def sans_precisions(texte: str) -> str:
    """Le nom sans ses précisions entre parenthèses (« Institut Curie (site d'Orsay) » → « Institut Curie »).

    Pourquoi pas ``texte.sans_parentheses`` : une liste recopiée à la main tronque parfois la précision
    (« CHU de Nantes (site Hôtel-Dieu »), et une parenthèse non fermée emporte ici tout ce qui la suit ; les
    espaces sont aussi resserrés et la ponctuation de bord (« , ; – - ») retirée, pour un nom prêt à comparer.
    L'expression reste linéaire : ``[^)]*`` va d'un trait jusqu'à la parenthèse fermante ou la fin du texte.
    """
    t = _PRECISION.sub(" ", texte)
    return re.sub(r"\s+", " ", t).strip(" ,;–-")


def normaliser_ville(ville: str) -> str:
    """« LYON CEDEX 08 », « Paris (14e) », « Pierre-Bénite (Lyon) » → « lyon », « paris »…"""
    return normaliser(sans_precisions(ville))


def villes_du_texte(ville: str | None) -> list[str]:
    """Toutes les villes citées par une cellule « ville » (séparées par ; ou entre parenthèses)."""
    if not ville:
        return []
    morceaux = re.split(r"[;()]", ville)
    return [v for v in (normaliser(m) for m in morceaux) if v and v != "national"]


@dataclass(frozen=True)
class Alias:
    """Un grand centre, connu sous plusieurs noms, dont le FINESS a été vérifié dans la SAE."""

    noms: tuple[str, ...]  # formes normalisées (voir normaliser), cherchées comme expressions entières
    finess: str
    ville: str  # ville normalisée, pour écarter l'alias quand le texte cite une autre ville


#: Vérifiés dans sae/ID_2023r.csv (numéro, raison sociale, catégorie 131 = CLCC, 101 = CHU).
ALIAS: tuple[Alias, ...] = (
    Alias(("leon berard", "clb"), "690000880", "lyon"),  # CENTRE LEON BERARD
    Alias(("gustave roussy", "igr"), "940000664", "villejuif"),  # INSTITUT GUSTAVE ROUSSY
    Alias(("bergonie",), "330000662", "bordeaux"),  # INSTITUT BERGONIE
    Alias(("institut curie",), "750160012", "paris"),  # CLCC INSTITUT CURIE
    Alias(("oscar lambret",), "590000188", "lille"),  # CLCC OSCAR LAMBRET LILLE
    Alias(("paoli calmettes", "ipc"), "130001647", "marseille"),  # INSTITUT PAOLI CALMETTES
    Alias(("antoine lacassagne", "cal"), "060000528", "nice"),  # CENTRE ANTOINE LACASSAGNE
    Alias(("francois baclesse", "baclesse"), "140000555", "caen"),  # CRLCC FRANCOIS BACLESSE - CAEN
    Alias(("henri becquerel", "becquerel"), "760000166", "rouen"),  # CRLCC HENRI BECQUEREL ROUEN
    Alias(("jean perrin",), "630000479", "clermont ferrand"),  # CENTRE LUTTE CONTRE LE CANCER J.PERRIN
    # ICL : l'ancien Centre Alexis Vautrin est devenu l'Institut de cancérologie de Lorraine.
    Alias(("icl", "institut cancerologie lorraine", "alexis vautrin"), "540001286", "nancy"),
    Alias(("godinot",), "510000516", "reims"),  # INSTITUT GODINOT
    Alias(("georges francois leclerc", "cgfl"), "210987731", "dijon"),  # CLCC GEORGES-FRANCOIS LECLERC
    Alias(("val d aurelle", "icm"), "340000207", "montpellier"),  # ICM MONTPELLIER
    Alias(("institut sainte catherine",), "840000350", "avignon"),  # INSTITUT SAINTE CATHERINE
    Alias(("icans", "paul strauss"), "670000033", "strasbourg"),  # CRLCC PAUL STRAUSS - ICANS
    Alias(("eugene marquis", "cem", "clcc rennes"), "350002812", "rennes"),  # C.R.L.C.C. EUGENE MARQUIS
    Alias(
        ("ico", "institut cancerologie ouest", "clcc nantes"), "440001113", "nantes"
    ),  # ICO - SITE GAUDUCHEAU
    Alias(
        ("ico", "institut cancerologie ouest", "clcc angers"), "490000155", "angers"
    ),  # ICO - SITE PAUL PAPIN
    Alias(("iuct oncopole", "iuct", "claudius regaud"), "310782347", "toulouse"),  # ONCOPOLE CLAUDIUS REGAUD
    # AP-HP : hôpitaux souvent cités par leur nom court.
    Alias(("hegp", "georges pompidou"), "750803447", "paris"),  # HU PARIS OUEST SITE G POMPIDOU APHP
    Alias(("pitie salpetriere",), "750100125", "paris"),  # HU PITIE SALPETRIERE APHP
    Alias(("kremlin bicetre",), "940100043", "le kremlin bicetre"),  # HU PARIS SUD SITE KREMLIN BICETRE APHP
    Alias(("ihope", "institut hematologie oncologie pediatrique"), "690019849", "lyon"),  # IHOP - HCL
)

#: Site principal (court séjour, le plus grand) des CHU à plusieurs sites, par ville normalisée.
#: Vérifié dans sae/ID_2023r.csv (catégorie 101). Règle : le site historique de court séjour adulte du CHU.
CHU_SITE_PRINCIPAL: dict[str, str] = {
    "nantes": "440000271",  # CHU DE NANTES SITE HOTEL DIEU HME
    "tours": "370000861",  # CHRU BRETONNEAU - TOURS
    "rennes": "350000741",  # CHRU RENNES SITE PONTCHAILLOU
    "brest": "290004324",  # CHRU BREST SITE HOPITAL CAVALE BLANCHE
    "angers": "490000049",  # CHR ANGERS SITE LARREY
    "poitiers": "860000223",  # CHU LA MILETRIE
    "clermont ferrand": "630000404",  # HOPITAL GABRIEL MONTPIED - CHU63
    "grenoble": "380000067",  # HOPITAL NORD - CHU38 (La Tronche)
    "saint etienne": "420785354",  # HOPITAL NORD - CHU42
    "nice": "060785003",  # CHU DE NICE HOPITAL PASTEUR
    "lille": "590000105",  # CHR LILLE
    "amiens": "800006124",  # CHU AMIENS SUD
    "marseille": "130783293",  # APHM HOPITAL LA TIMONE
    "besancon": "250006954",  # CHU JEAN MINJOZ BESANCON
    "dijon": "210986089",  # CTRE HOSPITALIER REG UNIVERSITAIRE DIJ
    "reims": "510002447",  # HOPITAL ROBERT DEBRE CHU REIMS
    "strasbourg": "670000025",  # HOPITAL CIVIL / NOUVEL HOPITAL CIVIL
    "nancy": "540002698",  # CHRU NANCY - HOPITAUX DE BRABOIS
    "lyon": "690783154",  # HOPITAL EDOUARD HERRIOT - HCL
    "bordeaux": "330781360",  # GROUPE HOSPITALIER PELLEGRIN - CHU
    "toulouse": "310783048",  # HOPITAL PURPAN CHU TOULOUSE
    "montpellier": "340785161",  # HOPITAL LAPEYRONIE CHU MONTPELLIER
    "caen": "140000209",  # CHU COTE DE NACRE - CAEN
    "rouen": "760000158",  # HOPITAL CHARLES NICOLLE CHU ROUEN
    "limoges": "870000064",  # C H U DUPUYTREN LIMOGES
}


@dataclass
class Appariement:
    """Résultat d'un appariement : le site retenu (ou aucun), comment, avec quelle confiance."""

    texte: str
    finess: str | None
    methode: str  # exact | alias | flou | chu-site-principal | aucun | ambigu
    confiance: float
    candidats: list[tuple[str, float]] = field(default_factory=list)  # (FINESS, score) les meilleurs

    @property
    def apparie(self) -> bool:
        return self.finess is not None


class Apparieur:
    """Index des sites du contexte, préparé une fois pour apparier beaucoup de noms."""

    def __init__(self, contexte: Contexte) -> None:
        self.contexte = contexte
        self.sites: dict[str, InfoEtablissement] = contexte.etablissements
        self._nom: dict[str, str] = {}
        self._mots: dict[str, list[list[str]]] = {}
        self._ville: dict[str, str] = {}
        self._par_ville: dict[str, list[str]] = {}
        noms_communes = {code: normaliser(c.nom) for code, c in contexte.communes.items()}
        for finess, site in self.sites.items():
            nom = normaliser(site.nom)
            ville = normaliser_ville(site.ville)
            self._nom[finess] = nom
            self._ville[finess] = ville
            mots_ville = set(ville.split())
            # Le nom entier, et le nom du site seul (« HU PARIS CENTRE SITE COCHIN APHP » → « cochin aphp »).
            variantes = [nom] + ([nom.split(" site ", 1)[1]] if " site " in nom else [])
            self._mots[finess] = [[m for m in _mots(v) if m not in mots_ville] for v in variantes]
            for v in {ville, noms_communes.get(site.commune, "")} - {""}:
                self._par_ville.setdefault(v, []).append(finess)
        self.villes_connues = frozenset(self._par_ville)

    # --- règles -------------------------------------------------------------------------------------------

    def sites_de_ville(self, villes: Iterable[str]) -> list[str]:
        vus: dict[str, None] = {}
        for v in villes:
            for f in self._par_ville.get(v, []):
                vus[f] = None
        return list(vus)

    def _alias(self, texte_norm: str, villes: list[str]) -> list[Alias]:
        trouves = []
        t = f" {' '.join(_mots(texte_norm))} "
        for a in ALIAS:
            if a.finess not in self.sites:
                continue  # jamais un numéro absent du référentiel
            if any(f" {n} " in t for n in a.noms):
                if villes and a.ville not in villes and not self._ville_compatible(a.finess, villes):
                    continue
                trouves.append(a)
        # « ICO » sans ville désigne deux sites : ambigu, on ne choisit pas.
        return trouves

    def _ville_compatible(self, finess: str, villes: list[str]) -> bool:
        return finess in set(self.sites_de_ville(villes))

    def _ville_dans_texte(self, mots: list[str]) -> str | None:
        """La plus longue suite de mots du texte qui est un nom de ville connue (pour « CHU de Nantes »)."""
        for n in (3, 2, 1):
            for i in range(len(mots) - n + 1):
                v = " ".join(mots[i : i + n])
                if v in self.villes_connues and v not in _MOTS_GENERIQUES:
                    return v
        return None

    @staticmethod
    def _score(q: list[str], c: list[str]) -> float:
        """F1 des mots distinctifs retrouvés des deux côtés (un mot d'une lettre vaut une initiale)."""
        if not q or not c:
            return 0.0

        def proche(a: str, b: str) -> bool:
            if len(a) == 1 or len(b) == 1:
                return a[0] == b[0]
            return fuzz.ratio(a, b) >= 90

        rq = sum(any(proche(a, b) for b in c) for a in q) / len(q)
        rc = sum(any(proche(b, a) for a in q) for b in c) / len(c)
        return 0.0 if rq + rc == 0 else 2 * rq * rc / (rq + rc)

    def apparier(self, texte: str, ville: str | None = None) -> Appariement:
        """Le site FINESS désigné par ``texte`` (et ``ville`` si on la connaît), ou aucun.

        Les listes curées écrivent souvent une description (« Centre d'AMP du CHU de Besançon (autorisé…) ») :
        si le texte entier ne s'apparie pas, on essaie ses morceaux (coupés aux tirets longs,
        deux-points) puis
        la fin du texte à partir d'un mot d'établissement (« CHU de Besançon »), et on garde le
        premier résultat.
        """
        brut = (texte or "").strip()
        if not brut:
            return Appariement(texte, None, "aucun", 0.0)
        resultat = self._apparier_un(brut, ville)
        if resultat.apparie or resultat.methode == "ambigu":
            resultat.texte = texte
            return resultat
        # Un morceau garde la marque de groupe du texte entier (« site Hôpital Jean Verdier » de l'AP-HP).
        groupes = {g for g in _GROUPES if g in _mots(normaliser(brut))}
        for morceau in morceaux_candidats(brut):
            r = self._apparier_un(morceau, ville, groupes)
            if r.apparie:
                r.texte = texte
                r.confiance = round(min(r.confiance, 0.9), 3)
                return r
        return resultat

    def _apparier_un(
        self, texte: str, ville: str | None, groupes_imposes: frozenset[str] | set[str] = frozenset()
    ) -> Appariement:
        brut = texte
        villes = villes_du_texte(ville)
        complet = normaliser(brut)
        court = normaliser(sans_precisions(brut)) or complet

        # 1. alias vérifiés
        for t in (court, complet):
            alias = self._alias(t, villes)
            finess = {a.finess for a in alias}
            if len(finess) == 1:
                return Appariement(texte, finess.pop(), "alias", CONFIANCE_ALIAS)
            if len(finess) > 1:
                return Appariement(texte, None, "ambigu", 0.0, [(f, CONFIANCE_ALIAS) for f in sorted(finess)])

        # 2. exact et flou, sur les sites de la ville si elle est donnée
        mots_q = _mots(court)
        groupes = {g for g in _GROUPES if g in _mots(complet)} | set(groupes_imposes)
        candidats = self.sites_de_ville(villes) if villes else list(self.sites)
        villes_q = set(" ".join(villes).split())
        ville_texte = self._ville_dans_texte(mots_q)
        distinctifs = [m for m in mots_q if m not in _MOTS_GENERIQUES and m not in villes_q]
        # Le nom de ville trouvé dans le texte compte des deux façons (« Hôpital Saint-Louis » est aussi une
        # ville).
        sans_ville = [m for m in distinctifs if not ville_texte or m not in ville_texte.split()]
        scores: list[tuple[float, str]] = []
        for f in candidats:
            if groupes and not groupes <= set(self._nom[f].split()):
                continue
            if self._nom[f] == court:
                return Appariement(texte, f, "exact", 1.0)
            s = 0.0
            for mots_c in self._mots[f]:
                mots_c = [m for m in mots_c if m not in _MOTS_GENERIQUES and m not in villes_q]
                s = max(s, self._score(sans_ville, mots_c))
                # Le texte n'a que la ville pour mot distinctif : seulement dans un groupe (« Saint-Louis
                # AP-HP »).
                if sans_ville or groupes:
                    s = max(s, self._score(distinctifs, mots_c))
            if s > 0:
                scores.append((s, f))
        scores.sort(key=lambda x: (-x[0], x[1]))
        meilleurs = [(f, round(s, 3)) for s, f in scores[:5]]
        if scores and scores[0][0] >= SEUIL_FLOU:
            s1, f1 = scores[0]
            second = next((s for s, f in scores[1:] if self._nom[f] != self._nom[f1]), 0.0)
            if s1 - second >= ECART_MIN:
                return Appariement(texte, f1, "flou", round(0.9 * s1, 3), meilleurs)
            return Appariement(texte, None, "ambigu", 0.0, meilleurs)

        # 3. CHU à plusieurs sites : le site principal
        if _MARQUES_CHU & set(mots_q) and not sans_ville:
            villes_chu = villes or ([ville_texte] if ville_texte else [])
            if not villes_chu and "aphm" in mots_q:
                villes_chu = ["marseille"]
            if not villes_chu and "hcl" in mots_q:
                villes_chu = ["lyon"]
            site = self._site_principal(villes_chu)
            if site:
                return Appariement(texte, site, "chu-site-principal", CONFIANCE_CHU, meilleurs)
        return Appariement(texte, None, "aucun", 0.0, meilleurs)

    def _site_principal(self, villes: list[str]) -> str | None:
        for v in villes:
            f = CHU_SITE_PRINCIPAL.get(v)
            if f and f in self.sites:
                return f
        chu = [
            f
            for f in self.sites_de_ville(villes)
            if self.sites[f].categorie == CATEGORIE_CHU and not _SITES_SECONDAIRES.search(self._nom[f])
        ]
        return chu[0] if len(chu) == 1 else None


_MOT_ETABLISSEMENT = re.compile(
    r"\b(CHU|CHRU|CHR|CH|CLCC|CRLCC|AP-HP|AP-HM|Hôpital|Hopital|Polyclinique|Clinique|Institut"
    r"|Centre hospitalier)\b"
)


def morceaux_candidats(texte: str) -> list[str]:
    """Morceaux d'une description qui peuvent nommer l'établissement, du plus long au plus court."""
    morceaux: list[str] = []
    for m in re.split(r"\s[–—]\s|\s-\s|:", sans_precisions(texte)):
        m = m.strip()
        if m and m != texte:
            morceaux.append(m)
    for m in list(morceaux) or [texte]:
        for trouve in _MOT_ETABLISSEMENT.finditer(m):
            if trouve.start() > 0:
                morceaux.append(m[trouve.start() :])
    return list(dict.fromkeys(morceaux))


# --- graphe
# ---------------------------------------------------------------------------------------------------


def iri_appariement(source: str, ligne: int, rang: int = 1) -> URIRef:
    """Nœud d'appariement d'un nom cité à la ligne ``ligne`` d'une source (``rang`` s'il y en a plusieurs)."""
    return espaces.preuve("appariement", source, str(ligne), str(rang))


def ecrire_appariement(
    graphe, sujet: URIRef, app: Appariement, source: str, ligne: int, rang: int = 1
) -> URIRef | None:
    """Écrit le nœud bo:Appariement d'un nom apparié et le rattache à ``sujet`` (bo:appariement).

    Rien n'est écrit pour un nom non apparié : il devient une bo:OrganisationSansFiness chez l'appelant.
    """
    if app.finess is None:
        return None
    noeud = iri_appariement(source, ligne, rang)
    graphe.add((noeud, RDF.type, BO.Appariement))
    graphe.add((noeud, BO.texteSource, Literal(app.texte)))
    graphe.add((noeud, BO.etablissement, espaces.etablissement(app.finess)))
    graphe.add((noeud, BO.methode, Literal(app.methode)))
    graphe.add((noeud, BO.confiance, Literal(round(app.confiance, 3), datatype=XSD.decimal)))
    graphe.add(
        (noeud, RDFS.label, Literal(f"« {app.texte} » apparié à {app.finess} ({app.methode})", lang="fr"))
    )
    graphe.add((sujet, BO.appariement, noeud))
    return noeud
