/*
 * A daytime load generator: CONCURRENCY clients on loopback, each connecting, reading to EOF and
 * closing, then starting over, for SECONDS. One thread, epoll, non-blocking sockets.
 * Prints one JSON line: connections, seconds, rate, p50/p99 latency (connect to EOF), errors.
 *
 *   gcc -O2 -o bench/out/daytime_load bench/daytime_load.c
 *   bench/out/daytime_load PORT [SECONDS=10] [CONCURRENCY=64] [HISTOGRAM_FILE]
 *
 * With HISTOGRAM_FILE, the latency histogram is written there too ("MICROSECONDS COUNT" lines),
 * so runs can be merged.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 1024
#define BUCKETS 1000000 /* 1 µs each, up to 1 s; slower ones go in the last bucket */

struct client {
  int fd;
  double started;
  size_t received;
};

static struct client clients[MAX_CLIENTS];
static uint32_t histogram[BUCKETS];
static struct sockaddr_in server;
static int epoll_fd;
static long errors;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void start(int slot) {
  struct client *c = &clients[slot];
  for (;;) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0) { perror("socket"); exit(1); }
    c->started = now_seconds();
    c->received = 0;
    if (connect(c->fd, (struct sockaddr *)&server, sizeof(server)) == 0 || errno == EINPROGRESS) {
      struct epoll_event event = { .events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)slot };
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &event);
      return;
    }
    errors++;
    close(c->fd);
  }
}

static double percentile(long total, double fraction) {
  long wanted = (long)(total * fraction);
  long seen = 0;
  for (long i = 0; i < BUCKETS; i++) {
    seen += histogram[i];
    if (seen > wanted) return i / 1000.0; /* milliseconds */
  }
  return BUCKETS / 1000.0;
}

int main(int argc, char *argv[]) {
  if (argc < 2) {
    fprintf(stderr, "Usage: daytime_load PORT [SECONDS] [CONCURRENCY] [HISTOGRAM_FILE]\n");
    return 2;
  }
  int port = atoi(argv[1]);
  double seconds = argc > 2 ? atof(argv[2]) : 10;
  int concurrency = argc > 3 ? atoi(argv[3]) : 64;
  if (concurrency < 1 || concurrency > MAX_CLIENTS) { fprintf(stderr, "Bad concurrency\n"); return 2; }
  memset(&server, 0, sizeof(server));
  server.sin_family = AF_INET;
  server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  server.sin_port = htons(port);
  epoll_fd = epoll_create1(0);

  double begin = now_seconds();
  double end = begin + seconds;
  for (int i = 0; i < concurrency; i++) start(i);
  long done = 0;
  int running = concurrency;
  struct epoll_event events[MAX_CLIENTS];
  char buffer[4096];
  while (running > 0) {
    int n = epoll_wait(epoll_fd, events, MAX_CLIENTS, 100);
    double t = now_seconds();
    for (int i = 0; i < n; i++) {
      int slot = (int)events[i].data.u32;
      struct client *c = &clients[slot];
      int finished = 0, failed = 0;
      for (;;) {
        ssize_t got = read(c->fd, buffer, sizeof(buffer));
        if (got > 0) { c->received += (size_t)got; continue; }
        if (got == 0) { finished = 1; break; }
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (errno == EINTR) continue;
        failed = 1;
        break;
      }
      if (!finished && !failed) continue;
      close(c->fd);
      if (t <= end) {
        if (finished && c->received > 0) {
          long us = (long)((t - c->started) * 1e6);
          histogram[us < BUCKETS ? us : BUCKETS - 1]++;
          done++;
        } else {
          errors++;
        }
      }
      if (t < end) start(slot);
      else running--;
    }
    if (t > end + 5) break; /* a stuck server: give up on the stragglers */
  }
  if (argc > 4) {
    FILE *file = fopen(argv[4], "w");
    if (!file) { perror(argv[4]); return 1; }
    for (long i = 0; i < BUCKETS; i++) {
      if (histogram[i]) fprintf(file, "%ld %u\n", i, histogram[i]);
    }
    fclose(file);
  }
  double elapsed = seconds;
  printf("{\"connections\":%ld,\"seconds\":%.3f,\"rate\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
         "\"errors\":%ld}\n",
         done, elapsed, done / elapsed, percentile(done, 0.50), percentile(done, 0.99), errors);
  return 0;
}
