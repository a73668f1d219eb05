"""Les tables de la SAE CANCERO (``sae/CANCERO_2023r.csv`` et ``sae/CANCERO_2022r.csv``).

Le dictionnaire des variables n'est pas disponible : les sens retenus ici sont **inférés** (cohérents avec les
centres de radiothérapie seule et avec FILTRE), d'où ``bo:sensInfere true`` sur chaque fait :

- ``CANCERO_A1 = 1`` → chimiothérapie déclarée, ``CANCERO_A2 = 1`` → radiothérapie déclarée ;
- ``CANCERO_A12`` → nombre d'appareils de traitement de radiothérapie, gardé en ``bo:ValeurEnquete`` ;
- ``CANCERO_A8`` / ``B8`` / ``C8`` → FINESS de sites partenaires (par ex. le site autorisé avec lequel un site
  associé de chimiothérapie travaille). Chaque valeur est gardée brute (``bo:ValeurEnquete``) ; quand c'est le
  FINESS d'un site de la SAE ID 2023, on ajoute ``site bo:sitePartenaire partenaire``. Beaucoup de ces numéros
  sont des FINESS d'entités juridiques : pas de lien de site dans ce cas, un avertissement le dit.

2022 : les sites sont ceux de la SAE ID 2023 ; une ligne 2022 d'un site absent de l'ID 2023 est rejetée
(« site absent de la SAE ID 2023 ») au lieu d'inventer un site.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal

from graphe.sources.base import finess_valide
from graphe.sources.sae.bordereau import Bordereau, Drapeau, Variable
from graphe.sources.sae.commun import Ecriture, LigneSae, entier
from ontologie import espaces
from ontologie.besoins import CANCERO_SAE
from ontologie.espaces import BO

_LIBELLES: dict[str, str] = {
    "CANCERO_A1": "Chimiothérapie déclarée",
    "CANCERO_A2": "Radiothérapie déclarée",
}
MACHINES = "CANCERO_A12"
PARTENAIRES = ("CANCERO_A8", "CANCERO_B8", "CANCERO_C8")


@dataclass(frozen=True)
class Machines(Variable[int]):
    """Le nombre d'appareils de radiothérapie (sens inféré) : une ``bo:ValeurEnquete``, jamais une preuve."""

    variable: str

    def lire(self, ligne: LigneSae) -> int | None:
        return entier(ligne[self.variable])

    def ecrire(self, e: Ecriture, valeur: int) -> None:
        noeud = e.valeur_brute(
            self.variable,
            e.ligne[self.variable],
            f"Appareils de radiothérapie (sens inféré) : {valeur} — SAE {e.annee}, {self.variable}",
            nombre=valeur,
        )
        e.graphe.add((noeud, BO.sensInfere, Literal(True)))


@dataclass(frozen=True)
class Partenaire(Variable[str]):
    """Un FINESS partenaire : valeur brute gardée ; lien ``bo:sitePartenaire`` s'il désigne un site SAE."""

    variable: str

    def lire(self, ligne: LigneSae) -> str | None:
        return ligne[self.variable] or None

    def ecrire(self, e: Ecriture, valeur: str) -> None:
        fi, n, var = e.ligne.finess, e.ligne.numero, self.variable
        e.valeur_brute(var, valeur, f"FINESS partenaire (sens inféré) : {valeur} — SAE {e.annee}, {var}")
        if not finess_valide(valeur):
            e.rapport.avertir(n, f"{var} = {valeur!r} : pas un FINESS, aucun lien de partenariat")
        elif valeur in e.contexte.etablissements:
            if valeur != fi:
                # Sens inféré : le site déclare travailler avec ce site (voir le docstring du module).
                e.graphe.add((espaces.etablissement(fi), BO.sitePartenaire, espaces.etablissement(valeur)))
        else:
            quoi = "FINESS d'entité juridique" if valeur in e.entites.finess else "FINESS absent de la SAE ID 2023"
            e.rapport.avertir(n, f"{var} = {valeur} ({quoi}) : valeur gardée, pas de lien de site")


def bordereau(annee: str, remplace_par: str | None = None) -> Bordereau:
    """La table de ``sae/CANCERO_{annee}r.csv`` (graphe ``sae-cancero-{annee}``)."""
    return Bordereau(
        source=f"sae-cancero-{annee}",
        fichier=f"sae/CANCERO_{annee}r.csv",
        annee=annee,
        titre=f"SAE {annee} — traitement du cancer (bordereau CANCERO)",
        note="Sens des variables inféré (dictionnaire non publié ici) : CANCERO_A1 chimiothérapie, "
        "CANCERO_A2 radiothérapie, CANCERO_A12 appareils de radiothérapie, CANCERO_A8/B8/C8 FINESS "
        "partenaires. Activités déclarées, jamais des autorisations.",
        variables=(
            *(Drapeau(var, besoin, _LIBELLES[var], infere=True) for var, besoin in CANCERO_SAE.items()),
            Machines(MACHINES),
            *(Partenaire(var) for var in PARTENAIRES),
        ),
        remplace_par=remplace_par,
        si_illisible=f"valeur illisible dans {', '.join(CANCERO_SAE)} (0/1) ou {MACHINES} (entier) "
        "(FINESS {finess})",
    )


CANCERO_2023 = bordereau("2023")
#: Les sites sont ceux de la SAE ID 2023 : une ligne 2022 d'un site absent est rejetée. L'édition 2023 remplace
#: la 2022 : une activité déclarée en 2022 par un site qui a répondu en 2023 sans la déclarer est contredite.
CANCERO_2022 = bordereau("2022", remplace_par=CANCERO_2023.source)
