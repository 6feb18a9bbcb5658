// libFuzzer's driver entry point (compiler-rt, LLVM ≥ 12), linked by -sanitize=fuzzer. SwiftPM
// makes each executable's own entry point `main`, so the targets call the driver from it instead
// of linking libFuzzer's main.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
