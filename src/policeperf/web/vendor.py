"""The Vega, Vega-Lite and Vega-Embed JavaScript the dashboard's charts run on, served locally.

The bundle is made by vl-convert (``javascript_bundle()``); the browser draws with it the
Vega-Lite specs that the report's chart functions return beside their SVG (the report draws its
SVG itself, see docs/charts.md). It is about 0.9 MB, so it is not kept in the repository: it is
generated once per vl-convert version (a few seconds), cached on disk and served from there.
Licences: vl-convert, Vega, Vega-Lite and Vega-Embed are BSD-3-Clause; see
static/THIRD-PARTY.txt. Nothing is fetched from the network.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from policeperf.cache_dir import user_cache_dir

__all__ = ["VegaBundle", "default_cache_dir"]

# What the bundle exposes: the three libraries as globals, as vl-convert's default snippet does.
_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/policeperf``, else ``~/.cache/policeperf``."""
    return user_cache_dir()


class VegaBundle:
    """The bundle file: made in the background at start-up, waited for by its first request."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._text: bytes | None = None
        self._error: BaseException | None = None
        self._started = False

    def versions(self) -> str:
        """"vega 6.2.0, vega-lite 6.4, vega-embed 7.0.2"."""
        import vl_convert as vlc

        return (f"vega {vlc.get_vega_version()}, vega-lite {vlc.get_vegalite_versions()[-1]}, "
                f"vega-embed {vlc.get_vega_embed_version()}")

    def path(self) -> Path:
        """Where this vl-convert's bundle is cached."""
        key = hashlib.sha256(self.versions().encode()).hexdigest()[:12]
        return self.cache_dir / f"vega-bundle-{key}.js"

    def start(self) -> None:
        """Make the bundle in a background thread (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._make, name="vega-bundle", daemon=True).start()

    def _make(self) -> None:
        try:
            path = self.path()
            if not path.is_file():
                import vl_convert as vlc

                header = (f"/* {self.versions()}: bundled by vl-convert (BSD-3-Clause); "
                          "licences in /static/THIRD-PARTY.txt */\n")
                text = header + vlc.javascript_bundle(_SNIPPET)
                path.parent.mkdir(parents=True, exist_ok=True)
                work = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                work.write_text(text, encoding="utf-8")
                os.replace(work, path)  # atomic: another server may be making it too
            self._text = path.read_bytes()
        except BaseException as exc:  # reported to the request that waits for it
            self._error = exc
        finally:
            self._ready.set()

    def get(self, timeout: float = 120.0) -> bytes:
        """The bundle's bytes, waiting for it to be made if needed."""
        self.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the chart library is still being prepared; reload the page")
        if self._error is not None:
            raise RuntimeError(f"could not prepare the chart library: {self._error}")
        assert self._text is not None
        return self._text
