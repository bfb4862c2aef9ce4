/*
 * Test-only stand-in for WxpayFaceSDK with the same two exports: it appends every request it receives
 * to the file named by POSFACE_RECORDING_FILE (a 4-byte little-endian length, then the request's bytes
 * exactly as received) and answers SUCCESS with every field any command may return. Built by
 * recording-sdk.ts; never shipped.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wxpayface.h"

static const char ANSWER[] =
    "{\"return_code\":\"SUCCESS\",\"return_msg\":\"SUCCESS\",\"rawdata\":\"UkVDT1JESU5HLVNESw==\","
    "\"openid\":\"oRECORDING_0001\",\"nickname\":\"recorder\"}";

/* koffi calls from several threads (stopWxpayface bypasses the host's queue): one record at a time. */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

static int write_all(int fd, const void *data, size_t size) {
  const char *p = data;
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n <= 0) return -1;
    p += n;
    size -= (size_t)n;
  }
  return 0;
}

static int record(const char *req, unsigned int size) {
  const char *path = getenv("POSFACE_RECORDING_FILE");
  if (!path) return -1;
  unsigned char header[4] = {size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >> 24) & 0xff};
  pthread_mutex_lock(&record_lock);
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
  int rc = fd < 0 ? -1 : 0;
  if (rc == 0) rc = write_all(fd, header, sizeof header);
  if (rc == 0 && size > 0) rc = write_all(fd, req, size);
  if (fd >= 0) close(fd);
  pthread_mutex_unlock(&record_lock);
  return rc;
}

int WXPAYFACE_CALL wxpayCallFaceService(const char *reqBuf, unsigned int reqSize, char **pRespBuf,
                                        unsigned int *pRespSize) {
  if (!pRespBuf || !pRespSize) return -2;
  *pRespBuf = NULL;
  *pRespSize = 0;
  if (record(reqBuf ? reqBuf : "", reqBuf ? reqSize : 0) != 0) return -1;
  char *out = malloc(sizeof ANSWER - 1);
  if (!out) return -3;
  memcpy(out, ANSWER, sizeof ANSWER - 1);
  *pRespBuf = out;
  *pRespSize = (unsigned int)(sizeof ANSWER - 1);
  return 0;
}

void WXPAYFACE_CALL wxpayReleaseResponse(char **pRespBuf) {
  if (!pRespBuf) return;
  free(*pRespBuf);
  *pRespBuf = NULL;
}
