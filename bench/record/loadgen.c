/* loadgen: the streamtape recorder benchmark's SSE upstream and client, in one small C program.
 *
 *   loadgen upstream PORTFILE             serve /stream?n=N&interval_us=I&phase_us=P on 127.0.0.1:0
 *   loadgen client PORT STREAMS N INTERVAL_US   open STREAMS connections, read N events each, print JSON
 *   loadgen relay UPSTREAM_PORT PORTFILE  relay TCP bytes from 127.0.0.1:0 to the upstream port (the floor)
 *
 * Every event is `data: <seq> <t_ns> <pad>\n\n`, one HTTP chunk, where t_ns is CLOCK_MONOTONIC at
 * send time (or its due time, with LOADGEN_STAMP=deadline); the client notes CLOCK_MONOTONIC when
 * the event's line is complete, so latency is measured end to end on one clock. Single-threaded
 * epoll in each process; 127.0.0.1 only. Client options by environment: LOADGEN_RAW (every latency),
 * LOADGEN_TAG (names each stream in its URL), LOADGEN_BODIES (keeps each stream's body; bench/pg). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }
static void nodelay(int fd) { int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }

/* ---------------------------------------------------------------- upstream */

typedef struct {
    int fd, active, sent_head, slot;
    char req[2048]; size_t req_len;
    long n, seq; uint64_t interval, next_due;
    char *out; size_t out_len, out_cap;
} up_conn;

static up_conn *ups[65536];
/* The open connections, densely: the send loop visits these instead of all 65,536 fd slots (at
   1,000 streams x 100 events/s that scan was about a tenth of the upstream's CPU, which the arm under
   test shares two cores with; most of the rest is the kernel delivering loopback TCP). */
static up_conn *live[65536];
static int n_live;

static void live_add(up_conn *u) { u->slot = n_live; live[n_live++] = u; }

static void live_remove(up_conn *u) {
    live[u->slot] = live[--n_live];
    live[u->slot]->slot = u->slot;
}

static void up_queue(int ep, up_conn *c, const char *data, size_t len) {
    if (c->out_len == 0) {
        ssize_t w = write(c->fd, data, len);
        if (w == (ssize_t)len) return;
        if (w < 0) { if (errno != EAGAIN) { c->active = 0; return; } w = 0; }
        data += w; len -= (size_t)w;
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.fd = c->fd };
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    if (c->out_len + len > c->out_cap) { c->out_cap = (c->out_len + len) * 2; c->out = realloc(c->out, c->out_cap); }
    memcpy(c->out + c->out_len, data, len); c->out_len += len;
}

static long qparam(const char *req, const char *name, long dflt) {
    const char *p = strstr(req, name);
    return p ? atol(p + strlen(name)) : dflt;
}

/* A non-blocking listening socket on 127.0.0.1 and a free port, written to portfile; -1 on failure. */
static int listen_loopback(const char *portfile) {
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(ls, (void *)&a, sizeof a) || listen(ls, 4096)) { perror("bind"); return -1; }
    socklen_t al = sizeof a; getsockname(ls, (void *)&a, &al);
    FILE *f = fopen(portfile, "w"); fprintf(f, "%d\n", ntohs(a.sin_port)); fclose(f);
    nonblock(ls);
    return ls;
}

static int run_upstream(const char *portfile) {
    int ls = listen_loopback(portfile);
    if (ls < 0) return 1;
    /* LOADGEN_STAMP=deadline stamps each event with its due time instead of its send time, so the
       client's latency is a paced server's timing error: the C floor for the replay benchmark. */
    const char *stamp = getenv("LOADGEN_STAMP");
    int stamp_deadline = stamp && strcmp(stamp, "deadline") == 0;
    int ep = epoll_create1(0), tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls }; epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    ev.data.fd = tfd; epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    static char pad[65536]; memset(pad, 'x', sizeof pad);
    struct epoll_event evs[256];
    for (;;) {
        int k = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int c; while ((c = accept(ls, NULL, NULL)) >= 0) {
                    nonblock(c); nodelay(c);
                    up_conn *u = calloc(1, sizeof *u); u->fd = c; u->active = 1; ups[c] = u; live_add(u);
                    struct epoll_event e = { .events = EPOLLIN, .data.fd = c }; epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
                }
            } else if (fd == tfd) {
                uint64_t x; (void)!read(tfd, &x, sizeof x);
            } else {
                up_conn *u = ups[fd]; if (!u) continue;
                if (evs[i].events & EPOLLOUT && u->out_len) {
                    ssize_t w = write(fd, u->out, u->out_len);
                    if (w > 0) { memmove(u->out, u->out + w, u->out_len - (size_t)w); u->out_len -= (size_t)w; }
                    if (u->out_len == 0) { struct epoll_event e = { .events = EPOLLIN, .data.fd = fd }; epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e); }
                }
                if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                    ssize_t r = read(fd, u->req + u->req_len, sizeof u->req - 1 - u->req_len);
                    if (r <= 0) { if (r == 0 || errno != EAGAIN) u->active = 0; }
                    else {
                        u->req_len += (size_t)r; u->req[u->req_len] = 0;
                        if (!u->sent_head && strstr(u->req, "\r\n\r\n")) {
                            u->n = qparam(u->req, "n=", 100);
                            u->interval = (uint64_t)qparam(u->req, "interval_us=", 10000) * 1000;
                            u->next_due = now_ns() + (uint64_t)qparam(u->req, "phase_us=", 0) * 1000;
                            u->sent_head = 1;
                            const char *h = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                            up_queue(ep, u, h, strlen(h));
                        }
                    }
                }
                if (!u->active) { live_remove(u); close(fd); free(u->out); free(u); ups[fd] = NULL; }
            }
        }
        /* send what is due; arm the timer for the next due time */
        uint64_t t = now_ns(), next = 0;
        for (int j = 0; j < n_live; j++) {
            up_conn *u = live[j];
            if (!u->sent_head || u->seq > u->n) continue;
            while (u->active && u->seq <= u->n && u->next_due <= t) {
                char buf[512];
                if (u->seq == u->n) { up_queue(ep, u, "0\r\n\r\n", 5); u->seq++; break; }
                char body[256]; int bl = snprintf(body, sizeof body, "data: %ld %llu %.*s\n\n", u->seq, (unsigned long long)(stamp_deadline ? u->next_due : now_ns()), 40, pad);
                int hl = snprintf(buf, sizeof buf, "%x\r\n%s\r\n", bl, body);
                up_queue(ep, u, buf, (size_t)hl);
                u->seq++; u->next_due += u->interval;
            }
            if (u->active && u->seq <= u->n && (next == 0 || u->next_due < next)) next = u->next_due;
        }
        if (next) {
            struct itimerspec its = { .it_value = { .tv_sec = (time_t)(next / 1000000000ull), .tv_nsec = (long)(next % 1000000000ull) } };
            timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
        }
    }
}

/* ---------------------------------------------------------------- client */

typedef struct {
    int fd, state, in_head; long remaining; long expect_seq; long received, out_of_order;
    char hexbuf[32]; int hexlen; char line[1024]; int line_len; int done;
    char *body; size_t body_len, body_cap;   /* the de-chunked body, kept only with LOADGEN_BODIES */
} cl_conn;

static int keep_bodies;

static void cl_keep(cl_conn *c, char ch) {
    if (c->body_len == c->body_cap) { c->body_cap = c->body_cap ? c->body_cap * 2 : 65536; c->body = realloc(c->body, c->body_cap); }
    c->body[c->body_len++] = ch;
}

static int cmp_u64(const void *a, const void *b) { uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return x < y ? -1 : x > y; }

static uint64_t *lat; static size_t lat_n, lat_cap;

static void cl_line(cl_conn *c, uint64_t t) {
    if (c->line_len > 6 && memcmp(c->line, "data: ", 6) == 0) {
        c->line[c->line_len] = 0;
        long seq; unsigned long long sent;
        if (sscanf(c->line + 6, "%ld %llu", &seq, &sent) == 2) {
            if (seq != c->expect_seq) c->out_of_order++;
            c->expect_seq = seq + 1; c->received++;
            if (lat_n == lat_cap) { lat_cap = lat_cap ? lat_cap * 2 : 65536; lat = realloc(lat, lat_cap * sizeof *lat); }
            lat[lat_n++] = t - sent;
        }
    }
    c->line_len = 0;
}

/* Chunked-transfer decoder feeding an SSE line scanner. States: 0 size line, 1 data, 2 CRLF after data, 3 trailer/end */
static void cl_feed(cl_conn *c, const char *p, size_t n, uint64_t t) {
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (c->in_head) {   /* skip the response head: look for \r\n\r\n */
            c->hexbuf[c->hexlen++ % 4] = ch;
            if (c->hexlen >= 4) {
                int k = c->hexlen;
                if (c->hexbuf[(k - 4) % 4] == '\r' && c->hexbuf[(k - 3) % 4] == '\n' && c->hexbuf[(k - 2) % 4] == '\r' && c->hexbuf[(k - 1) % 4] == '\n') { c->in_head = 0; c->hexlen = 0; }
            }
            continue;
        }
        switch (c->state) {
        case 0:
            if (ch == '\n') { c->hexbuf[c->hexlen] = 0; c->remaining = strtol(c->hexbuf, NULL, 16); c->hexlen = 0; c->state = c->remaining ? 1 : 3; if (!c->remaining) c->done = 1; }
            else if (ch != '\r' && c->hexlen < 30) c->hexbuf[c->hexlen++] = ch;
            break;
        case 1:
            if (keep_bodies) cl_keep(c, ch);
            if (ch == '\n') cl_line(c, t); else if (c->line_len < 1000) c->line[c->line_len++] = ch;
            if (--c->remaining == 0) c->state = 2;
            break;
        case 2:
            if (ch == '\n') c->state = 0;
            break;
        default: break;
        }
    }
}

static int run_client(int port, int streams, long n, long interval_us) {
    /* LOADGEN_TAG=T adds `&tag=T-<i>` to stream i's request, so an archive names each stream;
       LOADGEN_BODIES=DIR writes stream i's de-chunked body to DIR/<i>.body at the end. */
    const char *tag = getenv("LOADGEN_TAG"), *bodies = getenv("LOADGEN_BODIES");
    keep_bodies = bodies != NULL;
    int ep = epoll_create1(0);
    cl_conn *cs = calloc((size_t)streams, sizeof *cs);
    for (int i = 0; i < streams; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (connect(fd, (void *)&a, sizeof a)) { perror("connect"); return 1; }
        nodelay(fd);
        char req[512], tagq[160] = "";
        long phase = interval_us * i / streams;
        if (tag) snprintf(tagq, sizeof tagq, "&tag=%s-%d", tag, i);
        int l = snprintf(req, sizeof req, "GET /stream?n=%ld&interval_us=%ld&phase_us=%ld%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n", n, interval_us, phase, tagq);
        if (write(fd, req, (size_t)l) != l) { perror("write"); return 1; }
        nonblock(fd);
        cs[i].fd = fd; cs[i].in_head = 1;
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i }; epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    int open_n = streams; long closed_early = 0;
    uint64_t deadline = now_ns() + (uint64_t)(n * interval_us) * 1000 + 20000000000ull;
    static char buf[1 << 16]; struct epoll_event evs[256];
    while (open_n > 0 && now_ns() < deadline) {
        int k = epoll_wait(ep, evs, 256, 1000);
        for (int i = 0; i < k; i++) {
            cl_conn *c = &cs[evs[i].data.u32];
            for (;;) {
                ssize_t r = read(c->fd, buf, sizeof buf);
                if (r > 0) { cl_feed(c, buf, (size_t)r, now_ns()); continue; }
                if (r < 0 && errno == EAGAIN) break;
                if (!c->done) closed_early++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); c->fd = -1; open_n--; break;
            }
            if (c->done && c->fd >= 0) { epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); c->fd = -1; open_n--; }
        }
    }
    long received = 0, ooo = 0;
    for (int i = 0; i < streams; i++) { received += cs[i].received; ooo += cs[i].out_of_order; }
    for (int i = 0; bodies && i < streams; i++) {
        char path[4096]; snprintf(path, sizeof path, "%s/%d.body", bodies, i);
        FILE *f = fopen(path, "wb"); if (!f) { perror(path); return 1; }
        fwrite(cs[i].body, 1, cs[i].body_len, f); fclose(f);
    }
    const char *raw = getenv("LOADGEN_RAW");   /* optional: every latency in ns, one per line, for pooling */
    if (raw) { FILE *f = fopen(raw, "w"); for (size_t i = 0; i < lat_n; i++) fprintf(f, "%llu\n", (unsigned long long)lat[i]); fclose(f); }
    qsort(lat, lat_n, sizeof *lat, cmp_u64);
#define PCT(p) (lat_n ? lat[(size_t)((double)(lat_n - 1) * (p))] / 1000.0 : -1.0)
    printf("{\"streams\":%d,\"expected\":%ld,\"received\":%ld,\"lost\":%ld,\"out_of_order\":%ld,\"cut_streams\":%ld,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f}\n",
           streams, (long)streams * n, received, (long)streams * n - received, ooo, closed_early,
           PCT(0.5), PCT(0.9), PCT(0.99), PCT(1.0));
    return 0;
}

/* ---------------------------------------------------------------- relay */

/* The floor arm: the least work any proxy can do per chunk. It parses nothing, stores nothing and
 * copies bytes both ways as they arrive, so each chunk costs it one wake-up, one recv and one send.
 * Whatever a real proxy (streamtape record, mitmproxy) adds on top of this relay is its own cost;
 * what the relay itself adds over direct is what this machine charges for one more hop.
 *
 * One side per socket: `buf` holds bytes read from the peer that the socket did not take yet. A
 * socket is read only while its peer's buffer is empty (backpressure, never unbounded buffering),
 * and EPOLLOUT is watched only while its own buffer holds bytes. Level-triggered epoll. */

#define RELAY_BUF 16384
typedef struct { int fd, peer, eof; uint32_t watched; size_t off, len; char buf[RELAY_BUF]; } rl_side;

static rl_side *rls[65536];

static void rl_watch(int ep, rl_side *s) {
    rl_side *p = rls[s->peer];
    uint32_t want = (s->off < s->len ? EPOLLOUT : 0) | (!s->eof && p->off == p->len ? EPOLLIN : 0);
    if (want == s->watched) return;
    struct epoll_event e = { .events = want, .data.fd = s->fd };
    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &e);
    s->watched = want;
}

static void rl_close(rl_side *s) {   /* closing a socket also removes it from the epoll set */
    int a = s->fd, b = s->peer;
    close(a); close(b); free(rls[a]); free(rls[b]); rls[a] = rls[b] = NULL;
}

/* Write what `s` holds; 0 when the pair is still open, -1 after closing it. */
static int rl_flush(rl_side *s) {
    if (s->off < s->len) {
        ssize_t w = write(s->fd, s->buf + s->off, s->len - s->off);
        if (w < 0 && errno != EAGAIN) { rl_close(s); return -1; }
        if (w > 0) s->off += (size_t)w;
    }
    if (s->off == s->len) {
        s->off = s->len = 0;
        if (rls[s->peer]->eof) { rl_close(s); return -1; }   /* the peer ended and all its bytes are out */
    }
    return 0;
}

/* One recv from `s` into its peer's buffer, then one send to the peer. */
static int rl_pump(rl_side *s) {
    rl_side *p = rls[s->peer];
    ssize_t r = read(s->fd, p->buf, RELAY_BUF);
    if (r < 0 && errno == EAGAIN) return 0;
    if (r <= 0) { s->eof = 1; return rl_flush(p); }   /* EOF or error: close once the peer's bytes are out */
    p->off = 0; p->len = (size_t)r;
    return rl_flush(p);
}

static int run_relay(int upstream_port, const char *portfile) {
    int ls = listen_loopback(portfile);
    if (ls < 0) return 1;
    struct sockaddr_in up = { .sin_family = AF_INET, .sin_port = htons((uint16_t)upstream_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls }; epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    struct epoll_event evs[256];
    signal(SIGPIPE, SIG_IGN);   /* a send to a reset socket returns EPIPE and closes the pair */
    for (;;) {
        int k = epoll_wait(ep, evs, 256, -1), accept_ready = 0;
        for (int i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) { accept_ready = 1; continue; }
            rl_side *s = rls[fd];
            if (!s) continue;   /* closed earlier in this batch */
            uint32_t got = evs[i].events;
            if (got & EPOLLERR) { rl_close(s); continue; }
            if ((got & EPOLLOUT) && rl_flush(s)) continue;
            if (got & (EPOLLIN | EPOLLHUP)) {
                if (!(s->watched & EPOLLIN)) { rl_close(s); continue; }   /* hung up while we were not reading */
                if (rl_pump(s)) continue;
            }
            rl_watch(ep, s); rl_watch(ep, rls[s->peer]);
        }
        /* Accept after the batch, so no event of this batch meets a new pair on a reused fd number. */
        if (!accept_ready) continue;
        int c;
        while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
            /* Non-blocking connect: until it completes, sends to the upstream return EAGAIN and the
             * bytes wait in its buffer for EPOLLOUT, like any partial write. */
            int u = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            if (u < 0 || u >= 65536 || c >= 65536 || (connect(u, (void *)&up, sizeof up) && errno != EINPROGRESS)) {
                close(c); if (u >= 0) close(u); continue;
            }
            nodelay(c); nodelay(u);
            rls[c] = calloc(1, sizeof(rl_side)); rls[u] = calloc(1, sizeof(rl_side));
            *rls[c] = (rl_side){ .fd = c, .peer = u, .watched = EPOLLIN };
            *rls[u] = (rl_side){ .fd = u, .peer = c, .watched = EPOLLIN };
            struct epoll_event e = { .events = EPOLLIN, .data.fd = c }; epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
            e.data.fd = u; epoll_ctl(ep, EPOLL_CTL_ADD, u, &e);
        }
    }
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "upstream")) return run_upstream(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "relay")) return run_relay(atoi(argv[2]), argv[3]);
    if (argc == 6 && !strcmp(argv[1], "client")) return run_client(atoi(argv[2]), atoi(argv[3]), atol(argv[4]), atol(argv[5]));
    fprintf(stderr, "usage: loadgen upstream PORTFILE | loadgen client PORT STREAMS EVENTS INTERVAL_US | loadgen relay UPSTREAM_PORT PORTFILE\n");
    return 2;
}
