#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

int env_ms(const char *name, long long fallback, long long *ms, char *err, size_t err_size) {
  char *text = sim_getenv(name);
  *ms = fallback;
  if (!text || !*text) {
    free(text);
    return 0;
  }
  long long v = 0;
  size_t len = strlen(text);
  int ok = len <= 9;
  for (size_t i = 0; ok && i < len; i++) {
    ok = text[i] >= '0' && text[i] <= '9';
    v = v * 10 + (text[i] - '0');
  }
  if (!ok) snprintf(err, err_size, "%s must be a whole number of milliseconds, got \"%.40s\"", name, text);
  else *ms = v;
  free(text);
  return ok ? 0 : -1;
}

int env_switch(const char *name, int *on, char *err, size_t err_size) {
  char *text = sim_getenv(name);
  int ok = !text || !*text || strcmp(text, "0") == 0 || strcmp(text, "1") == 0;
  *on = ok && text && strcmp(text, "1") == 0;
  if (!ok) snprintf(err, err_size, "%s must be 0 or 1, got \"%.40s\"", name, text);
  free(text);
  return ok ? 0 : -1;
}
