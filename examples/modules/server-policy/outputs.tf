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
