/*
 * The anchor: a minimal single-threaded C daytime server. Accept, format the time with
 * strftime("%c"), write, close, repeat. Prints "Server listening on port N." once ready.
 *
 *   gcc -O2 -o bench/out/daytime_server bench/daytime_server.c
 *   bench/out/daytime_server [PORT]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  int server = socket(AF_INET, SOCK_STREAM, 0);
  if (server < 0) { perror("socket"); return 1; }
  int one = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in address;
  memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (bind(server, (struct sockaddr *)&address, sizeof(address)) < 0) { perror("bind"); return 1; }
  if (listen(server, 1024) < 0) { perror("listen"); return 1; }
  socklen_t length = sizeof(address);
  getsockname(server, (struct sockaddr *)&address, &length);
  printf("Server listening on port %d.\n", ntohs(address.sin_port));
  fflush(stdout);
  for (;;) {
    int client = accept(server, NULL, NULL);
    if (client < 0) continue;
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    char line[64];
    size_t n = strftime(line, sizeof(line) - 1, "%c", &parts);
    line[n++] = '\n';
    ssize_t written = write(client, line, n);
    (void)written;
    close(client);
  }
}
