/*
 * The lecture's own C calls, for tests that compare netkit with glibc: compiled at test time with
 * gcc (tests/harness/glibc_calls.ts). Each pair of arguments is one call; each call prints one
 * JSON object on a line of its own:
 *
 *   ghbn NAME            gethostbyname(NAME)
 *   ghbn2 NAME           gethostbyname2(NAME, AF_INET6)
 *   gai:F:FLAGS NAME     getaddrinfo(NAME, NULL, hints) with ai_family F (0, 4 or 6), SOCK_STREAM,
 *                        and FLAGS a list of c (AI_CANONNAME), a (AI_ADDRCONFIG),
 *                        n (AI_NUMERICHOST), m (AI_V4MAPPED), or - for none
 *   gni ADDRESS          getnameinfo(ADDRESS, NI_NAMEREQD)
 *   source ADDRESS       the source address the kernel gives a UDP socket connected to ADDRESS
 *                        (getaddrinfo's step before it sorts), or null
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void print_string(const char *text) {
  putchar('"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\') printf("\\%c", *p);
    else if (*p < 0x20 || *p >= 0x7f) printf("\\u%04x", *p);
    else putchar(*p);
  }
  putchar('"');
}

static void print_sockaddr(const struct sockaddr *sa) {
  char text[INET6_ADDRSTRLEN + 16];
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *) sa)->sin_addr, text, sizeof text);
  } else {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;
    inet_ntop(AF_INET6, &in6->sin6_addr, text, INET6_ADDRSTRLEN);
    if (in6->sin6_scope_id != 0) {
      snprintf(text + strlen(text), 16, "%%%u", (unsigned) in6->sin6_scope_id);
    }
  }
  print_string(text);
}

static const char *eai_name(int code) {
  switch (code) {
    case 0: return "0";
    case EAI_BADFLAGS: return "EAI_BADFLAGS";
    case EAI_NONAME: return "EAI_NONAME";
    case EAI_AGAIN: return "EAI_AGAIN";
    case EAI_FAIL: return "EAI_FAIL";
    case EAI_FAMILY: return "EAI_FAMILY";
    case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
    case EAI_SERVICE: return "EAI_SERVICE";
    case EAI_MEMORY: return "EAI_MEMORY";
    case EAI_SYSTEM: return "EAI_SYSTEM";
    case EAI_OVERFLOW: return "EAI_OVERFLOW";
    case EAI_NODATA: return "EAI_NODATA";
    case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
    default: return "EAI_OTHER";
  }
}

static const char *h_errno_name(int code) {
  switch (code) {
    case 0: return "0";
    case HOST_NOT_FOUND: return "HOST_NOT_FOUND";
    case TRY_AGAIN: return "TRY_AGAIN";
    case NO_RECOVERY: return "NO_RECOVERY";
    case NO_DATA: return "NO_DATA";
    default: return "NETDB_INTERNAL";
  }
}

static void hostent(const char *call, const char *name, struct hostent *entry) {
  printf("{\"call\":\"%s\",\"name\":", call);
  print_string(name);
  if (entry == NULL) {
    printf(",\"error\":\"%s\"}\n", h_errno_name(h_errno));
    return;
  }
  printf(",\"officialName\":");
  print_string(entry->h_name);
  printf(",\"aliases\":[");
  for (char **alias = entry->h_aliases; *alias != NULL; alias++) {
    if (alias != entry->h_aliases) putchar(',');
    print_string(*alias);
  }
  printf("],\"family\":%d,\"addresses\":[", entry->h_addrtype == AF_INET ? 4 : 6);
  for (char **address = entry->h_addr_list; *address != NULL; address++) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(entry->h_addrtype, *address, text, sizeof text);
    if (address != entry->h_addr_list) putchar(',');
    print_string(text);
  }
  printf("]}\n");
}

static void addrinfo_call(const char *spec, const char *name) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  char family = spec[4];
  hints.ai_family = family == '4' ? AF_INET : family == '6' ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  for (const char *flag = spec + 6; *flag != '\0'; flag++) {
    if (*flag == 'c') hints.ai_flags |= AI_CANONNAME;
    if (*flag == 'a') hints.ai_flags |= AI_ADDRCONFIG;
    if (*flag == 'n') hints.ai_flags |= AI_NUMERICHOST;
    if (*flag == 'm') hints.ai_flags |= AI_V4MAPPED;
  }
  struct addrinfo *found = NULL;
  int code = getaddrinfo(name, NULL, &hints, &found);
  printf("{\"call\":\"%s\",\"name\":", spec);
  print_string(name);
  if (code != 0) {
    printf(",\"error\":\"%s\"}\n", eai_name(code));
    return;
  }
  printf(",\"canonicalName\":");
  if (found->ai_canonname != NULL) print_string(found->ai_canonname);
  else printf("null");
  printf(",\"addresses\":[");
  for (struct addrinfo *each = found; each != NULL; each = each->ai_next) {
    if (each != found) putchar(',');
    print_sockaddr(each->ai_addr);
  }
  printf("]}\n");
  freeaddrinfo(found);
}

static int numeric_address(const char *text, struct sockaddr_storage *out, socklen_t *length) {
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = AI_NUMERICHOST;
  hints.ai_socktype = SOCK_DGRAM;
  struct addrinfo *found = NULL;
  if (getaddrinfo(text, "9", &hints, &found) != 0) return -1;
  memcpy(out, found->ai_addr, found->ai_addrlen);
  *length = found->ai_addrlen;
  freeaddrinfo(found);
  return 0;
}

static void nameinfo_call(const char *address) {
  struct sockaddr_storage sa;
  socklen_t length;
  printf("{\"call\":\"gni\",\"name\":");
  print_string(address);
  if (numeric_address(address, &sa, &length) != 0) {
    printf(",\"error\":\"not an address\"}\n");
    return;
  }
  char host[NI_MAXHOST];
  int code = getnameinfo((struct sockaddr *) &sa, length, host, sizeof host, NULL, 0,
                         NI_NAMEREQD);
  if (code != 0) {
    printf(",\"error\":\"%s\"}\n", eai_name(code));
    return;
  }
  printf(",\"host\":");
  print_string(host);
  printf("}\n");
}

static void source_call(const char *address) {
  struct sockaddr_storage sa;
  socklen_t length;
  printf("{\"call\":\"source\",\"name\":");
  print_string(address);
  printf(",\"source\":");
  int fd = -1;
  struct sockaddr_storage source;
  socklen_t source_length = sizeof source;
  if (numeric_address(address, &sa, &length) == 0 &&
      (fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0 &&
      connect(fd, (struct sockaddr *) &sa, length) == 0 &&
      getsockname(fd, (struct sockaddr *) &source, &source_length) == 0) {
    if (source.ss_family == AF_INET6) ((struct sockaddr_in6 *) &source)->sin6_scope_id = 0;
    print_sockaddr((struct sockaddr *) &source);
  } else {
    printf("null");
  }
  if (fd >= 0) close(fd);
  printf("}\n");
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *op = argv[i];
    const char *arg = argv[i + 1];
    if (strcmp(op, "ghbn") == 0) hostent(op, arg, gethostbyname(arg));
    else if (strcmp(op, "ghbn2") == 0) hostent(op, arg, gethostbyname2(arg, AF_INET6));
    else if (strncmp(op, "gai:", 4) == 0 && strlen(op) >= 6) addrinfo_call(op, arg);
    else if (strcmp(op, "gni") == 0) nameinfo_call(arg);
    else if (strcmp(op, "source") == 0) source_call(arg);
    else {
      fprintf(stderr, "glibc_calls: unknown call \"%s\"\n", op);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}
