/*
 * Ping-pong load client for benchmarks/echo.bench.ts: opens `conns` TCP
 * connections to 127.0.0.1:port, keeps one `size`-byte message in flight on
 * each, and after a warm-up counts round trips for `seconds`. One thread, one
 * epoll set: cheap enough that the server, not this client, is the limit.
 *
 * With SERVER_PID, it also reads that process's CPU time (the sum over its
 * threads of /proc/PID/task/TID/schedstat's run time, in ns) at the start and
 * the end of exactly the measured window, so CPU per round trip counts
 * neither the connects nor the warm-up.
 *
 * usage: echo-client PORT CONNS SECONDS SIZE WARMUP_SECONDS [SERVER_PID]
 * prints: RATE_PER_S ROUND_TRIPS_IN_ALL ROUND_TRIPS_MEASURED SERVER_CPU_NS
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ns of CPU that every thread of `pid` has run so far; -1 if it cannot be read. */
static long long cpu_ns(int pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR *dir = opendir(path);
  if (!dir) return -1;
  long long ns = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char stat[320];
    snprintf(stat, sizeof stat, "/proc/%d/task/%s/schedstat", pid, e->d_name);
    FILE *f = fopen(stat, "r");
    if (!f) continue; /* a thread that ended meanwhile */
    long long run = 0;
    if (fscanf(f, "%lld", &run) == 1) ns += run;
    fclose(f);
  }
  closedir(dir);
  return ns;
}

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr, "usage: %s PORT CONNS SECONDS SIZE WARMUP_SECONDS [SERVER_PID]\n", argv[0]);
    return 2;
  }
  int port = atoi(argv[1]), conns = atoi(argv[2]), size = atoi(argv[4]);
  int server = argc == 7 ? atoi(argv[6]) : 0;
  long long cpu_start = 0, cpu_end = 0;
  double secs = atof(argv[3]), warm = atof(argv[5]);
  int ep = epoll_create1(0);
  int *fds = calloc(conns, sizeof *fds);
  int *got = calloc(conns, sizeof *got);
  char *msg = malloc(size);
  memset(msg, 'x', size);
  static char buf[65536];
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  for (int i = 0; i < conns; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
      perror("connect");
      return 1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (unsigned)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    fds[i] = fd;
  }
  for (int i = 0; i < conns; i++) {
    if (write(fds[i], msg, size) != size) {
      perror("write");
      return 1;
    }
  }
  struct epoll_event evs[1024];
  long long count = 0, all = 0, measured = 0;
  double start = now(), measure = start + warm, end = measure + secs;
  int measuring = 0, stopping = 0, outstanding = conns;
  double rate = 0;
  while (outstanding > 0) {
    int n = epoll_wait(ep, evs, 1024, 100);
    for (int k = 0; k < n; k++) {
      int i = (int)evs[k].data.u32;
      ssize_t r = read(fds[i], buf, sizeof buf);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        fprintf(stderr, "connection %d closed by the server\n", i);
        return 1;
      }
      got[i] += (int)r;
      while (got[i] >= size) {
        got[i] -= size;
        count++;
        all++;
        if (stopping) {
          outstanding--; /* answered: send nothing more, so closing resets nothing */
          continue;
        }
        if (write(fds[i], msg, size) != size) {
          perror("write");
          return 1;
        }
      }
    }
    double t = now();
    if (!measuring && t >= measure) {
      measuring = 1;
      count = 0;
      if (server) cpu_start = cpu_ns(server);
      measure = now();
    }
    if (!stopping && t >= end) {
      if (server) cpu_end = cpu_ns(server);
      t = now();
      rate = count / (t - measure);
      measured = count;
      stopping = 1;
    }
  }
  if (server && (cpu_start < 0 || cpu_end < 0)) {
    fprintf(stderr, "cannot read the CPU time of process %d\n", server);
    return 1;
  }
  printf("%.0f %lld %lld %lld\n", rate, all, measured, cpu_end - cpu_start);
  for (int i = 0; i < conns; i++) close(fds[i]);
  return 0;
}
