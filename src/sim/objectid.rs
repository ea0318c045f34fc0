//! MongoDB-style ObjectIds for new objects.
//!
//! JetBackup IDs are 24 hex digits whose first 8 are the creation second
//! (big-endian Unix time). Inferred (strongly): they are MongoDB ObjectIds;
//! the vendor's examples match creation times to the first 8 digits. The client's lost-reply recovery after a create
//! (`Client::create_backup_job`) relies on that timestamp being accurate, so
//! every ID minted here starts with the real creation second. The remaining
//! 16 hex digits are a per-process random value (so IDs from two simulator
//! runs sharing a `--state` file do not collide) and a counter (so IDs within
//! one run never collide).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::prng::SplitMix64;

/// Mints unique ObjectIds.
#[derive(Debug, Clone)]
pub struct IdGen {
    /// 40 bits of per-process randomness, as in MongoDB's "process unique" part.
    process: u64,
    /// 24-bit counter, wrapping.
    counter: u32,
}

impl IdGen {
    pub fn new(entropy: u64) -> IdGen {
        let mut rng = SplitMix64::new(entropy);
        IdGen {
            process: rng.next_u64() & 0xFF_FFFF_FFFF,
            counter: (rng.next_u64() & 0xFF_FFFF) as u32,
        }
    }

    /// Seeded from the clock and the process ID.
    pub fn from_entropy() -> IdGen {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        IdGen::new(nanos ^ (u64::from(std::process::id()) << 32))
    }

    /// A new ID created at `unix_secs`.
    pub fn next_id(&mut self, unix_secs: u64) -> String {
        self.counter = (self.counter + 1) & 0xFF_FFFF;
        format!(
            "{:08x}{:010x}{:06x}",
            unix_secs as u32, self.process, self.counter
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::objectid::{is_object_id, object_id_time};

    #[test]
    fn first_eight_hex_digits_are_the_creation_second() {
        let mut g = IdGen::new(1);
        let id = g.next_id(0x6504_c79f);
        assert!(is_object_id(&id), "{id}");
        assert!(id.starts_with("6504c79f"), "{id}");
        assert_eq!(object_id_time(&id), Some(0x6504_c79f));
    }

    #[test]
    fn ids_are_unique_within_one_second_and_across_generators() {
        let mut a = IdGen::new(1);
        let mut b = IdGen::new(2);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(a.next_id(1_700_000_000)));
            assert!(seen.insert(b.next_id(1_700_000_000)));
        }
    }
}
