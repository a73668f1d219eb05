"""Normalisation et découpage du français tel que les usagers le tapent.

Pourquoi : « St-Étienne », « saint etienne », « ST ETIENNE », « radiotherapie » et « radiothérapie »
doivent se rencontrer. Tout ce qui compare des mots (thésaurus, communes, noms d'établissement) passe par la
même forme : celle de ``graphe.texte.forme`` (minuscules, sans accents, ligatures dépliées, tout ce qui n'est
ni lettre ni chiffre remplacé par une espace), plus une étape propre aux questions : les abréviations
développées (« St » → « saint »).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from graphe.texte import forme

_JETON: Final = re.compile(r"[^\W_]+")


def mots(texte: str) -> frozenset[str]:
    """Ensemble de mots écrit comme un texte (plus lisible qu'une longue liste de chaînes)."""
    return frozenset(texte.split())


#: Abréviations développées à la normalisation (noms de communes surtout).
ABREVIATIONS: Final[dict[str, str]] = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

#: Mots outils : ne portent ni besoin ni lieu, ne sont jamais « non compris ».
MOTS_VIDES: Final[frozenset[str]] = (
    mots("""a au aux avec ce ces cet cette chez d dans de des du elle en et il j je l la le les leur
    leurs lui m ma
    me mes mon n ne nous on ou par pas pour qu que quel quelle quelles quels qui quoi s sa sans se ses son sur
    t ta te tes ton un une vers vos votre vous y est sont suis etre avoir ai a ont peut peux faut doit si
    plus moins tres bien car donc mais ni or tout tous toute toutes autre autres meme aussi deja encore
    ici la comment combien eu bu moi toi eux quand pourquoi ou svp merci bonjour""")
)

#: Mots du domaine trop généraux pour porter une contrainte, mais compris (pas « non compris »).
MOTS_GENERIQUES: Final[frozenset[str]] = (
    mots("""cancer cancers tumeur tumeurs maligne malin malignes carcinome k patient patiente patients
    patientes
    malade malades personne personnes monsieur madame mr mme homme femme mari epouse pere mere fils fille
    soeur frere ami amie proche proches famille an ans mois age agee ages semaine semaines
    adresser orienter orientation cherche chercher recherche trouver faire besoin besoins prise charge pris
    prendre soin soins traitement traitements traiter soigner soigne consultation consultations consulter
    rendez vous rdv service services centre centres hopital hopitaux clinique cliniques etablissement
    etablissements structure structures equipe equipes medecin medecins docteur dr professeur pr
    specialiste specialistes
    oncologue oncologie cancerologie cancerologue possible possibles meilleur meilleure plus proche proches
    pres loin autour region departement ville commune secteur endroit lieu lieux ou adresse adresses
    diagnostic diagnostique diagnostiquee diagnostique atteint atteinte atteints stade grade metastase
    metastases metastatique recidive suspicion suspect suspecte bilan avant apres pendant depuis lors
    quelqu un liste dossier cas situation type prise urgent urgence rapidement vite nouveau nouvelle
    domicile maison km kilometres kilometre rayon maximum max environ heure heures minutes voiture
    trajet distance habitant habitante habitants habite habitent domicilie domiciliee vit reside residant
    residante originaire
    numero telephone contact contacter joindre site sites offre offres disponible disponibles dispose
    propose proposent proposer pratique pratiquent realiser realise fait font faites""")
)


def normaliser(texte: str) -> str:
    """Forme de comparaison : ``graphe.texte.forme``, abréviations développées (« st » → « saint »)."""
    return " ".join(ABREVIATIONS.get(m, m) for m in forme(texte).split())


@dataclass(frozen=True, slots=True)
class Jeton:
    """Un mot de la question : sa forme normalisée et sa position dans le texte d'origine."""

    forme: str
    original: str
    debut: int
    fin: int

    @property
    def capitalise(self) -> bool:
        """Commence par une majuscule : indice de nom propre (« Pau », « Reims »)."""
        return self.original[:1].isupper()

    @property
    def sigle(self) -> bool:
        """Tout en majuscules et plus d'une lettre (« TEP », « CHU », « PARIS »)."""
        lettres = [c for c in self.original if c.isalpha()]
        return len(lettres) > 1 and all(c.isupper() for c in lettres)

    @property
    def nombre(self) -> bool:
        return self.forme.isdigit()


def jetons(texte: str) -> list[Jeton]:
    """Découpe en mots (lettres et chiffres) ; apostrophes, tirets et ponctuation séparent."""
    resultat: list[Jeton] = []
    for m in _JETON.finditer(texte):
        for sous in normaliser(m.group()).split():
            resultat.append(Jeton(sous, m.group(), m.start(), m.end()))
    return resultat


def forme_cle(texte: str) -> tuple[str, ...]:
    """Suite de formes normalisées d'un libellé : la clé des index (thésaurus, communes)."""
    return tuple(normaliser(texte).split())


def ponctuation_entre(texte: str, fin_avant: int, debut_apres: int) -> bool:
    """Vrai si une ponctuation forte sépare deux mots (virgule, deux-points, parenthèse...)."""
    return bool(re.search(r"[,;:.!?()\[\]/]", texte[fin_avant:debut_apres]))


def commence(formes: Sequence[str], i: int, motif: tuple[str, ...]) -> bool:
    """Vrai si les mots de la question, à partir du mot ``i``, commencent par ``motif``."""
    return tuple(formes[i : i + len(motif)]) == motif


def employes(avant: Sequence[bool], apres: Sequence[bool]) -> frozenset[int]:
    """Positions qu'un repérage a employées : libres avant lui, plus après.

    Pourquoi : chaque repérage reçoit les mots encore libres sans pouvoir les modifier, et rend ceux qu'il a
    lus ; seul ``Comprehenseur.comprendre`` tient la liste et décide de l'ordre des étapes.
    """
    return frozenset(k for k, (a, b) in enumerate(zip(avant, apres, strict=True)) if a and not b)
