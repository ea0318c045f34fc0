# A backup job is imported by its JetBackup ID (_id, 24 hexadecimal digits),
# as shown by `jetbackup5api -F listBackupJobs -O json`.
terraform import jetbackup_backup_job.accounts_nightly 6504c79fd4b57d536c05bbe2
