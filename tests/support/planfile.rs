//! The members of a saved plan (`terraform plan -out=FILE`): a zip archive,
//! read here through its central directory, each member inflated, so that
//! a test can look for a secret in every one of them (what `unzip -p`
//! would show).

const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const DIRECTORY_ENTRY: u32 = 0x0201_4b50;
const LOCAL_HEADER: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Every member of the zip archive `bytes`, by name, uncompressed (stored
/// or deflated; any other method fails the test).
pub fn members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    // The end-of-directory record: last in the file, after a comment of
    // at most 64 KiB.
    let end = (0..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(bytes, i) == END_OF_DIRECTORY)
        .expect("a zip archive (no end-of-directory record)");
    let count = u16_at(bytes, end + 10);
    let mut at = u32_at(bytes, end + 16) as usize;
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(bytes, at), DIRECTORY_ENTRY, "a directory entry");
        let method = u16_at(bytes, at + 10);
        let compressed = u32_at(bytes, at + 20) as usize;
        let (name_len, extra_len, comment_len) = (
            u16_at(bytes, at + 28),
            u16_at(bytes, at + 30),
            u16_at(bytes, at + 32),
        );
        let local = u32_at(bytes, at + 42) as usize;
        let name = String::from_utf8_lossy(&bytes[at + 46..at + 46 + name_len]).to_string();
        at += 46 + name_len + extra_len + comment_len;

        assert_eq!(u32_at(bytes, local), LOCAL_HEADER, "{name}: a local header");
        let start = local + 30 + u16_at(bytes, local + 26) + u16_at(bytes, local + 28);
        let data = &bytes[start..start + compressed];
        let content = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec(data)
                .unwrap_or_else(|e| panic!("{name}: cannot inflate: {e:?}")),
            other => panic!("{name}: compression method {other}"),
        };
        out.push((name, content));
    }
    out
}
