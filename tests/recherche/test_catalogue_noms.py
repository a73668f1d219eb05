"""La forme de comparaison des noms (``cle_ville``) : mêmes clés pour les variantes, temps linéaire."""

from __future__ import annotations

from graphe.texte import cle_ville


def test_variantes_d_un_meme_nom() -> None:
    assert cle_ville("Paris (14e)") == cle_ville("PARIS") == cle_ville("paris") == "paris"
    assert cle_ville("Saint-Étienne") == "saint etienne"


def test_parentheses_non_fermees() -> None:
    # 20 000 « ( » sans « ) » : l'ancienne expression paresseuse y passait des heures
    assert cle_ville("(" * 20_000 + "Brest") == "brest"
    assert cle_ville("(a(b)c") == "a c"
