output "destination_ids" {
  description = "The destinations the jobs write to."
  value       = local.destinations
}

output "accounts_job_id" {
  description = "The accounts job."
  value       = jetbackup_backup_job.accounts.id
}

output "server_config_job_id" {
  description = "The server configuration job."
  value       = jetbackup_backup_job.server_config.id
}

output "failure_notification_id" {
  description = "The failure notification, or null without failure_email."
  value       = one(jetbackup_notification_integration.failures[*].id)
}

output "pre_backup_hook_id" {
  description = "The pre-backup hook, or null without pre_backup_script."
  value       = one(jetbackup_hook.pre_backup[*].id)
}
