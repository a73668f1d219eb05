"""Les contraintes dures du classement : ce que le graphe autorise à rendre, avant tout score.

Les contraintes dures ne se négocient pas avec la similarité : un site sans preuve de radiothérapie n'est jamais
rendu pour une question de radiothérapie, un mineur va vers une offre pédiatrique quand il en existe une, la
deuxième opinion exclut l'équipe qui suit déjà le patient. Quand une contrainte ne laisse rien, on l'assouplit
explicitement et on le dit dans les remarques.

Distances : orthodromiques (``graphe.geodesie``), à vol d'oiseau, pas en temps de route. Les scores qui classent
ensuite les candidats retenus sont dans ``score.py``, leurs poids dans ``poids.py``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np

from graphe.geodesie import distances_km
from graphe.texte import cle_ville
from ontologie.besoins import BESOINS, NIVEAUX_PREUVE
from recherche.classer.noms import IndexNoms
from recherche.classer.poids import POIDS, Poids
from recherche.comprendre.comprehension import Comprehension
from recherche.comprendre.etablissements import developper_sigles
from recherche.comprendre.lexique import mots, normaliser
from recherche.comprendre.repertoire import Lieu
from recherche.index.catalogue import Entite, Preuve

#: Besoins qu'une localisation tumorale seule (« cancer du sein à Lyon ») appelle : l'un d'eux suffit.
TRAITEMENTS = ("chirurgie", "chimiotherapie", "radiotherapie")
#: Le plus fort niveau de preuve (une autorisation) : ramène un niveau à [0, 1].
NIVEAU_MAX = max(NIVEAUX_PREUVE.values())
#: Besoins de soins de support : cités ensemble (« douleur, soins palliatifs »), ce sont des alternatives ;
#: un site qui les couvre tous passe devant, un site qui n'en couvre qu'un reste une réponse.
SOUTIENS = ("soins_support", "douleur", "palliatif")
#: Quand aucune source ne renseigne un besoin, le besoin plus large proposé à la place (et dit comme tel).
ELARGISSEMENTS = {"curietherapie": "radiotherapie"}
#: Besoins connus seulement par des listes curées partielles : une structure plus proche peut exister.
LISTES_PARTIELLES = ("oncogenetique", "fertilite", "soins_support")


def groupes_besoins(besoins: list[str]) -> tuple[list[str], list[str]]:
    """(besoins requis tous ensemble, besoins de support dont un seul suffit)."""
    soutiens = [b for b in besoins if b in SOUTIENS]
    if len(soutiens) < 2:
        return list(besoins), []
    return [b for b in besoins if b not in SOUTIENS], soutiens


def _preuves_pour(
    entite: Entite, besoin: str, localisations: set[str], reseaux: tuple[str, ...] = ()
) -> list[Preuve]:
    """Les preuves actives d'un besoin ; pour un cancer rare, celles de la tumeur : sa localisation, ou le réseau
    national qui la prend en charge (un centre RENATEN listé sans tumeur rattachée reste un centre des tumeurs
    neuroendocrines)."""
    preuves = [p for p in entite.preuves if p.besoin == besoin and not p.inactive]
    if besoin == "cancer_rare" and localisations:
        preuves = [p for p in preuves if localisations & set(p.localisations) or (reseaux and _du_reseau(p, reseaux))]
    return sorted(preuves, key=lambda p: -NIVEAUX_PREUVE[p.niveau])


class Masques:
    """Pour chaque besoin, qui a une preuve et de quel niveau : calculé une fois par instantané.

    Pourquoi : filtrer 4 000 entités en Python à chaque question coûterait plus que tout le reste de la
    réponse ; des tableaux numpy rendent le filtrage quasi gratuit.
    """

    def __init__(self, entites: list[Entite]) -> None:
        self.entites = entites
        n = len(entites)
        self.niveaux: dict[str, np.ndarray] = {}
        for i, e in enumerate(entites):
            for p in e.preuves:
                if p.inactive:
                    continue
                tableau = self.niveaux.setdefault(p.besoin, np.zeros(n, dtype=np.int8))
                tableau[i] = max(tableau[i], NIVEAUX_PREUVE[p.niveau])
        self.vide = np.zeros(n, dtype=np.int8)

    def niveau(self, besoin: str) -> np.ndarray:
        """Le meilleur niveau de preuve (0 à ``NIVEAU_MAX``) de chaque entité pour ce besoin."""
        return self.niveaux.get(besoin, self.vide)

    def pour(
        self, besoins: list[str], localisations: set[str], reseaux: tuple[str, ...] = ()
    ) -> tuple[np.ndarray, list[str]]:
        """Entités qui ont une preuve pour chaque besoin ; assouplit la localisation d'un cancer rare si rien.

        ``reseaux`` : les sigles des réseaux de la tumeur (thésaurus) ; un centre du réseau vaut pour la tumeur.
        """
        remarques: list[str] = []
        requis, alternatives = groupes_besoins(besoins)
        m = np.ones(len(self.entites), dtype=bool)
        for b in requis:
            m &= self.niveau(b) > 0
        if alternatives:
            m &= np.any([self.niveau(b) > 0 for b in alternatives], axis=0)
        if "cancer_rare" in besoins and localisations:
            avec_loc = m.copy()
            for i in np.flatnonzero(m):
                avec_loc[i] = bool(_preuves_pour(self.entites[i], "cancer_rare", localisations, reseaux))
            if avec_loc.any():
                m = avec_loc
            elif m.any():
                remarques.append(
                    "aucun centre expert n'est rattaché à cette localisation dans les listes connues ; "
                    "voici les centres experts de tous les réseaux cancers rares"
                )
        return m, remarques

    def niveau_combine(self, besoins: list[str], part_couverture: float = POIDS.part_couverture) -> np.ndarray:
        """Niveau de preuve [0, 1] pour des besoins : le plus faible des requis ; pour des alternatives, le
        meilleur, dont ``part_couverture`` est gardée et le reste pondéré par la part des alternatives couvertes."""
        requis, alternatives = groupes_besoins(besoins)
        parts = [np.min([self.niveau(b) for b in requis], axis=0) / NIVEAU_MAX] if requis else []
        if alternatives:
            niveaux = np.array([self.niveau(b) for b in alternatives], dtype=np.float64)
            couverture = (niveaux > 0).mean(axis=0)
            parts.append(niveaux.max(axis=0) / NIVEAU_MAX * (part_couverture + (1 - part_couverture) * couverture))
        return np.mean(parts, axis=0)

    def couverture(self, besoins: list[str]) -> np.ndarray:
        """Part [0, 1] des besoins alternatifs couverts (0 partout s'il n'y a pas d'alternatives)."""
        _, alternatives = groupes_besoins(besoins)
        if not alternatives:
            return np.zeros(len(self.entites))
        return np.mean([self.niveau(b) > 0 for b in alternatives], axis=0)


#: Une équipe nommée désigne les sites dont le nom (ou la commune) la couvre presque aussi bien que le meilleur.
SEUIL_EQUIPE, ECART_EQUIPE = 0.7, 0.05
#: Au-delà de ce nombre de sites, une entité juridique est un groupe (AP-HP : 38 sites) dont un hôpital nommé
#: n'engage pas les autres ; en deçà (CHU de Rennes, Institut Curie, ICO), tous ses sites sont la même équipe.
SITES_MAX_EQUIPE = 12
#: Mots qui nomment l'institution entière : « suivi au CHU de Lyon » exclut tous les sites de l'entité juridique.
_MOTS_INSTITUTION = mots("chu chru chr aphp aphm hcl hospices assistance ghu")


def masque_exclusion(
    index: IndexNoms, entites: list[Entite], exclure: list[str], ville_exclue: str | None
) -> np.ndarray:
    """Entités à exclure pour un second avis : l'équipe nommée et tous ses sites, ou à défaut sa ville.

    L'équipe se reconnaît comme un nom cherché (sigles dépliés : « IGR », « CLB » ; commune : « CHU de Rennes »
    trouve « CHRU RENNES SITE PONTCHAILLOU ») ; ses autres sites sont ceux de la même entité juridique. Quand
    le nom désigne des sites, la ville n'exclut rien de plus : suivi au CHU de Rennes, le centre Eugène Marquis
    reste une autre équipe. ``index`` : l'index des noms des mêmes entités, dans l'ordre de ``entites``.
    """
    exclus = np.zeros(len(entites), dtype=bool)
    sites_par_ej = Counter(e.finess_ej for e in entites if e.finess_ej)
    for texte in exclure:
        developpe = developper_sigles(normaliser(texte))
        if len(developpe) <= 2:
            continue
        score = index.score(developpe)
        meilleur = float(score.max(initial=0.0))
        if meilleur < SEUIL_EQUIPE:
            continue
        designes = score >= meilleur - ECART_EQUIPE
        institution = bool(set(developpe.split()) & _MOTS_INSTITUTION)
        # un nom qui désigne beaucoup de sites est une ville (« suivi à Lille ») : pas d'extension par entité
        ejs = set()
        if int(designes.sum()) <= SITES_MAX_EQUIPE:
            ejs = {
                ej
                for i in np.flatnonzero(designes)
                if (ej := entites[i].finess_ej) and (institution or sites_par_ej[ej] <= SITES_MAX_EQUIPE)
            }
        exclus |= designes
        if ejs:
            exclus |= np.array([e.finess_ej in ejs for e in entites])
    if ville_exclue and not exclus.any():
        ville = cle_ville(ville_exclue)
        exclus |= np.array([bool(e.commune) and cle_ville(e.commune or "") == ville for e in entites])
    return exclus


#: Rôles du premier rang (« régional ou national » d'une liste de centres experts n'en est pas un).
_ROLES_NATIONAUX = (
    "référence",
    "reference",
    "centre national",
    "expert national",
    "coordonnateur national",
    "coordination principal",
)


def _du_reseau(preuve: Preuve, reseaux: list[str] | tuple[str, ...]) -> bool:
    """La preuve relève d'un des réseaux nommés : par son sigle, ou cité dans son libellé ou son rôle
    (« RENATEN (devenu ENDOCAN) », RCP « REFCOR (centre national à l'Institut Gustave Roussy) »)."""
    if preuve.reseau and preuve.reseau in reseaux:
        return True
    texte = f"{preuve.libelle} {preuve.role or ''}".upper()
    return any(sigle.upper() in texte for sigle in reseaux)


def competence(
    entite: Entite, besoins: list[str], localisations: set[str], reseaux: list[str] | tuple[str, ...] = ()
) -> float:
    """Pour un second avis : centre national ou de référence du réseau concerné (1) > coordonnateur (0,9) >
    centre expert, membre ou RCP de recours pour cette tumeur (0,7) > CHU / CLCC (0,4) > autres (0).

    Seuls comptent les rôles tenus pour les besoins, la tumeur ou le réseau demandés. Une preuve sans
    localisation ne vaut pour toute tumeur que si elle n'est d'aucun réseau (RCP de recours régionale) : le
    centre d'un réseau des tumeurs neuroendocrines n'est pas un expert du sarcome.
    """

    def pertinente(p: Preuve) -> bool:
        if p.besoin not in besoins or p.inactive:
            return False
        if reseaux and p.besoin in ("cancer_rare", "rcp_recours") and _du_reseau(p, reseaux):
            return True
        if not localisations:
            return True
        if p.localisations:
            return bool(localisations & set(p.localisations))
        return p.reseau is None or not any(b in ("cancer_rare", "rcp_recours") for b in besoins)

    preuves = [p for p in entite.preuves if pertinente(p)]
    roles = " ".join((p.role or "") for p in preuves if p.besoin in ("cancer_rare", "rcp_recours")).lower()
    if any(m in roles for m in _ROLES_NATIONAUX):
        return 1.0
    if "coordonn" in roles or "coordinat" in roles:
        return 0.9
    if any(p.besoin in ("cancer_rare", "rcp_recours") for p in preuves):
        return 0.7
    return 0.4 if est_reference(entite) else 0.0


def est_reference(entite: Entite) -> bool:
    """Un centre de référence : CHU / CHR ou centre de lutte contre le cancer (catégories FINESS 101, 131).

    Pourquoi par le libellé : c'est ce que porte l'entité (« Centre Hospitalier Régional (C.H.R.) », « Centre
    de Lutte Contre Cancer » — sans « le » dans la nomenclature FINESS).
    """
    categorie = (entite.categorie or "").lower()
    return "lutte contre" in categorie or "régional" in categorie or "universitaire" in categorie


def libelle_besoin(code: str) -> str:
    """Le libellé français d'un besoin (le code lui-même s'il est inconnu)."""
    return BESOINS.get(code, code)


#: Un point de commune est douteux quand les sites géolocalisés de la commune s'accordent entre eux
#: (à ACCORD_KM près) mais sont tous à plus de ECART_KM de lui (ex. : Villejuif, point de mairie à 8 km).
ACCORD_KM, ECART_KM = 3.0, 8.0


def points_communes_fiables(entites: list[Entite]) -> dict[str, tuple[float, float]]:
    """Code INSEE → point médian des sites (points vérifiés) de la commune, quand au moins deux s'accordent.

    Sert à corriger le lieu d'une question quand le point de la commune est manifestement faux : les points
    Eurostat de plusieurs sites qui se confirment valent mieux qu'un point de mairie isolé.
    """
    par_commune: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for e in entites:
        if e.precision_geo == "etablissement" and e.commune_code and e.latitude is not None and e.longitude is not None:
            par_commune[e.commune_code].append((e.latitude, e.longitude))
    fiables = {}
    for code, points in par_commune.items():
        if len(points) < 2:
            continue
        tableau = np.array(points)
        median = np.median(tableau, axis=0)
        if distances_km(np.radians(tableau), *median).max() <= ACCORD_KM:
            fiables[code] = (float(median[0]), float(median[1]))
    return fiables


def corriger_lieu(lieu: Lieu, fiables: dict[str, tuple[float, float]]) -> Lieu:
    """Remplace le point d'une commune par celui de ses sites s'il en est à plus de ECART_KM ; le signale
    (``point_corrige_km``)."""
    if lieu.type not in ("commune", "code_postal") or lieu.code not in fiables:
        return lieu
    lat, lon = fiables[lieu.code]
    if lieu.latitude is None or lieu.longitude is None:
        return lieu
    ecart = float(distances_km(np.radians([[lieu.latitude, lieu.longitude]]), lat, lon)[0])
    if ecart <= ECART_KM:
        return lieu
    return replace(lieu, latitude=lat, longitude=lon, point_corrige_km=round(ecart, 1))


def remarque_listes_partielles(besoins: list[str], dsrc: tuple[str, str | None] | None) -> str | None:
    """Un besoin connu seulement par des listes partielles : le dire, et nommer le réseau régional (``dsrc`` :
    nom et site web du dispositif spécifique régional du cancer de la région du lieu, s'il est connu)."""
    partiels = [b for b in besoins if b in LISTES_PARTIELLES]
    if not partiels:
        return None
    libelles = ", ".join(f"« {libelle_besoin(b)} »" for b in partiels)
    texte = f"{libelles} : seules des listes partielles sont connues, une structure plus proche peut exister"
    if dsrc is not None:
        nom, url = dsrc
        texte += f" ; le réseau régional de cancérologie {nom}" + (f" ({url})" if url else "")
        texte += " tient l'annuaire de la région"
    return texte


#: Territoire de métropole (Corse comprise) : on s'y soigne d'un département à l'autre.
METROPOLE = "metropole"
#: Code de région d'outre-mer → son département (une région nommée, « Guadeloupe », vaut son département).
DEPARTEMENT_DE_REGION_OUTRE_MER = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}


def territoire(departement: str | None) -> str:
    """Le territoire de soins d'un département : lui-même outre-mer (97x, 98x), « metropole » sinon, « » inconnu.

    Pourquoi : un patient de La Réunion ne va pas en radiothérapie à Cherbourg quand Saint-Pierre en a une, et un
    patient de Brest n'est pas orienté vers Fort-de-France ; d'un département de métropole à l'autre, si.
    """
    if not departement:
        return ""
    return departement if departement[:2] in ("97", "98") else METROPOLE


def territoire_du_lieu(lieu: Lieu) -> str:
    """Le territoire de soins du lieu compris (commune, département ou région)."""
    if lieu.type == "region":
        return territoire(DEPARTEMENT_DE_REGION_OUTRE_MER.get(lieu.code, "00"))
    return territoire(lieu.code if lieu.type == "departement" else lieu.departement)


class Contraintes:
    """Les contraintes dures d'un instantané : qui peut être rendu pour une question comprise.

    Pourquoi une classe : les masques (preuves par besoin, pédiatrie, territoires) se calculent une fois par
    instantané ; ``appliquer`` ne fait ensuite que des opérations de tableaux. ``index_noms`` : l'index des
    noms des mêmes entités, dans le même ordre (il reconnaît l'équipe à exclure d'un second avis).
    """

    def __init__(self, entites: list[Entite], index_noms: IndexNoms, poids: Poids = POIDS) -> None:
        self.entites = entites
        self.index_noms = index_noms
        self.poids = poids
        self.masques = Masques(entites)
        self.oncopediatrie = self.masques.niveau("oncopediatrie") > 0
        self.pediatrie = self.masques.niveau("pediatrie") > 0
        self.traitement = np.zeros(len(entites), dtype=bool)
        for besoin in TRAITEMENTS:
            self.traitement |= self.masques.niveau(besoin) > 0
        self.departements = np.array([e.departement or "" for e in entites])
        self.regions = np.array([e.region or "" for e in entites])
        self.territoires = np.array([territoire(e.departement) for e in entites])
        self.references = np.array([est_reference(e) for e in entites])

    def appliquer(
        self, c: Comprehension, dist: np.ndarray | None, remarques: list[str]
    ) -> tuple[np.ndarray, list[str]]:
        """Les candidats d'une question, et les besoins réellement appliqués.

        Dans l'ordre : preuve de chaque besoin (un besoin qu'aucune source ne renseigne est élargi), offre
        pédiatrique pour un mineur, exclusion de l'équipe en charge et centres experts de la tumeur pour un
        second avis, territoire nommé, rayon. Chaque assouplissement est dit dans ``remarques`` (complétée).

        Args:
            c: la question comprise (lieu déjà corrigé).
            dist: distance de chaque entité au lieu, en km (``None`` sans lieu).
            remarques: les remarques de la réponse, complétées ici.

        Returns:
            (masque booléen des entités retenues, besoins appliqués — ceux compris, élargis au besoin).
        """
        besoins = list(c.besoins)
        localisations = set(c.localisations)
        mineur = c.population == "enfant" and c.intention == "orientation"
        if mineur:
            besoins = self._besoins_d_un_mineur(besoins, remarques)
        if besoins:
            besoins = self._elargir(besoins, remarques)
            masque, notes = self._avec_preuves(besoins, localisations, tuple(c.reseaux))
            remarques += notes
        elif c.intention == "second_avis" and localisations:
            masque = self._recours_d_un_cancer_courant(c, localisations, remarques)
        elif localisations and c.intention != "etablissement" and not mineur:
            masque = self.traitement.copy()
        else:
            masque = np.ones(len(self.entites), dtype=bool)
        if mineur:
            masque, offre = self._pour_un_mineur(masque, remarques)
            besoins += [offre] if offre else []
        if c.intention == "second_avis":
            exclus = masque_exclusion(self.index_noms, self.entites, c.exclure, c.ville_exclue)
            if (masque & exclus).any():
                remarques.append(f"{int((masque & exclus).sum())} site(s) de l'équipe qui suit le patient exclu(s)")
            masque = self._experts_de_la_tumeur(c, masque, exclus, besoins, remarques)
        if c.lieu and c.lieu.est_zone and c.intention != "etablissement":
            masque = self._dans_le_territoire(c.lieu, masque, remarques)
        if c.lieu and c.intention == "orientation":
            masque = self._du_meme_territoire(c.lieu, masque, dist, remarques)
        if c.rayon_km is not None and dist is not None:
            dans = masque & (dist <= c.rayon_km)
            if not dans.any() and masque.any():
                plus_proche = float(np.nanmin(np.where(masque, dist, np.nan)))
                remarques.append(f"aucun site à moins de {c.rayon_km:g} km ; le plus proche est à {plus_proche:.0f} km")
            else:
                masque = dans
        return masque, besoins

    def _avec_preuves(
        self, besoins: list[str], localisations: set[str], reseaux: tuple[str, ...]
    ) -> tuple[np.ndarray, list[str]]:
        """Les entités qui ont une preuve de chaque besoin ; une RCP d'un cancer rare, ou un centre expert du réseau.

        Pourquoi l'alternative : « RCP pour une tumeur neuroendocrine » demande la RCP de recours du réseau, mais
        les centres experts du réseau tiennent ses RCP régionales et répondent aussi ; exiger des deux preuves à
        la fois ne laissait que la RCP nationale. Le classement met la RCP devant (``Poids.rcp_demandee``).
        """
        masque, notes = self.masques.pour(besoins, localisations, reseaux)
        if "rcp_recours" in besoins and "cancer_rare" in besoins:
            centres, _ = self.masques.pour([b for b in besoins if b != "rcp_recours"], localisations, reseaux)
            masque = masque | centres
        return masque, notes

    def _recours_d_un_cancer_courant(
        self, c: Comprehension, localisations: set[str], remarques: list[str]
    ) -> np.ndarray:
        """Second avis d'un cancer courant : la RCP de recours de la région du patient quand elle couvre cet
        organe, puis les centres de référence (CHU, CLCC) qui opèrent et traitent par chimiothérapie.

        Pourquoi : un cancer courant n'a pas de réseau national ; une compétence égale ou supérieure à celle de
        l'équipe qui suit est celle d'un centre de référence, ou de la RCP de recours régionale. Une RCP
        régionale d'une autre région n'est pas le recours de ce patient (elle n'est pas proposée) ; l'équipe
        en charge est exclue ensuite, comme pour tout second avis.
        """
        traite = (self.masques.niveau("chirurgie") > 0) & (self.masques.niveau("chimiotherapie") > 0)
        references = traite & self.references
        if c.population != "enfant":
            # un site mère-enfant (pédiatrie, aucune activité gériatrique) n'est pas une équipe de l'adulte
            references &= ~(self.pediatrie & ~(self.masques.niveau("geriatrie") > 0))
        lieu = c.lieu or c.lieu_exclu
        region = lieu.code if lieu and lieu.type == "region" else None
        if lieu and region is None:
            region = next((e.region for e in self.entites if e.departement == lieu.departement and e.region), None)
        rcp = np.array(
            [
                e.nature == "rcp"
                and bool(region)
                and e.region == region
                and any(
                    p.besoin == "rcp_recours"
                    and not p.inactive
                    and p.reseau is None
                    and (not p.localisations or bool(localisations & set(p.localisations)))
                    for p in e.preuves
                )
                for e in self.entites
            ]
        )
        remarques.append(
            "cancer courant : le second avis est proposé par "
            + ("la RCP de recours de la région, puis " if rcp.any() else "")
            + "les centres de référence (CHU, centres de lutte contre le cancer) qui opèrent ce cancer et le "
            "traitent par chimiothérapie, du plus proche au plus lointain"
        )
        return references | rcp

    @staticmethod
    def _besoins_d_un_mineur(besoins: list[str], remarques: list[str]) -> list[str]:
        """Chez un mineur, le centre de cancérologie pédiatrique tient lieu de centre expert d'un cancer rare.

        Pourquoi : les réseaux nationaux de cancers rares listent des équipes d'adultes ; presque tous les cancers
        de l'enfant sont rares, et c'est l'organisation interrégionale (OIR) qui les prend en charge. Un besoin
        de soins (radiothérapie…) reste requis ; « pédiatrie » (service général) ne l'est jamais.
        """
        sortie = [b for b in besoins if b not in ("cancer_rare", "pediatrie", "oncopediatrie")]
        if "cancer_rare" in besoins:
            remarques.append(
                "patient mineur : les cancers de l'enfant sont pris en charge par les centres de cancérologie "
                "pédiatrique de l'organisation interrégionale (OIR), plutôt que par les réseaux de cancers rares "
                "de l'adulte"
            )
        return sortie

    def _pour_un_mineur(self, masque: np.ndarray, remarques: list[str]) -> tuple[np.ndarray, str | None]:
        """Un mineur va vers un centre de cancérologie pédiatrique ; un service de pédiatrie générale n'est qu'un
        relais de proximité, proposé comme tel seulement quand aucun centre n'a le besoin demandé.

        Rend aussi l'offre appliquée (``oncopediatrie``, ``pediatrie`` ou rien) : c'est un besoin appliqué comme
        un autre, que le classement (politique d'orientation, niveau de preuve) et les raisons affichées suivent.
        """
        centres = masque & self.oncopediatrie
        if centres.any():
            remarques.append(
                "patient mineur : seuls les centres de cancérologie pédiatrique (membres d'une organisation "
                "interrégionale, OIR, ou autorisés avec une mention pédiatrique) sont proposés"
            )
            return centres, "oncopediatrie"
        relais = masque & self.pediatrie
        if relais.any():
            remarques.append(
                "aucun centre de cancérologie pédiatrique connu pour ce besoin : voici des sites avec un service "
                "de pédiatrie générale, relais de proximité seulement ; la prise en charge est décidée par le "
                "centre de cancérologie pédiatrique de l'OIR"
            )
            return relais, "pediatrie"
        if masque.any():
            remarques.append("aucune offre pédiatrique connue pour ce besoin : offres adultes proposées")
        return masque, None

    def _elargir(self, besoins: list[str], remarques: list[str]) -> list[str]:
        """Remplace un besoin qu'aucune source ne renseigne par son besoin plus large, et le dit."""
        sortie = []
        for b in besoins:
            large = ELARGISSEMENTS.get(b)
            if large and not (self.masques.niveau(b) > 0).any():
                remarques.append(
                    f"aucune source du graphe ne renseigne « {libelle_besoin(b)} » ; voici les sites de "
                    f"« {libelle_besoin(large)} », à qui demander s'ils la pratiquent"
                )
                b = large
            if b not in sortie:
                sortie.append(b)
        return sortie

    def _experts_de_la_tumeur(
        self, c: Comprehension, masque: np.ndarray, exclus: np.ndarray, besoins: list[str], remarques: list[str]
    ) -> np.ndarray:
        """Second avis : les centres du réseau de la tumeur (ou ses RCP de recours), hors de l'équipe en charge.

        Pourquoi : la localisation des listes curées manque parfois (un centre RENATEN sans tumeur rattachée) ;
        le sigle du réseau, connu du thésaurus, retrouve alors ses centres au lieu de proposer ceux de tous les
        réseaux. Quand l'équipe en charge est le seul centre connu, ou qu'aucun centre du réseau n'est connu,
        on le dit, et on propose les centres experts d'autres réseaux comme recours de compétence.
        """
        if not {"cancer_rare", "rcp_recours"} & set(besoins):
            return masque & ~exclus
        localisations = set(c.localisations)
        pour = besoins + [b for b in ("rcp_recours",) if "cancer_rare" in besoins and b not in besoins]
        experts = np.zeros(len(self.entites), dtype=bool)
        for i in np.flatnonzero(masque):
            experts[i] = competence(self.entites[i], pour, localisations, c.reseaux) >= self.poids.seuil_expert
        reseaux = ", ".join(c.reseaux)
        if (experts & ~exclus).any():
            remarques[:] = [r for r in remarques if not r.startswith("aucun centre expert n'est rattaché")]
            return experts & ~exclus
        if experts.any():
            remarques.append(
                "l'équipe qui suit le patient est le seul centre connu pour cette tumeur"
                + (f" (réseau {reseaux})" if reseaux else "")
                + " : voici d'autres centres de recours, à qui demander s'ils prennent ce second avis"
            )
        elif reseaux:
            remarques.append(
                f"aucun centre du réseau {reseaux} n'est connu dans les sources : le réseau lui-même oriente vers ses "
                "centres ; voici d'autres centres de recours"
            )
        return masque & ~exclus

    def _du_meme_territoire(
        self, lieu: Lieu, masque: np.ndarray, dist: np.ndarray | None, remarques: list[str]
    ) -> np.ndarray:
        """Une orientation ne mêle jamais outre-mer et métropole en silence.

        Les sites du territoire de soins du lieu (son département d'outre-mer, ou la métropole) passent seuls
        quand il y en a ; une entité sans département connu reste candidate. Sinon, un patient d'outre-mer se
        voit proposer les plus proches, bornés à ``facteur_eloignement`` fois la distance du plus proche, et la
        réponse dit pourquoi. Un second avis n'est pas borné ainsi : un dossier se relit à distance.
        """
        cle = territoire_du_lieu(lieu)
        if not cle:
            return masque
        inconnus = self.territoires == ""
        meme = masque & ((self.territoires == cle) | inconnus)
        if (meme & ~inconnus).any() or not masque.any():
            return meme
        ou = "en métropole" if cle == METROPOLE else f"dans le département {cle}"
        if cle == METROPOLE or dist is None:
            remarques.append(f"aucun site répondant à la demande n'est connu {ou} : voici ceux d'outre-mer")
            return masque
        situes = masque & np.isfinite(dist)
        if not situes.any():
            remarques.append(f"aucun site répondant à la demande n'est connu {ou}")
            return masque
        plus_proche = float(dist[situes].min())
        borne = self.poids.facteur_eloignement * plus_proche
        remarques.append(
            f"aucun site répondant à la demande n'est connu {ou} : voici les plus proches, hors de ce territoire "
            f"(le plus proche à {plus_proche:.0f} km ; rien au-delà de {borne:.0f} km n'est proposé)"
        )
        return masque & (dist <= borne)

    def _dans_le_territoire(self, lieu: Lieu, masque: np.ndarray, remarques: list[str]) -> np.ndarray:
        """Un département ou une région nommés bornent la réponse, tant qu'il y a des sites dedans."""
        codes = self.departements if lieu.type == "departement" else self.regions
        dedans = masque & (codes == lieu.code)
        if dedans.any():
            return dedans
        if masque.any():
            zone = "région" if lieu.type == "region" else "département"
            remarques.append(
                f"aucun site répondant à la demande n'est connu dans le territoire demandé ({zone} {lieu.nom}) : "
                "voici les plus proches, hors de ce territoire"
            )
        return masque
