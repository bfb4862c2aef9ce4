/*
 * A small strict JSON parser (RFC 8259) for requests: the top level must be an object; its members keep
 * their decoded values, nested objects and arrays are checked and only their kind is kept.
 */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } JsonKind;

typedef struct {
  JsonKind kind;
  char *str;       /* J_STRING: decoded UTF-8, NUL-terminated (may also contain NULs, see len) */
  size_t len;      /* J_STRING: byte length */
  int is_int;      /* J_NUMBER: no fraction or exponent and fits in int64 */
  int64_t integer; /* J_NUMBER with is_int */
} JsonValue;

typedef struct {
  char *key;
  size_t key_len;
  JsonValue value;
} JsonMember;

typedef struct {
  JsonMember *members;
  size_t count;
} JsonObject;

/* Parses len bytes; 0 on success (free with json_free), -1 for anything that is not a JSON object. */
int json_parse_object(const char *text, size_t len, JsonObject *out);
void json_free(JsonObject *obj);
/* The member named key (the last one when repeated, as JSON.parse does), or NULL. */
const JsonValue *json_get(const JsonObject *obj, const char *key);

#endif
