"""Les listes curées (``donnees/curation/*.csv``) : réseaux, centres experts, RCP, OIR, DSRC…

Pourquoi ces listes : rien de public et ouvert ne dit quel site est centre expert d'un réseau cancers rares,
membre d'une OIR pédiatrique ou porteur d'une UCOG. Ces fichiers ont été recopiés à la main de pages publiques
(l'URL de chaque ligne est dans sa colonne ``source``) ; ils sont incomplets (voir ``SOURCES.md``).

Règles communes :

- chaque fichier est **sa** source (``curation-<nom du fichier>``), datée de l'année de la curation ;
- chaque ligne lue est gardée (ou rejetée si elle n'a pas de nom) ; elle garde ``dct:source`` (une URL par
  triplet, la cellule séparant les URL par « | ») et ``bo:ligneSource`` ;
- une cellule « non précisé », « non indiqué », « non trouvé » n'est pas un fait : elle n'est pas reprise ;
- un nom d'établissement est apparié à un site FINESS (``graphe.appariement``) ; apparié, il porte un nœud
  ``bo:Appariement`` (méthode, confiance) ; non apparié, il devient une ``bo:OrganisationSansFiness`` et
  figure dans ``rapport.non_apparies`` ;
- un morceau de texte qui ne nomme visiblement pas un établissement (« 7 villes au total… ») n'est pas inventé
  en organisation : il est signalé en avertissement.

Où lire quoi : ``squelette`` (la ``Liste`` et son lecteur unique), ``cellules`` (lire une cellule),
``organisations`` et ``structures`` (la table de chaque liste), ``listes`` (l'ordre, ``lire_tout``).
"""

