// firedrill-peer-proxy: a small TCP proxy in front of one etcd member's peer port, adding latency,
// jitter, connection refusals and blackholes, as etcd's robustness tests do with their proxy
// (this kernel has no netem). It runs inside the member's container (its network namespace),
// listens on the member's IP at another port and forwards to 127.0.0.1:2380; the member advertises
// the proxy's port, so every raft connection that reaches the member passes through it.
//
//   firedrill-peer-proxy LISTEN_IP:PORT TARGET_IP:PORT CONFIG_FILE
//
// CONFIG_FILE is re-read every 100 ms and applied when its text changed (empty: no effect; absent:
// the rules in force stay, see load_config).
// One rule per line, for connections whose peer (the dialing member) has that IP, or `*` for all;
// an exact IP wins over `*`:
//
//   <ip|*> <delay_ms> <jitter_ms> <refuse_probability> <blackhole 0|1>
//
// delay + a uniform jitter in [-jitter, +jitter] is added to every chunk in both directions (byte
// order is kept: a chunk is never delivered before the one read before it); refuse closes a new
// connection at once with that probability; blackhole reads and discards everything both ways.
// Rules apply to connections already open, since etcd's peer connections are long-lived.
//
// Once a config is in force, its exact text is written to CONFIG_FILE.applied (through a rename,
// so it is never read half-written): the harness waits for that before it calls a fault injected.
//
// Build: gcc -static -O2 -pthread -o firedrill-peer-proxy peer-proxy.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RULES 64
#define CHUNK 65536

struct rule {
  char ip[INET_ADDRSTRLEN]; /* "*" for every peer */
  long delay_ms, jitter_ms;
  double refuse;
  int blackhole;
};

static struct rule rules[MAX_RULES];
static int nrules;
static pthread_mutex_t rules_mu = PTHREAD_MUTEX_INITIALIZER;
static const char *config_path;
static struct sockaddr_in target;

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The rule for a peer: its own line, else `*`, else none (all zero). */
static struct rule lookup(const char *ip) {
  struct rule r = {"", 0, 0, 0.0, 0};
  pthread_mutex_lock(&rules_mu);
  for (int i = 0; i < nrules; i++) {
    if (strcmp(rules[i].ip, ip) == 0) {
      r = rules[i];
      break;
    }
    if (strcmp(rules[i].ip, "*") == 0) r = rules[i];
  }
  pthread_mutex_unlock(&rules_mu);
  return r;
}

/* Writes `text` to CONFIG_FILE.applied, atomically: the acknowledgement the harness waits for. */
static void acknowledge(const char *text, size_t len) {
  char tmp[4096], done[4096];
  snprintf(tmp, sizeof tmp, "%s.applied.tmp", config_path);
  snprintf(done, sizeof done, "%s.applied", config_path);
  FILE *f = fopen(tmp, "w");
  if (!f) return;
  size_t wrote = fwrite(text, 1, len, f);
  if (fclose(f) == 0 && wrote == len) rename(tmp, done);
}

/*
 * Reads the config and, when its text differs from what is in force, puts it in force. The text is
 * compared, not the file's mtime and size: the harness copies the file in through Docker's archive
 * API, which keeps whole-second mtimes, so two same-sized configs within a second look alike. A file
 * that cannot be opened keeps the rules in force: Docker's extraction removes the old file before it
 * writes the new one, and that moment must not lift a fault. (The harness never deletes it to heal:
 * it writes an empty config.)
 */
static void load_config(void) {
  static char text[MAX_RULES * 128], applied[MAX_RULES * 128];
  static size_t applied_len;
  static int loaded;
  FILE *f = fopen(config_path, "r");
  if (!f) {
    if (!loaded) acknowledge("", 0); /* none yet: no rules, and say so */
    loaded = 1;
    return;
  }
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = 0;
  if (loaded && len == applied_len && memcmp(text, applied, len) == 0) return;
  struct rule next[MAX_RULES];
  int n = 0;
  for (char *line = text, *end; line < text + len && n < MAX_RULES; line = end + 1) {
    end = strchr(line, '\n');
    if (!end) end = text + len;
    char saved = *end;
    *end = 0;
    struct rule r = {"", 0, 0, 0.0, 0};
    if (line[0] != '#' && sscanf(line, "%15s %ld %ld %lf %d", r.ip, &r.delay_ms, &r.jitter_ms, &r.refuse, &r.blackhole) == 5) next[n++] = r;
    *end = saved;
  }
  pthread_mutex_lock(&rules_mu);
  memcpy(rules, next, sizeof(struct rule) * (size_t)n);
  nrules = n;
  pthread_mutex_unlock(&rules_mu);
  memcpy(applied, text, len);
  applied_len = len;
  loaded = 1;
  acknowledge(text, len);
}

static void *watch_config(void *arg) {
  (void)arg;
  for (;;) {
    usleep(100 * 1000);
    load_config();
  }
  return NULL;
}

struct chunk {
  struct chunk *next;
  uint64_t due_us;
  size_t len;
  char data[];
};

struct conn;

/* One direction of a connection: a reader thread queues chunks, a writer thread delivers them when due. */
struct pipe_ {
  int from, to;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct chunk *head, *tail;
  int eof;
  uint64_t last_due;
  struct conn *c;
};

struct conn {
  char peer[INET_ADDRSTRLEN];
  int a, b; /* accepted socket, upstream socket */
  struct pipe_ up, down;
  pthread_mutex_t mu;
  int threads_left;
};

static void release(struct conn *c) {
  pthread_mutex_lock(&c->mu);
  int left = --c->threads_left;
  pthread_mutex_unlock(&c->mu);
  if (left) return;
  close(c->a);
  close(c->b);
  struct pipe_ *ps[2] = {&c->up, &c->down};
  for (int i = 0; i < 2; i++) {
    for (struct chunk *k = ps[i]->head; k;) {
      struct chunk *next = k->next;
      free(k);
      k = next;
    }
  }
  free(c);
}

/* Any hard error ends the whole connection: both sockets shut down wake every thread. */
static void abort_conn(struct conn *c) {
  shutdown(c->a, SHUT_RDWR);
  shutdown(c->b, SHUT_RDWR);
}

static void *reader(void *arg) {
  struct pipe_ *p = arg;
  char buf[CHUNK];
  for (;;) {
    ssize_t n = read(p->from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    struct rule r = lookup(p->c->peer);
    if (r.blackhole) continue;
    long delay_us = r.delay_ms * 1000;
    if (r.jitter_ms > 0) delay_us += (long)((drand48() * 2.0 - 1.0) * (double)r.jitter_ms * 1000.0);
    if (delay_us < 0) delay_us = 0;
    struct chunk *k = malloc(sizeof *k + (size_t)n);
    if (!k) break;
    k->next = NULL;
    k->len = (size_t)n;
    memcpy(k->data, buf, (size_t)n);
    pthread_mutex_lock(&p->mu);
    k->due_us = now_us() + (uint64_t)delay_us;
    if (k->due_us < p->last_due) k->due_us = p->last_due; /* never reorder bytes */
    p->last_due = k->due_us;
    if (p->tail) p->tail->next = k;
    else p->head = k;
    p->tail = k;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  pthread_mutex_lock(&p->mu);
  p->eof = 1;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  release(p->c);
  return NULL;
}

static void *writer(void *arg) {
  struct pipe_ *p = arg;
  int failed = 0;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->head && !p->eof) pthread_cond_wait(&p->cv, &p->mu);
    struct chunk *k = p->head;
    if (!k) {
      pthread_mutex_unlock(&p->mu);
      break;
    }
    p->head = k->next;
    if (!p->head) p->tail = NULL;
    pthread_mutex_unlock(&p->mu);
    uint64_t t = now_us();
    if (k->due_us > t) {
      struct timespec ts = {(time_t)((k->due_us - t) / 1000000u), (long)((k->due_us - t) % 1000000u) * 1000};
      while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
      }
    }
    for (size_t off = 0; off < k->len && !failed;) {
      ssize_t w = write(p->to, k->data + off, k->len - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) failed = 1;
      else off += (size_t)w;
    }
    free(k);
    if (failed) break;
  }
  if (failed) abort_conn(p->c);
  else shutdown(p->to, SHUT_WR); /* pass the half-close on */
  release(p->c);
  return NULL;
}

static void spawn(void *(*fn)(void *), void *arg) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  if (pthread_create(&t, &attr, fn, arg) != 0) abort();
  pthread_attr_destroy(&attr);
}

static void init_pipe(struct pipe_ *p, int from, int to, struct conn *c) {
  memset(p, 0, sizeof *p);
  p->from = from;
  p->to = to;
  p->c = c;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
}

static int parse_addr(const char *s, struct sockaddr_in *out) {
  char host[64];
  const char *colon = strrchr(s, ':');
  if (!colon || (size_t)(colon - s) >= sizeof host) return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = 0;
  memset(out, 0, sizeof *out);
  out->sin_family = AF_INET;
  out->sin_port = htons((uint16_t)atoi(colon + 1));
  return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : -1;
}

static void handle(int a, struct sockaddr_in *from) {
  struct conn *c = calloc(1, sizeof *c);
  if (!c) {
    close(a);
    return;
  }
  inet_ntop(AF_INET, &from->sin_addr, c->peer, sizeof c->peer);
  struct rule r = lookup(c->peer);
  if (r.refuse > 0 && drand48() < r.refuse) {
    close(a);
    free(c);
    return;
  }
  int b = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (b < 0 || connect(b, (struct sockaddr *)&target, sizeof target) < 0) {
    if (b >= 0) close(b);
    close(a);
    free(c);
    return;
  }
  int one = 1;
  setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->a = a;
  c->b = b;
  c->threads_left = 4;
  pthread_mutex_init(&c->mu, NULL);
  init_pipe(&c->up, a, b, c);
  init_pipe(&c->down, b, a, c);
  spawn(reader, &c->up);
  spawn(writer, &c->up);
  spawn(reader, &c->down);
  spawn(writer, &c->down);
}

int main(int argc, char **argv) {
  struct sockaddr_in listen_addr;
  if (argc != 4 || parse_addr(argv[1], &listen_addr) < 0 || parse_addr(argv[2], &target) < 0) {
    fprintf(stderr, "usage: %s LISTEN_IP:PORT TARGET_IP:PORT CONFIG_FILE\n", argv[0]);
    return 2;
  }
  config_path = argv[3];
  signal(SIGPIPE, SIG_IGN);
  srand48((long)now_us() ^ (long)getpid());
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s, (struct sockaddr *)&listen_addr, sizeof listen_addr) < 0) {
    /* Already running (a second start of the same container): nothing to do. */
    if (errno == EADDRINUSE) return 0;
    perror("firedrill-peer-proxy: bind");
    return 1;
  }
  if (listen(s, 128) < 0) {
    perror("firedrill-peer-proxy: listen");
    return 1;
  }
  load_config();
  spawn(watch_config, NULL);
  for (;;) {
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    int a = accept4(s, (struct sockaddr *)&from, &len, SOCK_CLOEXEC);
    if (a < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) {
        if (errno == EMFILE || errno == ENFILE) usleep(10 * 1000);
        continue;
      }
      perror("firedrill-peer-proxy: accept");
      return 1;
    }
    handle(a, &from);
  }
}
