//! The JetBackup API functions this project calls, each declared once as
//! reading or writing.
//!
//! Whether a function writes decides two things that must agree: the client
//! awaits a write already sent even when Terraform asks it to stop (only the
//! reply says whether it happened), and the simulator commits a write even
//! when the client goes away before the reply. Both read it from this table;
//! the simulator dispatches on [`Function`] with exhaustive matches, so a
//! function added here does not build until the simulator answers it.

/// Declares the two enums and [`Function`] from one list of functions.
macro_rules! functions {
    (
        read { $($read:ident = $read_name:literal,)* }
        write { $($write:ident = $write_name:literal,)* }
    ) => {
        /// A function that only reads: sending it again is harmless.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ReadFunction { $($read,)* }

        /// A function that changes data: once sent, it may have committed
        /// whatever becomes of its reply.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum WriteFunction { $($write,)* }

        impl ReadFunction {
            pub const ALL: &'static [ReadFunction] = &[$(ReadFunction::$read,)*];

            /// The name on the wire (`-F` of `jetbackup5api`, `function=` over HTTP).
            pub const fn name(self) -> &'static str {
                match self { $(ReadFunction::$read => $read_name,)* }
            }
        }

        impl WriteFunction {
            pub const ALL: &'static [WriteFunction] = &[$(WriteFunction::$write,)*];

            /// The name on the wire (`-F` of `jetbackup5api`, `function=` over HTTP).
            pub const fn name(self) -> &'static str {
                match self { $(WriteFunction::$write => $write_name,)* }
            }
        }
    };
}

functions! {
    read {
        GetBackupJob = "getBackupJob",
        ListBackupJobs = "listBackupJobs",
        GetSchedule = "getSchedule",
        ListSchedules = "listSchedules",
        GetDestination = "getDestination",
        ListDestinations = "listDestinations",
        ListDestinationTypes = "listDestinationTypes",
        GetAccountFilter = "getAccountFilter",
        ListAccountFilters = "listAccountFilters",
        GetAccountFilterGroup = "getAccountFilterGroup",
        ListAccountFilterGroups = "listAccountFilterGroups",
        GetHook = "getHook",
        ListHooks = "listHooks",
        GetNotificationIntegration = "getNotificationIntegration",
        ListNotificationIntegrations = "listNotificationIntegrations",
        ListNotificationIntegrationTypes = "listNotificationIntegrationTypes",
    }
    write {
        ManageBackupJob = "manageBackupJob",
        DeleteBackupJob = "deleteBackupJob",
        DuplicateBackupJob = "duplicateBackupJob",
        RunBackupJobManually = "runBackupJobManually",
        ManageSchedule = "manageSchedule",
        DeleteSchedule = "deleteSchedule",
        ManageDestination = "manageDestination",
        DeleteDestination = "deleteDestination",
        ManageAccountFilter = "manageAccountFilter",
        DeleteAccountFilter = "deleteAccountFilter",
        ManageHook = "manageHook",
        DeleteHook = "deleteHook",
        ManageNotificationIntegration = "manageNotificationIntegration",
        DeleteNotificationIntegration = "deleteNotificationIntegration",
    }
}

/// One of the functions in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Read(ReadFunction),
    Write(WriteFunction),
}

impl Function {
    /// The function called `name`, if the table has it.
    pub fn named(name: &str) -> Option<Function> {
        Function::all().find(|f| f.name() == name)
    }

    /// Every function in the table, the reads first.
    pub fn all() -> impl Iterator<Item = Function> {
        let reads = ReadFunction::ALL.iter().copied().map(Function::Read);
        reads.chain(WriteFunction::ALL.iter().copied().map(Function::Write))
    }

    pub const fn name(self) -> &'static str {
        match self {
            Function::Read(f) => f.name(),
            Function::Write(f) => f.name(),
        }
    }

    pub const fn writes(self) -> bool {
        matches!(self, Function::Write(_))
    }
}

/// Whether the function called `name` changes data. A name outside the table
/// counts as a write: awaiting a call that turns out to be a read costs a
/// little time at a stop, abandoning a write would lose its outcome.
pub fn changes_data(name: &str) -> bool {
    Function::named(name).is_none_or(Function::writes)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::api::object::OBJECTS;

    #[test]
    fn names_are_unique_and_found_by_name() {
        let names: HashSet<&str> = Function::all().map(Function::name).collect();
        assert_eq!(names.len(), Function::all().count());
        for f in Function::all() {
            assert_eq!(Function::named(f.name()), Some(f));
        }
        assert_eq!(Function::named("editBackupJob"), None);
    }

    /// What the client awaits through a stop.
    #[test]
    fn only_writes_are_awaited_through_a_stop() {
        assert!(changes_data("manageBackupJob"));
        assert!(changes_data("deleteBackupJob"));
        assert!(changes_data("deleteSchedule"));
        assert!(!changes_data("getBackupJob"));
        assert!(!changes_data("listBackupJobs"));
        assert!(!changes_data("listDestinationTypes"));
        assert!(changes_data("someFutureFunction"));
    }

    /// The table-described objects name their functions in their own
    /// tables: each must be here, with `manage*`/`delete*` writing.
    #[test]
    fn every_object_kinds_functions_are_in_the_table() {
        for kind in OBJECTS {
            for (name, writes) in [
                (kind.manage, true),
                (kind.delete, true),
                (kind.get, false),
                (kind.list, false),
            ] {
                let f = Function::named(name)
                    .unwrap_or_else(|| panic!("{} names {name}, not in the table", kind.title));
                assert_eq!(f.writes(), writes, "{name}");
            }
        }
    }
}
