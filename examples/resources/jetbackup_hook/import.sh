# A hook is imported by its JetBackup ID (_id, 24 hexadecimal digits),
# as shown by `jetbackup5api -F listHooks -O json`.
terraform import jetbackup_hook.dump 6509273a7cc0fb810207f612
