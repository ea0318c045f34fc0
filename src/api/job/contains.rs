//! `contains`: what a job backs up, as the bitmask JetBackup stores and the
//! labels users write, converted here once, next to the bit table.

use crate::api::table::{choice_code, choice_label};
use std::collections::BTreeSet;

use super::JobType;
pub use crate::api::object::backup_job::{
    ACCOUNTS_FULL, ACCOUNT_CONTAINS, BMR_FULL, DIRECTORIES_FULL,
};

/// The `contains` value a job of this type gets when it backs up everything.
pub fn full_contains(job_type: JobType) -> i64 {
    match job_type {
        JobType::Accounts => ACCOUNTS_FULL,
        JobType::Directories => DIRECTORIES_FULL,
        JobType::Bmr => BMR_FULL,
    }
}

pub use crate::api::object::UNNAMED_BIT_PREFIX;

/// `contains` labels → bitmask for a job type. `None` when an item is not
/// valid for that type (the provider's plan-time validation reports it).
pub fn contains_to_mask(job_type: JobType, items: &BTreeSet<String>) -> Option<i64> {
    if items.is_empty() {
        return Some(full_contains(job_type));
    }
    let mut mask = 0i64;
    for item in items {
        mask |= contains_item_bit(job_type, item)?;
    }
    Some(mask)
}

/// The bit of one `contains` item, if valid for the type.
pub fn contains_item_bit(job_type: JobType, item: &str) -> Option<i64> {
    if let Some(bit) = item.strip_prefix(UNNAMED_BIT_PREFIX) {
        return bit
            .parse::<i64>()
            .ok()
            .filter(|b| *b > 0 && (b & (b - 1)) == 0);
    }
    match job_type {
        JobType::Accounts => choice_code(ACCOUNT_CONTAINS, item),
        // Directories and BMR bits have no documented names.
        JobType::Directories | JobType::Bmr => None,
    }
}

/// Bitmask → `contains` labels. A directories/BMR job with its type's full
/// value reads as an empty set; bits without a name become `bit_<value>` so
/// that nothing a newer server returns is lost.
pub fn mask_to_contains(job_type: JobType, mask: i64) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if job_type != JobType::Accounts && mask == full_contains(job_type) {
        return out;
    }
    for shift in 0..62 {
        let bit = 1i64 << shift;
        if mask & bit == 0 {
            continue;
        }
        let named = match job_type {
            JobType::Accounts => choice_label(ACCOUNT_CONTAINS, bit),
            JobType::Directories | JobType::Bmr => None,
        };
        out.insert(named.map_or_else(|| format!("{UNNAMED_BIT_PREFIX}{bit}"), str::to_string));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_labels_round_trip_and_keep_unnamed_bits() {
        let mask = 511 | 1024;
        let labels = mask_to_contains(JobType::Accounts, mask);
        assert!(labels.contains("homedir") && labels.contains("bit_1024"));
        assert_eq!(labels.len(), 10);
        assert_eq!(contains_to_mask(JobType::Accounts, &labels), Some(mask));
    }

    #[test]
    fn full_directories_job_reads_as_empty_contains() {
        assert!(mask_to_contains(JobType::Directories, 3).is_empty());
        assert_eq!(
            contains_to_mask(JobType::Directories, &BTreeSet::new()),
            Some(3)
        );
        assert_eq!(contains_to_mask(JobType::Bmr, &BTreeSet::new()), Some(7));
        let odd = mask_to_contains(JobType::Directories, 1);
        assert_eq!(odd.iter().collect::<Vec<_>>(), vec!["bit_1"]);
        assert_eq!(contains_to_mask(JobType::Directories, &odd), Some(1));
    }

    #[test]
    fn named_item_is_invalid_for_directories() {
        assert_eq!(contains_item_bit(JobType::Directories, "homedir"), None);
        assert_eq!(
            contains_item_bit(JobType::Accounts, "bit_3"),
            None,
            "not a single bit"
        );
    }
}
