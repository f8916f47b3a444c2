import NIOCore
import TelemetryModel

extension JSONWriter {
    /// The bytes written, copied once into a buffer to send.
    public func byteBuffer(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        withBytes { bytes in
            var buffer = allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            return buffer
        }
    }
}
