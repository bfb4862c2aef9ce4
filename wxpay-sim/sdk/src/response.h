/* Response JSON: {"return_code":…,"return_msg":…, …fields}. */
#ifndef SIM_RESPONSE_H
#define SIM_RESPONSE_H

#include "buf.h"

/* Starts the object with the two common fields; add more with buf_json_field, then response_close. */
void response_open(Buf *b, const char *code, const char *msg);
void response_close(Buf *b);
/* A response with the common fields only. */
void response_simple(Buf *b, const char *code, const char *msg);

#endif
