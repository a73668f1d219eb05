"""Un site partenaire de démonstration, servi sur une *autre origine* que l'API : il intègre le module par
``<script src="API/widget.js">`` et par une iframe, sous une CSP stricte qui n'autorise que l'API.

Pourquoi un petit serveur à part : l'intégration inter-origines (CORS, CSP de l'hôte, Shadow DOM) ne se prouve
qu'avec deux origines. Lancer : ``python -m api.pages.demo.serveur --api http://127.0.0.1:8000 --port 8001``.
"""

from __future__ import annotations

import argparse
import http.server
import threading
from pathlib import Path
from string import Template

DOSSIER = Path(__file__).resolve().parent


def politique_hote(api: str) -> str:
    """La CSP du site hôte : rien que ses propres styles, et l'API de Boussole pour le script, les appels, l'iframe."""
    return (
        f"default-src 'none'; script-src {api}; connect-src {api}; frame-src {api}; style-src 'self'; "
        "img-src 'self' data:; base-uri 'none'"
    )


def serveur(api: str, hote: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
    """Le serveur du site de démonstration (pas encore démarré) ; ``port=0`` : un port libre."""
    api = api.rstrip("/")
    fichiers = {
        "/": (Template((DOSSIER / "partenaire.html").read_text(encoding="utf-8")).substitute(api=api), "text/html"),
        "/partenaire.css": ((DOSSIER / "partenaire.css").read_text(encoding="utf-8"), "text/css"),
    }

    class Gestionnaire(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - nom imposé par http.server
            trouve = fichiers.get(self.path.split("?", 1)[0])
            if trouve is None:
                self.send_error(404, "introuvable")
                return
            corps = trouve[0].encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", f"{trouve[1]}; charset=utf-8")
            self.send_header("Content-Length", str(len(corps)))
            self.send_header("Content-Security-Policy", politique_hote(api))
            self.end_headers()
            self.wfile.write(corps)

        def log_message(self, *args: object) -> None:
            return

    return http.server.ThreadingHTTPServer((hote, port), Gestionnaire)


def demarrer(api: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Démarre le site de démonstration dans un fil ; rend le serveur et son adresse."""
    s = serveur(api)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s, f"http://127.0.0.1:{s.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Site partenaire de démonstration du module Boussole.")
    parser.add_argument("--api", required=True, help="Adresse de l'API Boussole (ex. http://127.0.0.1:8000).")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    print(f"site partenaire : http://127.0.0.1:{args.port}/ (API {args.api})")
    serveur(args.api, port=args.port).serve_forever()


if __name__ == "__main__":
    main()
