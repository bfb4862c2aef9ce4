/* POSIX implementation of platform.h (Linux, macOS). */
#define _POSIX_C_SOURCE 200809L
#include "platform.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static pthread_once_t cond_once = PTHREAD_ONCE_INIT;

static void init_cond(void) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
#ifndef __APPLE__
  /* Waits measure the monotonic clock so a wall-clock change cannot stretch or cut them. */
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
  pthread_cond_init(&cond, &attr);
  pthread_condattr_destroy(&attr);
}

void sim_lock(void) {
  pthread_once(&cond_once, init_cond);
  pthread_mutex_lock(&lock);
}

void sim_unlock(void) { pthread_mutex_unlock(&lock); }

int64_t sim_monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sim_wait_until(int64_t deadline_ms) {
#ifdef __APPLE__
  int64_t left = deadline_ms - sim_monotonic_ms();
  if (left <= 0) return;
  struct timespec rel = {(time_t)(left / 1000), (long)(left % 1000) * 1000000L};
  pthread_cond_timedwait_relative_np(&cond, &lock, &rel);
#else
  struct timespec ts = {(time_t)(deadline_ms / 1000), (long)(deadline_ms % 1000) * 1000000L};
  pthread_cond_timedwait(&cond, &lock, &ts);
#endif
}

void sim_broadcast(void) { pthread_cond_broadcast(&cond); }

int64_t sim_unix_now(void) { return (int64_t)time(NULL); }

void sim_sleep_ms(int64_t ms) {
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

int sim_random_bytes(unsigned char *buf, size_t n) {
  /* The system RNG, one call per 256 bytes, as the Windows build asks BCryptGenRandom: no file opened per call. */
  while (n > 0) {
    size_t chunk = n > 256 ? 256 : n;
    if (getentropy(buf, chunk) != 0) return -1;
    buf += chunk;
    n -= chunk;
  }
  return 0;
}

char *sim_getenv(const char *name) {
  const char *value = getenv(name);
  return value ? strdup(value) : NULL;
}

FILE *sim_fopen(const char *path, const char *mode) { return fopen(path, mode); }
