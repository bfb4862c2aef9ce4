/* The library's only two exported symbols (everything else is hidden at build time). */
#include <stdlib.h>

#include "../include/wxpayface.h"
#include "buf.h"
#include "commands.h"

/* Return values other than 0 (the real SDK documents only "non-zero"). */
enum { CALL_FAILED = -1, BAD_ARGUMENTS = -2, OUT_OF_MEMORY = -3 };

int WXPAYFACE_CALL wxpayCallFaceService(const char *reqBuf, unsigned int reqSize, char **pRespBuf,
                                        unsigned int *pRespSize) {
  if (!pRespBuf || !pRespSize) return BAD_ARGUMENTS;
  *pRespBuf = NULL;
  *pRespSize = 0;
  Buf out;
  buf_init(&out);
  /* reqBuf is not NUL-terminated: only reqSize bytes are ever read. */
  if (commands_handle(reqBuf, reqBuf ? reqSize : 0, &out) != 0) {
    buf_free(&out);
    return CALL_FAILED;
  }
  if (out.failed || out.len == 0 || out.len > 0xffffffffu) {
    buf_free(&out);
    return OUT_OF_MEMORY;
  }
  /* Exactly *pRespSize bytes, no terminating NUL, like the vendor's DLL: callers must use the size. */
  char *exact = realloc(out.data, out.len);
  *pRespBuf = exact ? exact : out.data;
  *pRespSize = (unsigned int)out.len;
  return 0;
}

void WXPAYFACE_CALL wxpayReleaseResponse(char **pRespBuf) {
  if (!pRespBuf) return;
  free(*pRespBuf);
  *pRespBuf = NULL;
}
