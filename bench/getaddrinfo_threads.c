// bench/dns_many_at_once.ts's glibc side: N threads started at once, each calling
// getaddrinfo(AF_UNSPEC) for nI.test (or same.test with a second argument), as a threaded C
// program does. Prints the wall time and the outcomes by gai_strerror text.
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int same;
static int outcomes[64];

static void *lookup(void *arg) {
  long i = (long)arg;
  char name[64];
  snprintf(name, sizeof name, same ? "same.test" : "n%ld.test", i);
  struct addrinfo hints = {0}, *found = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int error = getaddrinfo(name, NULL, &hints, &found);
  if (found) freeaddrinfo(found);
  __sync_fetch_and_add(&outcomes[-error & 63], 1);
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  same = argc > 2;
  pthread_t *threads = calloc(n, sizeof *threads);
  int *started = calloc(n, sizeof *started);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  for (long i = 0; i < n; i++) started[i] = pthread_create(&threads[i], &attr, lookup, (void *)i) == 0;
  for (long i = 0; i < n; i++) if (started[i]) pthread_join(threads[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
  printf("{\"ms\":%ld,\"outcomes\":{", ms);
  int first = 1;
  for (int i = 0; i < 64; i++) {
    if (!outcomes[i]) continue;
    printf("%s\"%s\":%d", first ? "" : ",", i ? gai_strerror(-i) : "found", outcomes[i]);
    first = 0;
  }
  printf("}}\n");
  return 0;
}
