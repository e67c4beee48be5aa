/* The anchor of the hosts-file benchmark in bench/dns.ts: N calls of glibc's gethostbyname(NAME)
 * (nsswitch.conf's order; /etc/hosts read on each call, as nss_files does), printing lookups/s. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: gethostbyname NAME COUNT\n");
    return 2;
  }
  long count = atol(argv[2]);
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (long i = 0; i < count; i++) {
    if (gethostbyname(argv[1]) == NULL) {
      fprintf(stderr, "gethostbyname(%s) failed\n", argv[1]);
      return 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
  printf("%.0f\n", count / seconds);
  return 0;
}
