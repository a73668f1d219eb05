"""Classer sous contraintes dures : d'abord le graphe (``contraintes``), ensuite le score (``score``).

``poids`` porte chaque poids et seuil du classement (l'objet gelé ``Poids``) ; ``noms`` la ressemblance entre un
nom cherché et les noms des sources, qu'emploient le score d'un établissement et l'exclusion d'une équipe.
"""
