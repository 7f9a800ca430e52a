"""Print the report's PDF in a second process, started before the report is computed.

A report's PDF stage begins by importing WeasyPrint (about 0.5 s of CPU: cffi parses Pango's C
declarations in Python) and setting up its fonts. Done on a thread of the main process, that
work holds the GIL against the measures being computed; in a process of its own it runs on the
second core while the first computes, and is finished by the time the HTML is ready. The child
then lays out and writes the PDF (render/pdf.py, the same function as in-process printing).

The child never writes to the terminal: its standard error is captured, an error it reports
comes back as an exception of the same kind in this process (:meth:`PdfPrinter.print_pdf`), and
if this process ends or fails first the child sees its input close and exits.

Protocol on the child's standard input: one line of JSON (``{"path": ...}``), then the HTML
(UTF-8) to the end. On its standard output: one line of JSON, ``{"ok": true}`` or ``{"error":
message, "type": class name, "detail": traceback}``.
"""

from __future__ import annotations

import builtins
import gc
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["PdfPrinter", "PdfProcessError"]


class PdfProcessError(RuntimeError):
    """The PDF process failed in a way that is not a user's error (the detail says how)."""


class PdfPrinter:
    """A child process that loads the PDF engine at once and prints one document when given it.

    Use as a context manager (or call :meth:`close`); print one document at most.
    """

    def __init__(self) -> None:
        self._errors = tempfile.TemporaryFile()  # a file, not a pipe: it can never fill up
        self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-m", "policeperf.render.pdf_process"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors)
        self._path: Path | None = None

    def send(self, html: str, path: Path | str) -> None:
        """Hand the child the document to print at ``path``; it prints while this process goes
        on (collect the outcome with :meth:`result`)."""
        child = self._child
        if child is None or self._path is not None or child.stdin is None:
            raise PdfProcessError("the PDF process has already been given its document")
        self._path = Path(path)
        header = json.dumps({"path": str(self._path.resolve())}).encode() + b"\n"
        try:
            child.stdin.write(header + html.encode("utf-8"))
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child died: result() says how

    def result(self) -> Path:
        """Wait for the child; the path of the PDF it wrote.

        Raises:
            ExternalResourceError: The HTML refers to a resource outside itself.
            OSError: The PDF could not be written.
            PdfProcessError: The child failed otherwise (its traceback in the message).
        """
        child, path, self._child = self._child, self._path, None
        if child is None or path is None or child.stdout is None:
            raise PdfProcessError("the PDF process was not given a document")
        out = child.stdout.read()
        child.wait()
        try:
            answer = json.loads(out.decode("utf-8").strip().splitlines()[-1])
        except (ValueError, IndexError):
            self._errors.seek(0)
            detail = self._errors.read().decode(errors="replace")
            raise PdfProcessError(f"the PDF process ended with code {child.returncode} and no "
                                  f"answer; its error output: {detail}") from None
        if answer.get("ok"):
            return path
        raise _as_exception(answer, path)

    def print_pdf(self, html: str, path: Path | str) -> Path:
        """:meth:`send` then :meth:`result`."""
        self.send(html, path)
        return self.result()

    def close(self) -> None:
        """End the child if it has not printed (it exits when its input closes)."""
        child, self._child = self._child, None
        try:
            if child is not None:
                if child.stdin is not None and not child.stdin.closed:
                    child.stdin.close()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
                if child.stdout is not None:
                    child.stdout.close()
        finally:
            self._errors.close()

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _as_exception(answer: dict[str, str], path: Path) -> Exception:
    """The child's error as an exception of the same kind here."""
    kind, message = answer.get("type", ""), answer.get("error", "")
    if kind == "ExternalResourceError":
        from policeperf.render.pdf import ExternalResourceError

        return ExternalResourceError(message)
    error = getattr(builtins, kind, None)
    if isinstance(error, type) and issubclass(error, OSError):
        return error(message)
    return PdfProcessError(f"printing {path} failed: {kind}: {message}\n"
                           f"{answer.get('detail', '')}")


def _serve() -> int:
    """The child: load the engine, then print the one document it is sent."""
    import traceback

    from policeperf.render import pdf

    pdf.warm_up()
    # One document and then exit: the cyclic garbage collector would walk WeasyPrint's boxes
    # again and again (about 12% of the printing time) to free almost nothing (peak memory
    # 143 MiB with it, 149 MiB without, for the example report).
    gc.collect()
    gc.freeze()
    gc.disable()
    stdin, stdout = sys.stdin.buffer, sys.stdout
    header = stdin.readline()
    if not header.strip():
        return 0  # the report was not printed after all (an error, or --final refused it)
    html = stdin.read().decode("utf-8")
    try:
        pdf.html_to_pdf(html, json.loads(header)["path"])
        answer: dict[str, object] = {"ok": True}
    # Every failure goes back to the parent (WeasyPrint's fatal fetch error is not an Exception).
    except BaseException as exc:  # noqa: BLE001
        answer = {"error": str(exc), "type": type(exc).__name__,
                  "detail": traceback.format_exc()}
    stdout.write(json.dumps(answer) + "\n")
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
