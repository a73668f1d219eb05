"""Sonder un instantané candidat dans un processus enfant borné en mémoire, avant la bascule à chaud.

Pourquoi : un instantané lisible mais corrompu (fichiers du store abîmés), ouvert par le service lui-même, l'a
fait passer de 837 Mo à 21,6 Go en deux minutes. L'enfant ouvre le store en lecture seule et fait une requête
triviale sous ``RLIMIT_AS`` ; s'il échoue, dépasse sa mémoire ou son délai, la bascule est refusée et le
service garde l'instantané qu'il sert.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

#: Mémoire virtuelle de l'enfant (4 Gio : le store national s'ouvre et répond bien en dessous).
MEMOIRE_SONDE = 4 * 1024**3
DELAI_SONDE_S = 60.0

_PROGRAMME = """
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
n = 0
for _ in store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 10"):
    n += 1
for _ in store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }"):
    pass
if n == 0:
    sys.exit("store vide")
"""


def sonder(dossier: Path, memoire: int = MEMOIRE_SONDE, delai_s: float = DELAI_SONDE_S) -> str | None:
    """Rend ``None`` si le store de ``dossier`` s'ouvre et répond dans l'enfant borné, sinon la raison."""

    def borner() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memoire, memoire))

    try:
        fini = subprocess.run(
            [sys.executable, "-c", _PROGRAMME, str(dossier / "store")],
            preexec_fn=borner,  # noqa: PLW1509 - l'enfant ne lance pas de fils avant exec
            capture_output=True,
            timeout=delai_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"la sonde n'a pas répondu en {delai_s:.0f} s"
    if fini.returncode != 0:
        fin = fini.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"code {fini.returncode}"]
        return f"la sonde a échoué (code {fini.returncode}) : {fin[0][:300]}"
    return None
