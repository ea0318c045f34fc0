//! JetBackup's IDs: 24-hexadecimal-digit MongoDB ObjectIds whose first 8
//! digits are the creation second. The client reads that second to find a
//! create whose reply was lost, the provider checks IDs at plan, and the
//! simulator mints its IDs the same way (`src/sim/objectid.rs`).

/// Whether `id` has the form of a JetBackup ID.
pub fn is_object_id(id: &str) -> bool {
    id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Creation second of an ObjectId (its first 8 hex digits).
pub fn object_id_time(id: &str) -> Option<u64> {
    if !is_object_id(id) {
        return None;
    }
    u64::from_str_radix(&id[..8], 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_id_time_reads_the_creation_second() {
        assert_eq!(object_id_time("6503d48bfc45b1addf0a9632"), Some(0x6503d48b));
        assert_eq!(object_id_time("not-an-id"), None);
        assert!(is_object_id("6503d48bfc45b1addf0a9632"));
        assert!(!is_object_id("6503d48bfc45b1addf0a963"));
    }
}
