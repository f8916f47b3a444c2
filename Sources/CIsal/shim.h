// Intel ISA-L's igzip, from Debian's libisal-dev: the fastest deflate (gzip level 1).
#include <isa-l/igzip_lib.h>

// The level-1 work buffer size, as a function (the macro is an expression Swift cannot import).
static inline unsigned int netchaos_isal_level1_buffer_bytes(void) { return ISAL_DEF_LVL1_DEFAULT; }
