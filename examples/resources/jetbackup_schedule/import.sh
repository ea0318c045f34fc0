# A schedule is imported by its JetBackup ID (_id, 24 hexadecimal digits),
# as shown by `jetbackup5api -F listSchedules -O json`.
terraform import jetbackup_schedule.twice_a_week 6503f0a0ebbf07708d06f202
