"""La politique de sécurité des pages (CSP) et la liste des API que /widget accepte en paramètre.

Pourquoi une politique stricte (``script-src 'self'``, rien en ligne) : une page de santé ne doit exécuter que
les scripts de son propre service ; un texte du graphe mal échappé ne peut alors rien exécuter. Pourquoi une liste
d'API autorisées : sans elle, ``/widget?api=https://ailleurs`` afficherait sur l'origine de Boussole les réponses
d'un autre serveur (de faux sites « autorisés »).
"""

from __future__ import annotations

from urllib.parse import urlsplit


def politique(connect: list[str] | None = None, style_en_ligne: bool = False) -> str:
    """L'en-tête Content-Security-Policy d'une page de Boussole.

    :param connect: origines supplémentaires que les scripts de la page peuvent appeler (API autorisée).
    :param style_en_ligne: styles en ligne permis (Swagger UI en pose) ; jamais les scripts.
    """
    style = "'self' 'unsafe-inline'" if style_en_ligne else "'self'"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {style}",
            "img-src 'self' data:",
            "connect-src " + " ".join(["'self'", *(connect or [])]),
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors *",
        ]
    )


def entetes(connect: list[str] | None = None, style_en_ligne: bool = False) -> dict[str, str]:
    """Les en-têtes de sécurité d'une page HTML."""
    return {
        "Content-Security-Policy": politique(connect, style_en_ligne),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def origine(adresse: str) -> str | None:
    """L'origine (schéma://hôte[:port]) d'une adresse http(s), ou None si elle n'en est pas une."""
    try:
        morceaux = urlsplit(adresse.strip())
    except ValueError:
        return None
    if morceaux.scheme not in ("http", "https") or not morceaux.hostname:
        return None
    if morceaux.username or morceaux.password or morceaux.path not in ("", "/") or morceaux.query:
        return None
    return f"{morceaux.scheme}://{morceaux.netloc.lower()}"


def api_autorisee(adresse: str, autorisees: list[str]) -> str | None:
    """L'origine de ``adresse`` si elle figure dans la liste (comparée origine à origine), sinon None."""
    cible = origine(adresse)
    if cible is None:
        return None
    permises = {o for o in (origine(a) for a in autorisees) if o}
    return cible if cible in permises else None
