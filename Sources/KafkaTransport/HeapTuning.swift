import CRdKafka

/// glibc settings for processes that move large buffers through librdkafka all the time.
public enum HeapTuning {
    /// Serves allocations up to `bytes` from the heap instead of fresh `mmap`s, and keeps freed
    /// heap: a batch buffer freed after its upload is then reused by the next one instead of
    /// being faulted in page by page again (the sink's system time fell by a quarter).
    public static func keepLargeAllocations(upTo bytes: Int = 64 << 20) {
        _ = mallopt(M_MMAP_THRESHOLD, Int32(clamping: bytes))
        _ = mallopt(M_TRIM_THRESHOLD, Int32(clamping: max(bytes * 4, 256 << 20)))
    }
}
