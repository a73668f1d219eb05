"""Les tables des petits bordereaux SAE : un ``Bordereau`` par fichier, lu par ``Bordereau.lire``.

Chaque table dit le fichier, ses colonnes, ses règles de rejet (messages mot pour mot dans le rapport) et ce
que prouve chaque variable (``ontologie.besoins``). Règle de fond : une activité déclarée à la SAE n'est
**jamais** une autorisation.

- **FILTRE 2023** : chaque site apparaît deux fois, ``INIT`` (pré-rempli par la DREES) et ``DECLA`` (ce que le
  site a déclaré) ; les deux divergent pour presque tous les sites, et seule la déclaration engage le site. Les
  lignes ``INIT`` sont hors périmètre : elles ne comptent pas dans ``lues`` et un seul avertissement (ligne 0)
  dit combien ont été ignorées. Chaque variable de ``FILTRE_SAE`` valant ``1`` devient un
  ``bo:ActiviteDeclaree`` ; ``0`` et vide (question non posée) ne produisent rien ; toute autre valeur rejette
  la ligne.
- **PALIA 2023** : les colonnes ``PALIA_A*`` sont codées sans dictionnaire publié, et la preuve d'activité
  palliative vient de FILTRE (``PALIA``, ``EMSP``). On garde seulement, en ``bo:ValeurEnquete`` (jamais une
  preuve), la réponse ``PALIA_A1`` : elle atteste que le site a rempli le questionnaire. Sans elle, la ligne
  est rejetée (rien à garder).
- **DOULEUR 2022** : ``STRUCTURE`` vaut ``Consultation`` ou ``Centre`` (les deux niveaux de labellisation des
  structures douleur chronique) : une activité déclarée du besoin « douleur », son type en
  ``bo:typeStructure``. Le fichier est de 2022, rapporté aux sites de la SAE ID 2023. Vide ou inconnue : rejet.
- **MCOGER 2023** : ``EMGER = 1`` (équipe mobile de gériatrie), ``UGER = 1`` (unité de gériatrie aiguë), et un
  nombre d'évaluations gériatriques ``EVALIH`` (en hospitalisation) ou ``EVALEH`` (externes) strictement
  positif prouvent chacun le besoin « geriatrie », en faits distincts pour que la réponse cite la variable
  exacte. Toutes vides, ou une valeur illisible : rejet.
- **MCOPED 2023** : ``SPED = 1`` (service de pédiatrie) et ``UPED = 1`` (unité de pédiatrie) prouvent chacun le
  besoin « pediatrie ». Les deux vides, ou une valeur autre que 0/1 : rejet.
- **IMAGES 2023** : une ligne par site et type d'équipement (clé de doublon : FINESS, ``EQUIPIMA``). Seuls les
  types de ``EQUIPEMENT_SAE`` (TOMO = TEP, **inféré** ; IRM ; SCAN) répondent à un besoin connu : avec
  ``NB > 0`` ils deviennent un ``bo:EquipementDeclare`` ; les autres types (RADIO, MAMM, CAM…) et les
  ``NB = 0`` restent des ``bo:ValeurEnquete`` (``NB_{type}``). ``NB`` vide ou illisible rejette la ligne.
"""

from __future__ import annotations

from graphe.sources.sae.bordereau import Bordereau, Brute, Choix, Drapeau, Effectif, Equipement
from graphe.sources.sae.commun import Ignorer
from ontologie.besoins import EQUIPEMENT_INFERE, EQUIPEMENT_SAE, FILTRE_SAE, MCOGER_SAE, MCOPED_SAE
from ontologie.espaces import BO

#: Seule la déclaration du site compte dans FILTRE (voir le docstring du module).
STATUT_RETENU = "DECLA"

#: Début de phrase de chaque preuve, accordé (la variable et sa valeur suivent).
_LIBELLES: dict[str, str] = {
    "RTH": "Radiothérapie déclarée",
    "CHIMIO": "Chimiothérapie déclarée",
    "CHIRCANCER": "Chirurgie des cancers déclarée",
    "PALIA": "Soins palliatifs déclarés",
    "EMSP": "Équipe mobile de soins palliatifs déclarée",
    "DOULEUR": "Structure douleur chronique déclarée",
    "EMGER": "Équipe mobile de gériatrie déclarée",
    "UGER": "Unité de gériatrie aiguë déclarée",
    "SPED": "Service de pédiatrie déclaré",
    "UPED": "Unité de pédiatrie déclarée",
}


def _drapeaux(besoins: dict[str, str]) -> tuple[Drapeau, ...]:
    """Une case 0/1 par variable de la table des besoins, dans son ordre."""
    return tuple(Drapeau(variable, besoin, _LIBELLES[variable]) for variable, besoin in besoins.items())


FILTRE = Bordereau(
    source="sae-filtre-2023",
    fichier="sae/FILTRE_2023r.csv",
    annee="2023",
    titre="SAE 2023 — filtres d'activité (bordereau FILTRE, lignes DECLA)",
    note="Activités déclarées par les sites (STATUT = DECLA). Une activité déclarée n'est pas une "
    "autorisation. Lignes INIT (pré-remplissage) ignorées par règle.",
    variables=_drapeaux(FILTRE_SAE),
    si_illisible="valeur non 0/1 : {fautives} (FINESS {finess})",
    autres_colonnes=("STATUT",),
    ignorer=Ignorer(
        lambda ligne: ligne["STATUT"].strip() != STATUT_RETENU,
        f"STATUT ≠ {STATUT_RETENU} : règle, on ne retient que la déclaration du site, "
        "pas le pré-remplissage INIT",
    ),
)

PALIA = Bordereau(
    source="sae-palia-2023",
    fichier="sae/PALIA_2023r.csv",
    annee="2023",
    titre="SAE 2023 — soins palliatifs (bordereau PALIA)",
    note="Seule la réponse PALIA_A1 est gardée, comme valeur brute (sens non documenté). "
    "L'activité palliative déclarée vient de FILTRE.",
    variables=(
        Brute(
            "PALIA_A1",
            "Questionnaire soins palliatifs SAE {annee} rempli ({variable} = {valeur}, sens non documenté)",
        ),
    ),
    si_vide="PALIA_A1 vide : rien à garder (FINESS {finess})",
)

DOULEUR = Bordereau(
    source="sae-douleur-2022",
    fichier="sae/DOULEUR_2022a.csv",
    annee="2022",
    titre="SAE 2022 — structures douleur chronique (bordereau DOULEUR)",
    note="Type de structure (Consultation / Centre) déclaré en 2022, rapporté aux sites de la SAE ID 2023.",
    variables=(
        Choix(
            "STRUCTURE",
            ("Consultation", "Centre"),
            besoin="douleur",
            activite="DOULEUR_STRUCTURE",
            predicat=BO.typeStructure,
            libelle="Structure douleur chronique ({valeur}) déclarée à la SAE {annee}",
        ),
    ),
    si_illisible="STRUCTURE {valeur!r} : ni Consultation ni Centre (FINESS {finess})",
)

MCOGER = Bordereau(
    source="sae-mcoger-2023",
    fichier="sae/MCOGER_2023r.csv",
    annee="2023",
    titre="SAE 2023 — gériatrie (bordereau MCOGER)",
    note="Équipe mobile (EMGER), unité de gériatrie aiguë (UGER), évaluations gériatriques (EVALIH, "
    "EVALEH) : activités déclarées, pas des autorisations.",
    variables=(
        *_drapeaux(MCOGER_SAE),
        Effectif(
            "EVALIH",
            "geriatrie",
            "Évaluations gériatriques en hospitalisation déclarées : {nombre} (SAE {annee}, variable {variable})",
        ),
        Effectif(
            "EVALEH",
            "geriatrie",
            "Évaluations gériatriques externes déclarées : {nombre} (SAE {annee}, variable {variable})",
        ),
    ),
    si_vide="aucune des variables {variables} renseignée (FINESS {finess})",
    si_illisible="valeur illisible dans {variables} (FINESS {finess})",
)

MCOPED = Bordereau(
    source="sae-mcoped-2023",
    fichier="sae/MCOPED_2023r.csv",
    annee="2023",
    titre="SAE 2023 — pédiatrie (bordereau MCOPED)",
    note="Service (SPED) et unité (UPED) de pédiatrie déclarés : activités déclarées, pas des autorisations.",
    variables=_drapeaux(MCOPED_SAE),
    si_vide="SPED et UPED vides (FINESS {finess})",
    si_illisible="valeur non 0/1 : {fautives} (FINESS {finess})",
)

IMAGES = Bordereau(
    source="sae-images-2023",
    fichier="sae/IMAGES_2023r.csv",
    annee="2023",
    titre="SAE 2023 — équipements d'imagerie (bordereau IMAGES)",
    note="TOMO lu comme TEP-scan (sens inféré). Équipements déclarés, pas des autorisations "
    "d'équipement lourd.",
    variables=(
        Equipement(
            "NB",
            colonne_type="EQUIPIMA",
            besoins=EQUIPEMENT_SAE,
            inferes=EQUIPEMENT_INFERE,
            libelles={
                "TOMO": "TEP-scan (tomographe à émission de positons, sens inféré de TOMO)",
                "IRM": "IRM",
                "SCAN": "Scanner",
            },
        ),
    ),
    cle=("EQUIPIMA",),
    si_vide="EQUIPIMA vide (FINESS {finess})",
    colonnes_vides=("EQUIPIMA",),
    si_illisible="NB illisible : {valeur!r} (FINESS {finess}, {cle})",
    si_absent="NB vide (FINESS {finess}, {cle})",
)
