# A destination is imported by its JetBackup ID (_id, 24 hexadecimal digits),
# as shown by `jetbackup5api -F listDestinations -O json`.
terraform import jetbackup_destination.local 6503e7a1ebbf07708d06f1c1
