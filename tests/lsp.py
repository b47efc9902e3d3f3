"""A small Language Server Protocol client over stdio, enough to hold the schemas against Red Hat's
yaml-language-server (tests/test_editor.py) as VS Code's YAML extension drives it: open a file, read its
diagnostics, ask for completion and hover.

Every wait is bounded; the server is ended (killed if need be) when the client closes.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

TIMEOUT = 20.0  # seconds for one answer: the server answers in milliseconds once started


class LanguageServer:
    """The server as a child process; ``settings`` is what the client answers to workspace/configuration."""

    def __init__(self, command: list[str], root: Path, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, cwd=root)
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._notes: queue.Queue[dict[str, Any]] = queue.Queue()
        self.asked: list[str] = []  # the methods the server asked the client
        self._next = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr or []), daemon=True).start()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}

    # --- the wire ---------------------------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                continue
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:
                self._answer(message)
            elif "id" in message:
                self._answers.setdefault(message["id"], queue.Queue()).put(message)
            else:
                self._notes.put(message)

    def _answer(self, request: dict[str, Any]) -> None:
        """What VS Code answers to the server's own requests."""
        method = request["method"]
        self.asked.append(method)
        result: Any = None
        if method == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in request["params"]["items"]]
        self._send({"id": request["id"], "result": result})

    def request(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        self._next += 1
        ident = self._next
        box = self._answers.setdefault(ident, queue.Queue())
        self._send({"id": ident, "method": method, "params": params})
        try:
            answer = box.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no answer to {method} in {timeout} s: {self.errors()}") from None
        assert "error" not in answer, answer
        return answer.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def errors(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")[-2000:]

    # --- what the tests ask -----------------------------------------------------------------------------------

    def initialize(self, root: Path) -> None:
        capabilities = {
            "workspace": {"configuration": True, "workspaceFolders": True,
                          "didChangeConfiguration": {"dynamicRegistration": True}},
            "textDocument": {
                "synchronization": {"dynamicRegistration": True},
                "publishDiagnostics": {"relatedInformation": True},
                "completion": {"completionItem": {"snippetSupport": True,
                                                  "documentationFormat": ["markdown", "plaintext"]}},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            },
        }
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities,
                                    "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        """Opens ``path`` (with ``text`` as the editor holds it, else as on disk); its URI."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": version,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return uri

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics_of(self, uri: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for ``uri`` once it has read its schema."""
        while uri not in self.diagnostics:
            try:
                note = self._notes.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no diagnostics for {uri} in {timeout} s: {self.errors()}") from None
            if note.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[note["params"]["uri"]] = note["params"]["diagnostics"]
        return self.diagnostics[uri]

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                          "position": {"line": line, "character": character}})
        return list(result["items"] if isinstance(result, dict) else result or [])

    def hover(self, uri: str, line: int, character: int) -> str:
        result = self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": line, "character": character}})
        if not result:
            return ""
        contents = result["contents"]
        return contents["value"] if isinstance(contents, dict) else str(contents)

    def shutdown(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=5)
                self.notify("exit", None)
                self.process.wait(timeout=5)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=5)
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
