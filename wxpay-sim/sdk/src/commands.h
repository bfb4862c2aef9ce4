/* Validates one request and runs its command: the behaviour of wxpayCallFaceService. */
#ifndef SIM_COMMANDS_H
#define SIM_COMMANDS_H

#include <stddef.h>

#include "buf.h"

/* Writes the response JSON to out; returns non-zero (and writes nothing) when the call must fail. */
int commands_handle(const char *req, size_t len, Buf *out);

#endif
