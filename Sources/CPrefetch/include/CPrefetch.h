#ifndef NETCHAOS_CPREFETCH_H
#define NETCHAOS_CPREFETCH_H

/// Asks the CPU to start loading the cache line holding `address` (for reading, kept in every
/// cache level). Swift has no prefetch of its own; gathers of records scattered over megabytes
/// use this to overlap their cache misses.
static inline void netchaos_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
