# A nightly incremental backup of cPanel accounts, managed with Terraform.
#
# The provider reads its connection from the environment:
#   JETBACKUP_ENDPOINT   e.g. https://server.example.com:2087 (or the jetbackup-sim URL)
#   JETBACKUP_API_TOKEN  a WHM API token
#   JETBACKUP_PANEL      cpanel
#
# `make demo` runs this against the local JetBackup API simulator: the
# destination and schedule IDs below are its built-in ones (src/sim/seed.rs:
# DEST_LOCAL_ID, SCHEDULE_DAILY_ID, SCHEDULE_WEEKLY_ID). On a real server, use
# your own (listDestinations / listSchedules).

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

provider "jetbackup" {}

resource "jetbackup_backup_job" "nightly" {
  name        = "Nightly accounts backup"
  type        = "accounts"
  structure   = "incremental"
  destination = ["6503e7a1ebbf07708d06f1c1"]

  contains     = ["config", "homedir", "databases", "email"]
  exclude_list = ["*/.cache", "*/tmp/*"]

  time         = "0230"
  retry_failed = true

  # Daily snapshots kept for a week, weekly ones for a month.
  schedules {
    id     = "6503f0a0ebbf07708d06f202"
    retain = 7
  }
  schedules {
    id     = "6503f0a0ebbf07708d06f203"
    retain = 4
  }

  # Alert if a run takes longer than 1 day, or has not run for 2 days.
  monitor {
    ranfor = 1
    notran = 2
  }
}

output "job_id" {
  description = "The JetBackup ID of the backup job."
  value       = jetbackup_backup_job.nightly.id
}
