/*
 * The C ABI of WeChat Pay's WxpayFaceSDK.dll, which the simulator reproduces exactly
 * (docs/sdk-contract.md). cdecl on every target.
 */
#ifndef WXPAYFACE_H
#define WXPAYFACE_H

#ifdef _WIN32
#define WXPAYFACE_API __declspec(dllexport)
#define WXPAYFACE_CALL __cdecl
#else
#define WXPAYFACE_API __attribute__((visibility("default")))
#define WXPAYFACE_CALL
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * reqBuf: reqSize bytes of UTF-8 JSON (not NUL-terminated). Returns 0 with *pRespBuf holding *pRespSize
 * bytes of UTF-8 JSON (not NUL-terminated) that the caller hands back to wxpayReleaseResponse once.
 * Non-zero: no response (*pRespBuf is NULL).
 */
WXPAYFACE_API int WXPAYFACE_CALL wxpayCallFaceService(const char *reqBuf, unsigned int reqSize, char **pRespBuf,
                                                      unsigned int *pRespSize);

/* Frees a response and sets *pRespBuf to NULL. NULL-safe. */
WXPAYFACE_API void WXPAYFACE_CALL wxpayReleaseResponse(char **pRespBuf);

#ifdef __cplusplus
}
#endif

#endif
