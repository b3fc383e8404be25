"""Requests per second the fake service serves for ``get=1`` of 10 000 contacts, in each fmt;
then for ``send.php`` (one message to one number) and ``status.php`` (one message, and a list
of 100) among ``--messages`` messages already sent.

    python benches/bench_service.py [--contacts 10000] [--messages 10000] [--seconds 3] [--clients 1]

Runs the service on werkzeug over loopback, seeded with the benchmark corpus, and times a plain
urllib client (``--clients`` threads, each its own connection) asking for the whole list; the
"in process" column is ``Service.respond`` alone (reading the request, encoding the reply), so the
difference is what HTTP and the server cost. Rate limit off; charset utf-8.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import contacts

from fmtcodec.kit.serve import Server
from fmtcodec.kit.service import Account, Service


def _rate(work, seconds: float, clients: int = 1) -> tuple[float, int]:
    """(calls per second, bytes of one reply) running ``work`` in ``clients`` threads."""
    size = len(work())  # warm up, and the reply size
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def loop(slot: int) -> None:
        while time.perf_counter() < stop:
            work()
            done[slot] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - start), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=1)
    options = parser.parse_args()

    service = Service(account=Account("bench", "bench"), rate_limit=False)
    for record in contacts(options.contacts):
        service.store.phones.put_contact(record)
    print(f"get=1 of {options.contacts} contacts, {options.clients} client(s), {options.seconds:g} s a fmt")
    print(f"{'fmt':>3}  {'reply bytes':>11}  {'HTTP req/s':>10}  {'HTTP MB/s':>9}  {'in process req/s':>16}")
    with Server(service) as server:
        for fmt in (0, 1, 2, 3):
            query = f"login=bench&psw=bench&get=1&fmt={fmt}&charset=utf-8"
            url = f"{server.url}sys/phones.php?{query}"

            def over_http(url: str = url) -> bytes:
                with urllib.request.urlopen(url, timeout=60) as reply:
                    return bytes(reply.read())

            def in_process(query: str = query) -> bytes:
                return service.respond("GET", "/sys/phones.php", query.encode()).body

            http_rate, size = _rate(over_http, options.seconds, options.clients)
            local_rate, _ = _rate(in_process, options.seconds)
            print(
                f"{fmt:>3}  {size:>11}  {http_rate:>10.1f}  {http_rate * size / 1e6:>9.1f}  {local_rate:>16.1f}"
            )
    _sending(options)


def _sending(options: argparse.Namespace) -> None:
    """send and status: each request a distinct text (a real client's sends differ), statuses of
    a message in the middle of the outbox and of 100 of them."""
    service = Service(account=Account("bench", "bench"), rate_limit=False, balance="1e12")
    for index in range(options.messages):
        service.respond(
            "GET", "/sys/send.php", f"login=bench&psw=bench&phones=7999{index:07d}&mes=m{index}".encode()
        )
    middle = options.messages // 2
    ids = ",".join(str(index + 1) for index in range(middle, middle + 100))
    phones = ",".join(f"7999{index:07d}" for index in range(middle, middle + 100))
    queries = {
        "send": "phones=79991234567&mes=Your+code+is+{n}",
        "status": f"phone=7999{middle:07d}&id={middle + 1}&all=1",
        "status x100": f"phone={phones}&id={ids}",
    }
    print(f"\nsend and status, {options.messages} messages in the outbox, {options.clients} client(s)")
    print(f"{'page':>11}  {'fmt':>3}  {'reply bytes':>11}  {'HTTP req/s':>10}  {'in process req/s':>16}")
    counter = iter(range(10**12))
    with Server(service) as server:
        for page, template in queries.items():
            path = "/sys/send.php" if page == "send" else "/sys/status.php"
            for fmt in (0, 1, 2, 3):
                base = f"login=bench&psw=bench&fmt={fmt}&charset=utf-8&{template}"

                def over_http(base: str = base, path: str = path) -> bytes:
                    url = f"{server.url}{path[1:]}?{base.format(n=next(counter))}"
                    with urllib.request.urlopen(url, timeout=60) as reply:
                        return bytes(reply.read())

                def in_process(base: str = base, path: str = path) -> bytes:
                    return service.respond("GET", path, base.format(n=next(counter)).encode()).body

                http_rate, size = _rate(over_http, options.seconds, options.clients)
                local_rate, _ = _rate(in_process, options.seconds)
                print(f"{page:>11}  {fmt:>3}  {size:>11}  {http_rate:>10.1f}  {local_rate:>16.1f}")


if __name__ == "__main__":
    main()
