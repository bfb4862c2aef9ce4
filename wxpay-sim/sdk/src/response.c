#include "response.h"

void response_open(Buf *b, const char *code, const char *msg) {
  buf_putc(b, '{');
  buf_json_field(b, "return_code", code);
  buf_json_field(b, "return_msg", msg);
}

void response_close(Buf *b) { buf_putc(b, '}'); }

void response_simple(Buf *b, const char *code, const char *msg) {
  response_open(b, code, msg);
  response_close(b);
}
