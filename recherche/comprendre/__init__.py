"""Comprendre une question en français : question → ``Comprehension`` (``comprehension.Comprehenseur``).

Un module par sorte de repère : ``lexique`` (forme normalisée, jetons, mots vides), ``termes`` (concepts du
thésaurus), ``lieux`` (repérage des lieux dans la question) sur ``repertoire`` (communes, départements, régions,
et le ``Lieu`` typé rendu), ``second_avis`` (demande de second avis, équipe en charge), ``etablissements`` (noms
d'établissement, sigles), ``mesures`` (âge, rayon).
"""
