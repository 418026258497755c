"""The fault campaign's SSE upstream, run as its own process: `python3 upstream.py PORTFILE`.

GET /s?id=ID&n=N&gap_ms=G&pad=P[&reset=K] answers 200 text/event-stream, chunked, with N events
`data: ID SEQ <P bytes>\\n\\n`, one HTTP chunk each, G ms apart, then the last chunk. With reset=K it
sends K events and then resets the connection (SO_LINGER 0: an RST, not a FIN); reset=-1 resets
before the response head. Listens on 127.0.0.1 only; the port goes to PORTFILE.
"""
import asyncio
import socket
import struct
import sys
from urllib.parse import parse_qs, urlsplit


def reset(writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def serve(reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        target = head.split(b" ", 2)[1].decode()
        q = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        ident, n, gap = q.get("id", "0"), int(q.get("n", "10")), int(q.get("gap_ms", "10")) / 1000
        pad, cut = "x" * int(q.get("pad", "0")), int(q.get("reset", str(n + 1)))
        if cut < 0:
            return reset(writer)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
        for seq in range(n):
            if seq == cut:
                return reset(writer)
            event = f"data: {ident} {seq} {pad}\n\n".encode()
            writer.write(b"%x\r\n%s\r\n" % (len(event), event))
            await writer.drain()
            await asyncio.sleep(gap)
        if cut == n:
            return reset(writer)
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        writer.close()
    except (ConnectionError, asyncio.IncompleteReadError, OSError):
        writer.transport.abort()


async def main(portfile):
    server = await asyncio.start_server(serve, "127.0.0.1", 0, backlog=4096)
    with open(portfile, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
