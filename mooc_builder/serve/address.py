"""The addresses `mooc serve` listens on and shows: IPv4 or IPv6, loopback or the whole network."""

from __future__ import annotations

import errno
import ipaddress
import socket


def everywhere(host: str) -> bool:
    """Whether ``host`` stands for every address of the machine (0.0.0.0, ::, or '')."""
    host = bare(host)
    if host == "":
        return True
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def local_addresses() -> list[str]:
    """IPv4 addresses of this machine on its networks (not loopback), for learners to type."""
    found: set[str] = set()
    try:
        import fcntl
        import struct

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _index, name in socket.if_nameindex():
                try:
                    packed = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
                except OSError:
                    continue
                found.add(socket.inet_ntoa(packed[20:24]))
    except (ImportError, OSError):
        pass
    if not found:
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                found.add(str(info[4][0]))
        except OSError:
            pass
    return sorted(a for a in found if not a.startswith("127."))


def bare(host: str) -> str:
    """A host as the socket takes it: an IPv6 address without the brackets of a URL ('[::1]' is '::1')."""
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (127.0.0.0/8, ::1, ::ffff:127.0.0.1, localhost)."""
    host = bare(host)
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def bind_problem(host: str, port: int, exc: OSError) -> str:
    """Why `mooc serve` cannot listen on ``host``:``port``, and what to try instead."""
    where = f"cannot serve on {url_host(host)}:{port}: {exc.strerror or exc}"
    if exc.errno == errno.EADDRINUSE:
        return f"{where} (another program uses that port; try another --port, or --port 0 for any free one)"
    if exc.errno == errno.EACCES and 0 < port < 1024:
        return f"{where} (ports below 1024 need administrator rights; try --port 8000)"
    return (f"{where} (--host must be an address of this machine: 127.0.0.1 or ::1 for this machine alone, "
            "0.0.0.0 or :: for the whole network)")


def url_host(host: str) -> str:
    """A host as a URL writes it: an IPv6 address in brackets."""
    host = bare(host)
    return f"[{host}]" if ":" in host else host


def url_for(host: str, port: int) -> str:
    """The address of the site for a browser on this machine."""
    host = bare(host)
    local = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # what this machine can open
    return f"http://{url_host(local)}:{port}/"
