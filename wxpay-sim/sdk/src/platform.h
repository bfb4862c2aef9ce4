/* What the simulator needs from the OS; platform_posix.c and platform_win32.c implement it. */
#ifndef SIM_PLATFORM_H
#define SIM_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One process-wide lock guards all simulator state; the condition variable wakes waiting face steps. */
void sim_lock(void);
void sim_unlock(void);
/* With the lock held: waits until sim_broadcast() or until the monotonic clock reaches deadline_ms. */
void sim_wait_until(int64_t deadline_ms);
void sim_broadcast(void);

int64_t sim_monotonic_ms(void);
int64_t sim_unix_now(void);
void sim_sleep_ms(int64_t ms);

/* Fills buf with n random bytes; 0 on success. */
int sim_random_bytes(unsigned char *buf, size_t n);

/* The environment variable's value as malloc'd UTF-8 (read at call time), or NULL when unset. */
char *sim_getenv(const char *name);

/* fopen for a UTF-8 path (mode "rb" or "wb"); sets errno on failure like fopen. */
FILE *sim_fopen(const char *path, const char *mode);

#endif
