# Read a job made in the panel, for example to copy its destinations.
data "jetbackup_backup_job" "panel_made" {
  name = "Nightly accounts"
}

output "panel_job" {
  value = {
    id          = data.jetbackup_backup_job.panel_made.id
    destination = data.jetbackup_backup_job.panel_made.destination
    running     = data.jetbackup_backup_job.panel_made.running
  }
}
