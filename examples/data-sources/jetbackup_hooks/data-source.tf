# Every enabled hook on the server: their IDs are what `terraform import`
# takes to adopt them.
data "jetbackup_hooks" "enabled" {
  disabled = false
}

output "hooks" {
  value = { for h in data.jetbackup_hooks.enabled.hooks : h.name => h.script }
}
