#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform.h"

char *sim_read_file(const char *path, size_t *size, const char **why) {
  FILE *f = sim_fopen(path, "rb");
  if (!f) {
    *why = errno == ENOENT ? "no such file" : "cannot open it";
    return NULL;
  }
  size_t cap = 4096, len = 0;
  char *data = malloc(cap);
  while (data) {
    size_t got = fread(data + len, 1, cap - len - 1, f);
    if (got == 0) break;
    len += got;
    if (len + 1 == cap) {
      char *bigger = realloc(data, cap * 2);
      if (!bigger) {
        free(data);
        data = NULL;
        break;
      }
      data = bigger;
      cap *= 2;
    }
  }
  int failed = ferror(f);
  fclose(f);
  if (!data || failed) {
    *why = data ? "read error" : "out of memory";
    free(data);
    return NULL;
  }
  data[len] = '\0';
  *size = len;
  return data;
}

int sim_write_file(const char *path, const char *data, size_t size, const char **why) {
  FILE *f = sim_fopen(path, "wb");
  if (!f) {
    *why = "cannot open it for writing";
    return -1;
  }
  size_t put = size ? fwrite(data, 1, size, f) : 0;
  if (fclose(f) != 0 || put != size) {
    *why = "write error";
    return -1;
  }
  return 0;
}
