# A nightly incremental backup of cPanel accounts, managed with Terraform.
#
# The provider reads its connection from the environment:
#   JETBACKUP_ENDPOINT   e.g. https://server.example.com:2087 (or the jetbackup-sim URL)
#   JETBACKUP_API_TOKEN  a WHM API token
#   JETBACKUP_PANEL      cpanel
#
# `make demo` runs this against the local JetBackup API simulator. The
# destination and the schedules are looked up by name (the defaults below
# are the simulator's built-in ones); on a real server, pass the names of
# yours, e.g. terraform apply -var destination=... -var daily_schedule=...

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

provider "jetbackup" {}

variable "destination" {
  description = "Name of the destination. Default: the simulator's built-in local one."
  type        = string
  default     = "Local Backups"
}

variable "daily_schedule" {
  description = "Name of the daily schedule. Default: the simulator's built-in one."
  type        = string
  default     = "Daily"
}

variable "weekly_schedule" {
  description = "Name of the weekly schedule. Default: the simulator's built-in one."
  type        = string
  default     = "Weekly on Sunday"
}

data "jetbackup_destination" "local" {
  name = var.destination
}

data "jetbackup_schedule" "daily" {
  name = var.daily_schedule
}

data "jetbackup_schedule" "weekly" {
  name = var.weekly_schedule
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
    id     = data.jetbackup_schedule.daily.id
    retain = 7
  }
  schedules {
    id     = data.jetbackup_schedule.weekly.id
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
