#include "faces.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "platform.h"

static int blank(const char *s) {
  for (; *s; s++) {
    if (*s != ' ' && *s != '\t' && *s != '\v' && *s != '\f') return 0;
  }
  return 1;
}

static int parse(FaceList *list, char *err, size_t err_size) {
  size_t lines = 1;
  for (const char *p = list->text; *p; p++) lines += *p == '\n';
  list->faces = calloc(lines, sizeof(Face));
  if (!list->faces) {
    snprintf(err, err_size, "out of memory reading the faces file");
    return -1;
  }
  char *line = list->text;
  for (size_t number = 1; line; number++) {
    char *next = strchr(line, '\n');
    if (next) *next++ = '\0';
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
    if (!blank(line) && line[0] != '#') {
      char *nickname = strchr(line, '\t');
      char *unionid = nickname ? strchr(nickname + 1, '\t') : NULL;
      if (nickname) *nickname++ = '\0';
      if (unionid) {
        *unionid++ = '\0';
        char *extra = strchr(unionid, '\t');
        if (extra) *extra = '\0'; /* further columns are ignored, as faces.ts does */
      }
      if (!*line || !nickname || !*nickname) {
        snprintf(err, err_size, "faces file line %zu: expected openid<TAB>nickname[<TAB>unionid]", number);
        return -1;
      }
      Face *face = &list->faces[list->count++];
      face->openid = line;
      face->nickname = nickname;
      face->unionid = unionid && *unionid ? unionid : NULL;
    }
    line = next;
  }
  if (list->count == 0) {
    snprintf(err, err_size, "the faces file WXPAYFACE_SIM_FACES names has no faces");
    return -1;
  }
  return 0;
}

int faces_load(FaceList *list, char *err, size_t err_size) {
  memset(list, 0, sizeof *list);
  char *path = sim_getenv("WXPAYFACE_SIM_FACES");
  if (!path || !*path) {
    free(path);
    snprintf(err, err_size, "No faces configured: set WXPAYFACE_SIM_FACES to a faces file (openid<TAB>nickname[<TAB>unionid])");
    return -1;
  }
  size_t size;
  const char *why = "";
  list->text = sim_read_file(path, &size, &why);
  if (!list->text) {
    snprintf(err, err_size, "cannot read the faces file %.160s (WXPAYFACE_SIM_FACES): %s", path, why);
    free(path);
    return -1;
  }
  free(path);
  if (parse(list, err, err_size) != 0) {
    faces_free(list);
    return -1;
  }
  return 0;
}

void faces_free(FaceList *list) {
  free(list->text);
  free(list->faces);
  memset(list, 0, sizeof *list);
}
