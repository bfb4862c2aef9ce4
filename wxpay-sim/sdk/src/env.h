/* Settings the simulator reads from the environment at every call. */
#ifndef SIM_ENV_H
#define SIM_ENV_H

#include <stddef.h>

/*
 * A whole number of milliseconds from `name` (digits only, at most 9), or `fallback` when unset or
 * empty. 0 on success; -1 with the reason in err when the value is not digits.
 */
int env_ms(const char *name, long long fallback, long long *ms, char *err, size_t err_size);

/* A 0/1 switch from `name` (unset or empty: 0). 0 on success; -1 with the reason in err otherwise. */
int env_switch(const char *name, int *on, char *err, size_t err_size);

#endif
