# A nightly incremental backup of cPanel accounts, managed with Terraform.
#
# The provider reads its connection from the environment:
#   JETBACKUP_ENDPOINT   e.g. https://server.example.com:2087 (or the jetbackup-sim URL)
#   JETBACKUP_API_TOKEN  a WHM API token
#   JETBACKUP_PANEL      cpanel
#
# `make demo` runs this against the local JetBackup API simulator. The
# destination is looked up by name ("Local Backups" is the simulator's
# built-in one); on a real server, use the name of one of yours.
#
# Schedules are still given by ID: the defaults below are the simulator's
# built-in daily and weekly schedules. On a real server pass your own, e.g.
#   terraform apply -var daily_schedule_id=... -var weekly_schedule_id=...
# (IDs from `jetbackup5api -F listSchedules -O json`).

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

provider "jetbackup" {}

variable "daily_schedule_id" {
  description = "ID of the daily schedule (listSchedules). Default: the simulator's built-in one."
  type        = string
  default     = "6503f0a0ebbf07708d06f202"
}

variable "weekly_schedule_id" {
  description = "ID of the weekly schedule (listSchedules). Default: the simulator's built-in one."
  type        = string
  default     = "6503f0a0ebbf07708d06f203"
}

data "jetbackup_destination" "local" {
  name = "Local Backups"
}

resource "jetbackup_backup_job" "nightly" {
  name        = "Nightly accounts backup"
  type        = "accounts"
  structure   = "incremental"
  destination = [data.jetbackup_destination.local.id]

  contains     = ["config", "homedir", "databases", "email"]
  exclude_list = ["*/.cache", "*/tmp/*"]

  time         = "0230"
  retry_failed = true

  # Daily snapshots kept for a week, weekly ones for a month.
  schedules {
    id     = var.daily_schedule_id
    retain = 7
  }
  schedules {
    id     = var.weekly_schedule_id
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
