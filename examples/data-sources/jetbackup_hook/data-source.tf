# Look a hook up by its exact name (case-sensitive), e.g. to check which
# script runs before backups on every server.
data "jetbackup_hook" "dump" {
  name = "Dump databases first"
}

output "dump_script" {
  value = data.jetbackup_hook.dump.script
}
