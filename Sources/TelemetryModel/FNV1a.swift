/// The 64-bit FNV-1a hash of a text's UTF-8 bytes: stable across runs and platforms (unlike
/// `Hasher`), for names and ids derived from settings.
public enum FNV1a {
    public static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0100_0000_01b3 }
    }
}
