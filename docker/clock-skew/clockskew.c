/*
 * clockskew: gives ONE process its own wall clock (and optionally its own monotonic clock).
 *
 * Go programs (etcd) read the time through the vDSO, never through libc, so LD_PRELOAD tricks such
 * as libfaketime do not reach them. This helper ptrace-attaches to the process, stops every thread,
 * and overwrites that process's private (copy-on-write) copy of __vdso_clock_gettime with a stub
 * that makes the real clock_gettime system call and adds a constant offset for CLOCK_REALTIME,
 * CLOCK_REALTIME_COARSE and CLOCK_TAI (and, separately, CLOCK_MONOTONIC); __vdso_gettimeofday and
 * __vdso_time jump into the same stub. Other processes, the host and the kernel are untouched.
 *
 * The state lives in the patched region itself: the stub starts with a jump over a data block
 * (magic, realtime offset, monotonic offset), so `query` reads it back and `set` rewrites two
 * words. The original bytes need no state file: the vDSO is one kernel image mapped into every
 * x86_64 process, so `reset` copies them back from this helper's own, unpatched vDSO (after
 * checking that everything outside the patched ranges is byte-identical).
 *
 *   clockskew set <pid> <offset>      realtime offset: ns, or a duration (+2h, -1.5s, 900ms)
 *   clockskew mono <pid> <offset>     monotonic offset (timers jump: a different fault)
 *   clockskew reset <pid>             restore the original vDSO bytes
 *   clockskew query <pid>             print realtime_ns=... monotonic_ns=... patched=0|1
 *   clockskew launch [--offset X] [--mono Y] [--offset-file F] -- cmd args...
 *                                     exec cmd already skewed (patched at its exec stop by a
 *                                     tracing grandchild), keeping our PID: PID 1 stays PID 1
 *   clockskew probe <seconds> [threads]
 *                                     calls the vDSO in a loop; exits 1 if CLOCK_MONOTONIC ever
 *                                     went backwards in a thread; prints realtime minus syscall time
 *   clockskew parse <offset>          print the offset in ns (for tests)
 *
 * x86_64 only. Output: one line, key=value pairs; errors: one line on stderr, exit 1.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "clockskew patches the x86_64 vDSO only"
#endif

#define MAGIC 0x57454b53434f4c43ULL /* "CLOCSKEW" little-endian */
#define MAX_THREADS 4096
#define MAX_STEPS 2000000

/*
 * The stub, assembled into this binary and copied from our own text into the target. Everything is
 * RIP-relative, so it runs wherever it lands. Layout (offsets from stub_start):
 *   0  jmp to the clock_gettime body (2 bytes), padding
 *   8  MAGIC   16 realtime offset (ns)   24 monotonic offset (ns)
 * Registers: only caller-saved ones (rax rcx rdx rsi rdi r8-r11), as the vDSO ABI allows.
 */
__asm__(".text\n"
        ".globl cs_stub_start, cs_stub_cg, cs_stub_gtod, cs_stub_time, cs_stub_end\n"
        ".balign 16\n"
        "cs_stub_start:\n"
        "  jmp cs_stub_cg\n"
        "  .balign 8\n"
        "  .quad 0x57454b53434f4c43\n" /* MAGIC */
        "  .quad 0\n"                  /* realtime offset */
        "  .quad 0\n"                  /* monotonic offset */
        /* clock_gettime(clockid_t edi, struct timespec *rsi) */
        "cs_stub_cg:\n"
        "  mov $228, %eax\n" /* SYS_clock_gettime */
        "  syscall\n"        /* clobbers rcx, r11 */
        "  test %rax, %rax\n"
        "  jnz 9f\n" /* an error: return -errno as the vDSO's own fallback does */
        "  test %rsi, %rsi\n"
        "  jz 9f\n"
        "  cmp $0, %edi\n" /* CLOCK_REALTIME */
        "  je 1f\n"
        "  cmp $5, %edi\n" /* CLOCK_REALTIME_COARSE */
        "  je 1f\n"
        "  cmp $11, %edi\n" /* CLOCK_TAI */
        "  je 1f\n"
        "  cmp $1, %edi\n" /* CLOCK_MONOTONIC */
        "  jne 8f\n"
        "  mov cs_stub_start+24(%rip), %r8\n"
        "  jmp 2f\n"
        "1:\n"
        "  mov cs_stub_start+16(%rip), %r8\n"
        "2:\n"
        "  test %r8, %r8\n"
        "  jz 8f\n"
        "  mov (%rsi), %rax\n"
        "  imul $1000000000, %rax, %rax\n"
        "  add 8(%rsi), %rax\n"
        "  add %r8, %rax\n"
        "  mov $1000000000, %rcx\n"
        "  cqo\n"
        "  idiv %rcx\n"
        "  test %rdx, %rdx\n"
        "  jns 3f\n"
        "  add %rcx, %rdx\n"
        "  dec %rax\n"
        "3:\n"
        "  mov %rax, (%rsi)\n"
        "  mov %rdx, 8(%rsi)\n"
        "8:\n"
        "  xor %eax, %eax\n"
        "9:\n"
        "  ret\n"
        /* gettimeofday(struct timeval *rdi, struct timezone *rsi) */
        "cs_stub_gtod:\n"
        "  mov %rdi, %r10\n"
        "  test %rsi, %rsi\n"
        "  jz 1f\n"
        "  mov $96, %eax\n" /* SYS_gettimeofday, only for the time zone */
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jnz 9f\n"
        "1:\n"
        "  test %r10, %r10\n"
        "  jz 8f\n"
        "  sub $16, %rsp\n"
        "  xor %edi, %edi\n"
        "  mov %rsp, %rsi\n"
        "  call cs_stub_cg\n"
        "  mov (%rsp), %rax\n"
        "  mov %rax, (%r10)\n"
        "  mov 8(%rsp), %rax\n"
        "  xor %edx, %edx\n"
        "  mov $1000, %ecx\n"
        "  div %rcx\n"
        "  mov %rax, 8(%r10)\n"
        "  add $16, %rsp\n"
        "8:\n"
        "  xor %eax, %eax\n"
        "9:\n"
        "  ret\n"
        /* time(time_t *rdi) */
        "cs_stub_time:\n"
        "  mov %rdi, %r10\n"
        "  sub $16, %rsp\n"
        "  xor %edi, %edi\n"
        "  mov %rsp, %rsi\n"
        "  call cs_stub_cg\n"
        "  mov (%rsp), %rax\n"
        "  add $16, %rsp\n"
        "  test %r10, %r10\n"
        "  jz 1f\n"
        "  mov %rax, (%r10)\n"
        "1:\n"
        "  ret\n"
        "cs_stub_end:\n");

extern const unsigned char cs_stub_start[], cs_stub_cg[], cs_stub_gtod[], cs_stub_time[], cs_stub_end[];

#define OFF_MAGIC 8
#define OFF_REALTIME 16
#define OFF_MONO 24

/*
 * Launch mode, at the exec stop: a process we failed to patch must not run unskewed (the drill would
 * report on a skew that is not there). kill() alone does not do it for a container's PID 1: the
 * kernel drops signals sent to init from inside its PID namespace. A fault it raises itself does
 * end it: its next instruction is at address 0, and the container exits with SIGSEGV.
 */
static pid_t kill_on_die;

static void end_unpatched(pid_t pid) {
  struct user_regs_struct regs;
  if (!ptrace(PTRACE_GETREGS, pid, 0, &regs)) {
    regs.rip = 0;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
  }
  ptrace(PTRACE_DETACH, pid, 0, 0);
  kill(pid, SIGKILL);
}

static void die(const char *fmt, ...) {
  if (kill_on_die > 0) end_unpatched(kill_on_die);
  va_list ap;
  va_start(ap, fmt);
  fputs("clockskew: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static int64_t now_ns(clockid_t c) {
  struct timespec ts;
  syscall(SYS_clock_gettime, c, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---------- offsets: plain ns, or a Go-style duration: [+-]1h30m, 1.5s, 900ms, 250us, 10ns ---------- */

static int parse_offset(const char *s, int64_t *out) {
  const char *p = s;
  int neg = 0;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (!*p) return -1;
  char *end;
  /* A bare integer is nanoseconds. */
  errno = 0;
  long long whole = strtoll(p, &end, 10);
  if (!*end && end != p && errno == 0) {
    *out = neg ? -whole : whole;
    return 0;
  }
  long double total = 0;
  while (*p) {
    long double v = strtold(p, &end);
    if (end == p) return -1;
    p = end;
    long double unit;
    if (!strncmp(p, "ns", 2)) unit = 1, p += 2;
    else if (!strncmp(p, "us", 2) || !strncmp(p, "\xc2\xb5s", 3)) unit = 1e3, p += (*p == 'u' ? 2 : 3);
    else if (!strncmp(p, "ms", 2)) unit = 1e6, p += 2;
    else if (*p == 's') unit = 1e9, p += 1;
    else if (*p == 'm') unit = 60e9, p += 1;
    else if (*p == 'h') unit = 3600e9, p += 1;
    else if (*p == 'd') unit = 86400e9, p += 1;
    else return -1;
    total += v * unit;
  }
  /* About ±100 years: the stub computes sec*1e9 in 64 bits. */
  if (total > 3.0e18L) return -1;
  *out = (int64_t)(neg ? -total : total);
  return 0;
}

static int64_t offset_arg(const char *s) {
  int64_t v;
  if (parse_offset(s, &v)) die("bad offset \"%s\": use nanoseconds or a duration such as +2h, -1.5s, 900ms (at most ~95 years)", s);
  return v;
}

static pid_t pid_arg(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*end || v <= 0) die("bad pid \"%s\": use a host process id (docker inspect -f '{{.State.Pid}}')", s);
  return (pid_t)v;
}

/* ---------- the target's threads ---------- */

struct thread {
  pid_t tid;
  int pending;   /* a signal caught while stopping it, to re-deliver at detach */
  int sigstop;   /* its current stop is a signal-delivery-stop (detach can inject a signal) */
};

static struct thread threads[MAX_THREADS];
static int nthreads;
static volatile sig_atomic_t timed_out;

static void on_alarm(int sig) {
  (void)sig;
  timed_out = 1;
}

static int known(pid_t tid) {
  for (int i = 0; i < nthreads; i++)
    if (threads[i].tid == tid) return 1;
  return 0;
}

/* Waits for one stop of tid. Returns 0 stopped, 1 gone, -1 timed out. */
static int wait_stop(struct thread *t, int *sig_out) {
  int st;
  for (;;) {
    pid_t r = waitpid(t->tid, &st, __WALL);
    if (r < 0) {
      if (errno == EINTR && timed_out) return -1;
      if (errno == EINTR) continue;
      return 1;
    }
    if (WIFEXITED(st) || WIFSIGNALED(st)) return 1;
    if (!WIFSTOPPED(st)) continue;
    int sig = WSTOPSIG(st);
    int event = st >> 16;
    t->sigstop = event == 0;
    if (sig_out) *sig_out = event == 0 ? sig : 0;
    return 0;
  }
}

/* Seizes and stops every thread, re-reading /proc/PID/task until no new one appears. */
static void stop_all(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  struct sigaction sa = {0};
  sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR */
  sigaction(SIGALRM, &sa, NULL);
  alarm(5);
  for (int round = 0;; round++) {
    DIR *d = opendir(path);
    if (!d) die("no process %d (%s)", pid, strerror(errno));
    int added = 0, first = nthreads;
    struct dirent *e;
    while ((e = readdir(d))) {
      pid_t tid = (pid_t)atoi(e->d_name);
      if (tid <= 0 || known(tid)) continue;
      if (nthreads == MAX_THREADS) die("more than %d threads", MAX_THREADS);
      if (ptrace(PTRACE_SEIZE, tid, 0, 0)) {
        if (errno == ESRCH) continue; /* exited meanwhile */
        die("cannot ptrace %d: %s (root or CAP_SYS_PTRACE needed; docker's seccomp must allow ptrace)", tid, strerror(errno));
      }
      ptrace(PTRACE_INTERRUPT, tid, 0, 0);
      threads[nthreads++] = (struct thread){.tid = tid};
      added++;
    }
    closedir(d);
    for (int i = first; i < nthreads; i++) {
      int sig = 0;
      int r = wait_stop(&threads[i], &sig);
      if (r < 0) die("thread %d did not stop within 5 s (is the container paused?)", threads[i].tid);
      if (r > 0) {
        threads[i--] = threads[--nthreads];
        continue;
      }
      if (sig) threads[i].pending = sig;
    }
    if (!added) break;
    if (round > 1000) die("threads keep appearing in %d", pid);
  }
  alarm(0);
  if (!nthreads) die("process %d has no threads left", pid);
}

static void detach_all(pid_t pid) {
  for (int i = 0; i < nthreads; i++) {
    struct thread *t = &threads[i];
    /* From a signal-delivery-stop detach injects the signal; from other stops it is re-sent. */
    int inject = t->sigstop ? t->pending : 0;
    ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)inject);
    if (t->pending && !t->sigstop) syscall(SYS_tgkill, pid, t->tid, t->pending);
  }
}

/* ---------- the vDSO ---------- */

struct vdso {
  uint64_t base, size;
  uint64_t cg, cg_size, gtod, gtod_size, tm, tm_size; /* offsets from base */
  unsigned char *img;                                   /* the target's bytes */
};

static int find_vdso(pid_t pid, uint64_t *base, uint64_t *size) {
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/%d/maps", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int found = -1;
  while (fgets(line, sizeof line, f)) {
    if (!strstr(line, "[vdso]")) continue;
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) *base = lo, *size = hi - lo, found = 0;
    break;
  }
  fclose(f);
  return found;
}

/* Looks the three functions up in the image's dynamic symbol table. */
static void find_symbols(struct vdso *v) {
  const unsigned char *img = v->img;
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
    die("the vDSO is not a 64-bit x86_64 ELF image (a 32-bit process?)");
  if (eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > v->size) die("the vDSO has no section headers in its mapping");
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
  uint64_t load = 0;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD) {
      load = ph[i].p_vaddr;
      break;
    }
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_DYNSYM) continue;
    const Elf64_Sym *sym = (const Elf64_Sym *)(img + sh[i].sh_offset);
    const char *str = (const char *)(img + sh[sh[i].sh_link].sh_offset);
    size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
    for (size_t j = 0; j < n; j++) {
      const char *name = str + sym[j].st_name;
      uint64_t at = sym[j].st_value - load, len = sym[j].st_size;
      if (!strcmp(name, "__vdso_clock_gettime")) v->cg = at, v->cg_size = len;
      else if (!strcmp(name, "__vdso_gettimeofday")) v->gtod = at, v->gtod_size = len;
      else if (!strcmp(name, "__vdso_time")) v->tm = at, v->tm_size = len;
    }
  }
  uint64_t stub = (uint64_t)(cs_stub_end - cs_stub_start);
  if (!v->cg || v->cg_size < stub) die("__vdso_clock_gettime missing or shorter (%" PRIu64 " bytes) than the stub (%" PRIu64 ")", v->cg_size, stub);
  if (!v->gtod || v->gtod_size < 5 || !v->tm || v->tm_size < 5) die("__vdso_gettimeofday or __vdso_time missing in the vDSO");
}

static void read_vdso(pid_t pid, struct vdso *v) {
  if (find_vdso(pid, &v->base, &v->size)) die("process %d has no [vdso] mapping", pid);
  v->img = malloc(v->size);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mem", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0 || pread(fd, v->img, v->size, (off_t)v->base) != (ssize_t)v->size) die("cannot read the vDSO of %d: %s", pid, strerror(errno));
  close(fd);
  find_symbols(v);
}

/* Our own vDSO: the same kernel image, never patched, so the source of the original bytes. */
static const unsigned char *own_vdso(uint64_t *size) {
  uint64_t base;
  if (find_vdso(getpid(), &base, size)) die("this helper has no vDSO");
  return (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
}

static int patched(const struct vdso *v) {
  uint64_t m;
  memcpy(&m, v->img + v->cg + OFF_MAGIC, 8);
  return m == MAGIC;
}

static int64_t word_at(const struct vdso *v, uint64_t off) {
  int64_t x;
  memcpy(&x, v->img + off, 8);
  return x;
}

/* Everything outside the three functions must equal our own image, or we refuse to touch it. */
static void check_same_kernel(const struct vdso *v, const unsigned char *own, uint64_t own_size) {
  if (own_size != v->size) die("the target's vDSO (%" PRIu64 " bytes) differs from this helper's (%" PRIu64 ")", v->size, own_size);
  for (uint64_t i = 0; i < v->size; i++) {
    int in_cg = i >= v->cg && i < v->cg + v->cg_size;
    int in_gtod = i >= v->gtod && i < v->gtod + 5;
    int in_tm = i >= v->tm && i < v->tm + 5;
    if (!in_cg && !in_gtod && !in_tm && own[i] != v->img[i]) die("the target's vDSO differs from this helper's at +0x%" PRIx64 ": not the same image", i);
  }
}

/* Steps every thread whose instruction pointer is inside the vDSO out of it. */
static void step_out(const struct vdso *v) {
  for (int i = 0; i < nthreads; i++) {
    struct thread *t = &threads[i];
    for (long n = 0;; n++) {
      struct user_regs_struct regs;
      if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs)) break; /* gone */
      if (regs.rip < v->base || regs.rip >= v->base + v->size) break;
      if (n > MAX_STEPS) die("thread %d stays inside the vDSO after %d steps", t->tid, MAX_STEPS);
      if (ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0)) break;
      int sig = 0;
      if (wait_stop(t, &sig)) break;
      if (sig && sig != SIGTRAP) t->pending = sig; /* suppressed now, re-delivered at detach */
    }
  }
}

/* Writes len bytes at the target's address with PTRACE_POKEDATA (read-modify-write of the last word). */
static void poke(pid_t tid, uint64_t addr, const unsigned char *src, size_t len) {
  for (size_t i = 0; i < len; i += 8) {
    long word;
    size_t n = len - i < 8 ? len - i : 8;
    if (n < 8) {
      errno = 0;
      word = ptrace(PTRACE_PEEKDATA, tid, (void *)(addr + i), 0);
      if (errno) die("peek at %#" PRIx64 ": %s", addr + i, strerror(errno));
    }
    memcpy(&word, src + i, n);
    if (ptrace(PTRACE_POKEDATA, tid, (void *)(addr + i), (void *)word)) die("poke at %#" PRIx64 ": %s", addr + i, strerror(errno));
  }
}

static void jmp_to(unsigned char out[5], uint64_t from, uint64_t to) {
  int32_t rel = (int32_t)((int64_t)to - (int64_t)(from + 5));
  out[0] = 0xe9;
  memcpy(out + 1, &rel, 4);
}

/* Applies the new offsets (0 and 0: restore the original bytes). The threads are stopped. */
static void apply(pid_t tid, struct vdso *v, int set_rt, int64_t rt, int set_mono, int64_t mono, const unsigned char *own) {
  int was = patched(v);
  int64_t cur_rt = was ? word_at(v, v->cg + OFF_REALTIME) : 0, cur_mono = was ? word_at(v, v->cg + OFF_MONO) : 0;
  if (set_rt) cur_rt = rt;
  if (set_mono) cur_mono = mono;
  if (!cur_rt && !cur_mono) {
    if (!was) return;
    poke(tid, v->base + v->cg, own + v->cg, (size_t)(cs_stub_end - cs_stub_start));
    poke(tid, v->base + v->gtod, own + v->gtod, 5);
    poke(tid, v->base + v->tm, own + v->tm, 5);
    return;
  }
  if (was) {
    int64_t words[2] = {cur_rt, cur_mono};
    poke(tid, v->base + v->cg + OFF_REALTIME, (const unsigned char *)words, 16);
    return;
  }
  size_t len = (size_t)(cs_stub_end - cs_stub_start);
  unsigned char *stub = malloc(len);
  memcpy(stub, cs_stub_start, len);
  memcpy(stub + OFF_REALTIME, &cur_rt, 8);
  memcpy(stub + OFF_MONO, &cur_mono, 8);
  uint64_t at = v->base + v->cg;
  /* clock_gettime first, then the two jumps into it: no thread runs meanwhile anyway. */
  poke(tid, at, stub, len);
  unsigned char j[5];
  jmp_to(j, v->base + v->gtod, at + (uint64_t)(cs_stub_gtod - cs_stub_start));
  poke(tid, v->base + v->gtod, j, 5);
  jmp_to(j, v->base + v->tm, at + (uint64_t)(cs_stub_time - cs_stub_start));
  poke(tid, v->base + v->tm, j, 5);
  free(stub);
}

static void print_state(pid_t pid, const struct vdso *v, int64_t paused_ns) {
  int p = patched(v);
  printf("pid=%d patched=%d realtime_ns=%" PRId64 " monotonic_ns=%" PRId64, pid, p, p ? word_at(v, v->cg + OFF_REALTIME) : 0,
         p ? word_at(v, v->cg + OFF_MONO) : 0);
  if (paused_ns >= 0) printf(" paused_us=%" PRId64 " threads=%d", paused_ns / 1000, nthreads);
  putchar('\n');
}

/* set / mono / reset / query on a running process. */
static int runtime(const char *cmd, pid_t pid, const char *arg) {
  uint64_t own_size;
  const unsigned char *own = own_vdso(&own_size);
  int64_t value = arg ? offset_arg(arg) : 0;
  /*
   * A SIGTERM mid-patch (the harness's timeout, a Ctrl-C) would leave a half-written stub that the
   * target runs once its threads resume on our exit. Held until the threads are detached: then the
   * signal ends us as usual.
   */
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigaddset(&term, SIGINT);
  sigaddset(&term, SIGHUP);
  sigprocmask(SIG_BLOCK, &term, &old);
  int64_t t0 = now_ns(CLOCK_MONOTONIC);
  stop_all(pid);
  struct vdso v = {0};
  read_vdso(pid, &v);
  if (strcmp(cmd, "query")) {
    check_same_kernel(&v, own, own_size);
    step_out(&v);
    int rt = !strcmp(cmd, "set") || !strcmp(cmd, "reset"), mono = !strcmp(cmd, "mono") || !strcmp(cmd, "reset");
    apply(threads[0].tid, &v, rt, value, mono, value, own);
    free(v.img);
    read_vdso(pid, &v);
  }
  detach_all(pid);
  int64_t paused = now_ns(CLOCK_MONOTONIC) - t0;
  print_state(pid, &v, strcmp(cmd, "query") ? paused : -1);
  fflush(stdout);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return 0;
}

/* ---------- launch: run a command already skewed, as the same process (it stays PID 1) ---------- */

/*
 * We exec the command ourselves, so it keeps our PID (PID 1 in a container: its signal and exit
 * semantics are unchanged), and patch it from a grandchild that traces us: the grandchild seizes
 * us with PTRACE_O_TRACEEXEC, we exec, the kernel stops the new image at its exec event before its
 * first instruction, the grandchild patches its vDSO and detaches. Signals that reach us before the
 * exec are passed through. The only trace left is the grandchild's zombie (nobody reaps it).
 */
static void trace_exec_and_patch(pid_t target, int64_t rt, int64_t mono, int ready) {
  /* EPERM while another tracer holds the target: a `query` or `set` from the harness that landed
   * before our exec (measured: 8 of 30 launches failed when queried in a loop). Those detach within
   * milliseconds, so wait for them (up to 5 s) rather than refuse to start. */
  for (int tries = 0; ptrace(PTRACE_SEIZE, target, 0, (void *)(long)PTRACE_O_TRACEEXEC); tries++) {
    if (errno != EPERM || tries >= 500) {
      fprintf(stderr, "clockskew: launch: cannot ptrace pid %d: %s\n", target, strerror(errno));
      _exit(1);
    }
    usleep(10000);
  }
  if (write(ready, "K", 1) != 1) _exit(1);
  close(ready);
  for (;;) {
    int st;
    if (waitpid(target, &st, __WALL) < 0) {
      if (errno == EINTR) continue;
      _exit(1);
    }
    if (WIFEXITED(st) || WIFSIGNALED(st)) _exit(1); /* exec failed: the target said why */
    if (!WIFSTOPPED(st)) continue;
    if ((st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXEC << 8))) break;
    ptrace(PTRACE_CONT, target, 0, (void *)(long)((st >> 16) ? 0 : WSTOPSIG(st)));
  }
  /* The exec stop: the new image is mapped, one thread, nothing has read the clock yet. */
  kill_on_die = target;
  threads[0] = (struct thread){.tid = target};
  nthreads = 1;
  uint64_t own_size;
  const unsigned char *own = own_vdso(&own_size);
  struct vdso v = {0};
  read_vdso(target, &v);
  check_same_kernel(&v, own, own_size);
  apply(target, &v, 1, rt, 1, mono, own);
  kill_on_die = 0;
  ptrace(PTRACE_DETACH, target, 0, 0);
  fprintf(stderr, "clockskew: pid %d started with realtime %+" PRId64 " ns, monotonic %+" PRId64 " ns\n", target, rt, mono);
  _exit(0);
}

static int launch(int argc, char **argv) {
  int64_t rt = 0, mono = 0;
  int i = 0;
  for (; i < argc && strcmp(argv[i], "--"); i++) {
    if (!strcmp(argv[i], "--offset") && i + 1 < argc) rt = offset_arg(argv[++i]);
    else if (!strcmp(argv[i], "--mono") && i + 1 < argc) mono = offset_arg(argv[++i]);
    else if (!strcmp(argv[i], "--offset-file") && i + 1 < argc) {
      /* "<realtime> [<monotonic>]": the harness rewrites it, so a restart takes the current skew. */
      FILE *f = fopen(argv[++i], "r");
      char a[64] = "0", b[64] = "0";
      if (f) {
        if (fscanf(f, "%63s %63s", a, b) < 1) strcpy(a, "0");
        fclose(f);
      }
      rt = offset_arg(a), mono = offset_arg(b);
    } else die("launch: unknown option \"%s\": use launch [--offset X] [--mono Y] [--offset-file F] -- command args...", argv[i]);
  }
  if (i + 1 >= argc) die("launch: no command after --");
  char **cmd = argv + i + 1;
  if (rt || mono) {
    int p[2];
    if (pipe2(p, O_CLOEXEC)) die("pipe: %s", strerror(errno));
    pid_t self = getpid();
    pid_t mid = fork();
    if (mid < 0) die("fork: %s", strerror(errno));
    if (mid == 0) {
      pid_t tracer = fork();
      if (tracer != 0) _exit(tracer < 0);
      close(p[0]);
      trace_exec_and_patch(self, rt, mono, p[1]);
    }
    close(p[1]);
    while (waitpid(mid, NULL, 0) < 0 && errno == EINTR) {
    }
    char c = 0;
    if (read(p[0], &c, 1) != 1 || c != 'K') die("launch: the tracer could not attach; not starting %s unskewed", cmd[0]);
    close(p[0]);
  }
  execvp(cmd[0], cmd);
  die("cannot run %s: %s", cmd[0], strerror(errno));
  return 127;
}

/* ---------- probe: does the clock move forward in every thread while being patched? ---------- */

typedef int (*vdso_cg_fn)(clockid_t, struct timespec *);
static vdso_cg_fn vdso_cg;
static volatile int probe_stop;
static volatile long regressions, calls;

static vdso_cg_fn lookup_own_cg(void) {
  uint64_t size;
  const unsigned char *img = own_vdso(&size);
  struct vdso v = {.base = (uint64_t)img, .size = size, .img = (unsigned char *)img};
  find_symbols(&v);
  return (vdso_cg_fn)(img + v.cg);
}

static void *probe_thread(void *arg) {
  (void)arg;
  struct timespec a, b;
  vdso_cg(CLOCK_MONOTONIC, &a);
  while (!probe_stop) {
    vdso_cg(CLOCK_MONOTONIC, &b);
    if (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec)) __sync_fetch_and_add(&regressions, 1);
    a = b;
    __sync_fetch_and_add(&calls, 1);
  }
  return NULL;
}

static void on_probe_term(int sig) {
  (void)sig;
  probe_stop = 1;
}

static void probe_line(const char *when) {
  struct timespec ts;
  vdso_cg(CLOCK_REALTIME, &ts);
  int64_t skew = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - now_ns(CLOCK_REALTIME);
  printf("t=%s realtime_skew_ms=%" PRId64 " calls=%ld monotonic_regressions=%ld\n", when, skew / 1000000, calls, regressions);
  fflush(stdout);
}

/* SIGTERM ends it early with a last line and the same exit status: a regression in its last second still counts. */
static int probe(int seconds, int nthr) {
  vdso_cg = lookup_own_cg();
  struct sigaction sa = {0};
  sa.sa_handler = on_probe_term;
  sigaction(SIGTERM, &sa, NULL);
  pthread_t th[64];
  if (nthr < 1 || nthr > 64) nthr = 4;
  for (int i = 0; i < nthr; i++) pthread_create(&th[i], NULL, probe_thread, NULL);
  for (int s = 0; s < seconds && !probe_stop; s++) {
    sleep(1);
    char when[16];
    snprintf(when, sizeof when, "%d", s + 1);
    probe_line(when);
  }
  probe_stop = 1;
  for (int i = 0; i < nthr; i++) pthread_join(th[i], NULL);
  probe_line("end");
  return regressions ? 1 : 0;
}

int main(int argc, char **argv) {
  const char *usage = "usage: clockskew set|mono <pid> <offset> | reset|query <pid> | launch [--offset X] [--mono Y] -- cmd... | probe <s> [threads] | parse <offset>";
  if (argc < 2) die("%s", usage);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "parse") && argc == 3) {
    printf("%" PRId64 "\n", offset_arg(argv[2]));
    return 0;
  }
  if (!strcmp(cmd, "launch")) return launch(argc - 2, argv + 2);
  if (!strcmp(cmd, "probe") && argc >= 3) return probe(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 4);
  if ((!strcmp(cmd, "set") || !strcmp(cmd, "mono")) && argc == 4) return runtime(cmd, pid_arg(argv[2]), argv[3]);
  if ((!strcmp(cmd, "reset") || !strcmp(cmd, "query")) && argc == 3) return runtime(cmd, pid_arg(argv[2]), NULL);
  die("%s", usage);
}
