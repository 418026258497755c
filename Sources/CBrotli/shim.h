#ifndef CBROTLI_SHIM_H
#define CBROTLI_SHIM_H
/* libbrotli's decoder only: Swift calls BrotliDecoderDecompressStream directly, so no wrappers. */
#include <brotli/decode.h>
#endif
