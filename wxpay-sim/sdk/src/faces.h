/*
 * The simulator camera's known faces, read from WXPAYFACE_SIM_FACES at each face step (same format as
 * wxpay-sim/src/faces.ts): one per line, openid<TAB>nickname[<TAB>unionid]; blank and '#' lines skipped.
 */
#ifndef SIM_FACES_H
#define SIM_FACES_H

#include <stddef.h>

typedef struct {
  const char *openid;
  const char *nickname;
  const char *unionid; /* NULL when the line has none */
} Face;

typedef struct {
  char *text; /* the file's content, cut in place into the strings above */
  Face *faces;
  size_t count;
} FaceList;

/*
 * Loads the faces named by WXPAYFACE_SIM_FACES. 0 on success (free with faces_free); otherwise -1 with a
 * message for the response in err (at least 256 bytes).
 */
int faces_load(FaceList *list, char *err, size_t err_size);
void faces_free(FaceList *list);

#endif
