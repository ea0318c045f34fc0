data "jetbackup_destination" "local" {
  name = "Local Backups"
}

resource "jetbackup_backup_job" "nightly" {
  name        = "Nightly accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = [data.jetbackup_destination.local.id]

  # Run the job right after it is created and after every change to it
  # (not when a plan has nothing to change).
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.jetbackup_run_backup_job.now]
    }
  }
}

# Or run it on demand:
#   terraform apply -invoke=action.jetbackup_run_backup_job.now
action "jetbackup_run_backup_job" "now" {
  config {
    backup_job_id = jetbackup_backup_job.nightly.id
  }
}
