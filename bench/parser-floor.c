// The floor for the parser row of bench/parser.sh: a minimal C program doing the same job on the same
// synthetic stream (1,000,000 OpenAI-style events in 4 KiB chunks). It splits lines (memchr, LF only),
// gathers `data:` values, and on each blank line copies the data into its own allocation and appends an
// event record (index, type, data, id, byte span, chunks) to a reserved array, as SSEParser does, but
// with no UTF-8 check, no CR handling, no BOM, no facts. Every round frees what it made. Rates are per
// CPU second of the thread, best of 5 rounds, the same measure as streamtape-bench.
// Build and run: cc -O2 -o /tmp/parser-floor bench/parser-floor.c && /tmp/parser-floor [events]
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    long index;
    const char *type;
    char *data;
    long length;
    const char *id;
    long start, end, first_chunk, last_chunk;
} event;

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Parses the chunks into a fresh event array; returns the event count (the array in *out).
static long parse(char **chunks, long *sizes, long count, long total, event **out) {
    long capacity = total / 32, n = 0, offset = 0, event_start = -1, start_chunk = 0;
    event *events = malloc(sizeof(event) * capacity);
    char *line = malloc(1 << 16), *data = malloc(1 << 16);
    long line_len = 0, data_len = 0;
    int has_data = 0;
    for (long c = 0; c < count; c++) {
        char *p = chunks[c], *end = p + sizes[c];
        while (p < end) {
            char *lf = memchr(p, '\n', end - p);
            long take = (lf ? lf : end) - p;
            if (line_len == 0 && take > 0 && event_start < 0) { event_start = offset; start_chunk = c; }
            memcpy(line + line_len, p, take);
            line_len += take;
            offset += take;
            if (!lf) break;
            p = lf + 1;
            offset += 1;
            if (line_len == 0) {   // blank line: dispatch
                if (has_data) {
                    if (n == capacity) { capacity *= 2; events = realloc(events, sizeof(event) * capacity); }
                    char *copy = malloc(data_len);
                    memcpy(copy, data, data_len - 1);
                    copy[data_len - 1] = 0;
                    events[n] = (event){n, "message", copy, data_len - 1, "", event_start, offset, start_chunk, c};
                    n++;
                }
                data_len = 0;
                has_data = 0;
                event_start = -1;
            } else if (line_len >= 5 && memcmp(line, "data:", 5) == 0) {
                long v = (line_len > 5 && line[5] == ' ') ? 6 : 5;
                memcpy(data + data_len, line + v, line_len - v);
                data_len += line_len - v;
                data[data_len++] = '\n';
                has_data = 1;
            }
            line_len = 0;
        }
    }
    free(line);
    free(data);
    *out = events;
    return n;
}

int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 1000000;
    size_t cap = (size_t)count * 160 + 64, size = 0;
    char *stream = malloc(cap);
    for (long i = 0; i < count; i++) {
        size += sprintf(stream + size, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok%ld \"}}]}\n\n", i % 977);
    }
    size += sprintf(stream + size, "data: [DONE]\n\n");
    long chunk_count = (size + 4095) / 4096;
    char **chunks = malloc(sizeof(char *) * chunk_count);
    long *sizes = malloc(sizeof(long) * chunk_count);
    for (long c = 0; c < chunk_count; c++) {
        long len = (long)size - c * 4096 < 4096 ? (long)size - c * 4096 : 4096;
        chunks[c] = malloc(len);
        memcpy(chunks[c], stream + c * 4096, len);
        sizes[c] = len;
    }
    double best_cpu = 1e9, best_wall = 0;
    long n = 0;
    for (int round = 0; round < 5; round++) {
        double w = wall_seconds(), t = cpu_seconds();
        event *events;
        n = parse(chunks, sizes, chunk_count, (long)size, &events);
        for (long i = 0; i < n; i++) free(events[i].data);
        free(events);
        double cpu = cpu_seconds() - t, wall = wall_seconds() - w;
        if (cpu < best_cpu) { best_cpu = cpu; best_wall = wall; }
    }
    const char *label = count == 1000000 ? "1M" : "";
    char name[64];
    snprintf(name, sizeof name, "C floor: parse synthetic %s%s events", label, count == 1000000 ? "" : argv[1]);
    printf("%-44s %10zu %9ld %9.2f %9.2f %10.1f %12.0f\n", name, size, n, best_wall * 1000, best_cpu * 1000,
           size / 1e6 / best_cpu, n / best_cpu);
    return 0;
}
