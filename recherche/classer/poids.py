"""Tous les nombres du classement, nommés et documentés en un seul endroit : ``Poids`` et ``POIDS``.

Pourquoi un objet : chaque poids est un choix de produit, mesuré sur le jeu d'évaluation
(``benchmarks/evaluation.py``), pas une constante de code. Un nouveau venu doit pouvoir lire ici, sans ouvrir le
moteur, ce qui passe devant quoi ; un essai (ablation, réglage) crée un autre ``Poids`` au lieu de modifier des
littéraux dispersés. Les objets sont gelés : un moteur chargé ne change pas de politique en cours de route.

Chaque politique est une somme pondérée de signaux dans [0, 1] (voir ``classer.score``) ; un poids plus fort fait
passer devant les entités qui ont plus de ce signal. Les seuils ne pondèrent pas : ils décident.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PoidsEtablissement:
    """Une question qui nomme un établissement (ou ne dit ni besoin ni tumeur) : le nom d'abord.

    ``ressemblance`` : ressemblance du nom cherché au nom (et à la commune) du site (``classer.noms``).
    ``importance`` : part des besoins renseignés du site, rapportée au site le plus complet : le site principal
    passe devant ses annexes homonymes (dialyse, SSR, antennes SMUR). ``pertinence`` : la recherche textuelle
    hybride, qui ne fait que départager. ``proximite`` : proximité absolue au lieu de la question (1/2 à
    ``Poids.echelle_km``), qui départage les homonymes de villes différentes.
    """

    ressemblance: float = 0.6
    pertinence: float = 0.05
    importance: float = 0.25
    proximite: float = 0.1


@dataclass(frozen=True, slots=True)
class PoidsSecondAvis:
    """Un second avis : la compétence pour cette tumeur d'abord, la distance ensuite.

    ``competence`` : rang de l'entité dans le réseau de la tumeur (``contraintes.competence`` : référence
    nationale 1 > coordonnateur 0,9 > centre expert 0,7 > CHU / CLCC 0,4). ``niveau`` : niveau de preuve des
    besoins. ``site_identifie`` : un site FINESS (adresse, point) passe devant une organisation « site non
    précisé » d'une liste curée. ``importance`` : un grand centre devant un petit, à compétence égale.
    ``proximite`` : proximité relative au candidat le plus proche (seulement si la question a un lieu).
    """

    competence: float = 0.45
    niveau: float = 0.15
    pertinence: float = 0.1
    site_identifie: float = 0.1
    importance: float = 0.05
    proximite: float = 0.15


@dataclass(frozen=True, slots=True)
class PoidsOrientation:
    """Une orientation (besoin ou tumeur) : parmi les sites qui ont la preuve, le plus proche d'abord.

    Avec un lieu : ``proximite`` (relative au candidat le plus proche), puis ``niveau`` de preuve, puis
    ``pertinence``. Sans lieu : ``niveau_sans_lieu`` et ``pertinence_sans_lieu``. Dans les deux cas, deux bonus :
    ``population`` (l'offre propre à la population de la question, ``ontologie.besoins.OFFRE_POPULATION`` : une équipe
    AJA pour un jeune adulte, une équipe gériatrique pour une personne âgée ; pondère son niveau de preuve ramené
    à [0, 1] ; assez fort pour passer devant un voisin proche, pas devant une ville lointaine) et
    ``couverture`` (plusieurs soins de support cités : un site qui les couvre tous passe devant un voisin qui
    n'en a qu'un).
    """

    proximite: float = 0.8
    niveau: float = 0.15
    pertinence: float = 0.05
    niveau_sans_lieu: float = 0.5
    pertinence_sans_lieu: float = 0.5
    population: float = 0.5
    couverture: float = 0.3


@dataclass(frozen=True, slots=True)
class Poids:
    """Les poids et seuils du classement, une politique par intention.

    ``lexical`` / ``dense`` : part de chaque index dans la pertinence hybride (choisie par mesure).
    ``echelle_km`` : la proximité vaut 1/2 à cette distance (du lieu, ou du candidat le plus proche).
    ``loin_km`` : au-delà, sans rayon demandé, la réponse dit que le plus proche est loin.
    ``seuil_nom`` : rien de compris, la question n'est cherchée comme un nom que si elle ressemble à ce point
    (``classer.noms.score_noms``, 0 à 1) au nom d'un établissement connu.
    ``seuil_expert`` : compétence minimale (``contraintes.competence``) d'un centre expert de la tumeur pour un
    second avis — la valeur d'un centre expert, membre ou RCP de recours.
    ``part_couverture`` : des besoins alternatifs (soins de support) valent leur meilleur niveau de preuve, dont
    cette part est gardée quoi qu'il arrive et le reste pondéré par la part des alternatives couvertes.
    ``rcp_demandee`` : une RCP demandée (« à quelle RCP présenter… ») : les RCP de recours elles-mêmes passent
    devant les sites qui les organisent (ceux-ci restent proposés après, avec leur rôle). ``rcp_non_demandee`` : sans
    RCP demandée (« quel centre ? »), une RCP passe derrière un centre aussi proche (souvent son propre organisateur),
    pas derrière un centre lointain.
    ``facteur_eloignement`` : un patient d'outre-mer sans site de son territoire pour ce besoin se voit proposer
    les plus proches, jusqu'à ce multiple de la distance du plus proche, pas au-delà (Mayotte → La Réunion, pas
    la métropole à 8 000 km ; la réponse le dit).
    """

    lexical: float = 0.5
    dense: float = 0.5
    echelle_km: float = 25.0
    loin_km: float = 100.0
    seuil_nom: float = 0.7
    seuil_expert: float = 0.7
    part_couverture: float = 0.5
    facteur_eloignement: float = 3.0
    rcp_demandee: float = 1.0
    rcp_non_demandee: float = 0.05
    etablissement: PoidsEtablissement = field(default_factory=PoidsEtablissement)
    second_avis: PoidsSecondAvis = field(default_factory=PoidsSecondAvis)
    orientation: PoidsOrientation = field(default_factory=PoidsOrientation)


#: La politique du produit (celle que mesure ``benchmarks/evaluation.py``).
POIDS = Poids()
