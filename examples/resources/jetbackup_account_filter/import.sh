# An account filter is imported by its own JetBackup ID (_id, not its
# group_id), as shown by `jetbackup5api -F listAccountFilters -O json`.
terraform import jetbackup_account_filter.no_resellers 6503e82270c7bdb29f08c6c2
