#ifndef CMALLOCINFO_H
#define CMALLOCINFO_H
#include <stddef.h>
/// Heap bytes in use (glibc mallinfo2: small blocks in use + mmapped blocks); 0 elsewhere.
size_t cmi_heap_in_use(void);
#endif
