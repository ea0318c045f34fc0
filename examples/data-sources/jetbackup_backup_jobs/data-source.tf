# Every enabled accounts job.
data "jetbackup_backup_jobs" "accounts" {
  type     = "accounts"
  disabled = false
}

output "account_job_names" {
  value = { for j in data.jetbackup_backup_jobs.accounts.jobs : j.id => j.name }
}
