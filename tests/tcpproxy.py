"""A loopback TCP proxy that a test can cut and restore, to stage a database outage."""

import socket
import threading


class TcpProxy:
    """Forwards 127.0.0.1:<port> to an upstream address.

    `cut()` closes the listening socket and every open connection, as if the
    server went away (new connections are refused); `restore()` listens again on
    the same port. `hold()` stops passing bytes on without closing anything, as a
    network gone silent; `release()` lets them through again.
    """

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = None
        self._listener = None
        self._sockets = set()
        self._lock = threading.Lock()
        self._flowing = threading.Event()
        self._flowing.set()

    def start(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, server))
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while data := src.recv(65536):
                self._flowing.wait()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                self._close(sock)

    def _close(self, sock):
        with self._lock:
            self._sockets.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def cut(self):
        self._flowing.set()  # held bytes go to sockets about to close
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone does not.
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

    def hold(self):
        """Stop passing bytes on, closing nothing: a network gone silent."""
        self._flowing.clear()

    def release(self):
        self._flowing.set()

    def restore(self):
        self.start()

    def stop(self):
        self.cut()
