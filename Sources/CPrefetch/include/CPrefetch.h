// Software prefetch for the KMC hot path (Swift has no prefetch intrinsic).
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Start loading the cache line holding `p` (read, keep in all levels). Never faults.
static inline void cekmc_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Start loading the cache line holding `p` for writing (ownership requested). Never faults.
static inline void cekmc_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

#endif
