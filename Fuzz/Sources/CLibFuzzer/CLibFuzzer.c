// Header-only module: see include/CLibFuzzer.h.
