# Destinations are looked up by name, so the same configuration works on
# every server whatever its IDs are.
data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

data "jetbackup_destination" "local" {
  name = "Local Backups"
}

# Schedule IDs, from `jetbackup5api -F listSchedules -O json`.
variable "daily_schedule_id" {
  type = string
}

variable "weekly_schedule_id" {
  type = string
}

# Nightly incremental backup of every account, kept 7 days and 4 weeks,
# to two destinations.
resource "jetbackup_backup_job" "accounts_nightly" {
  name        = "Nightly accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = [data.jetbackup_destination.offsite.id, data.jetbackup_destination.local.id]

  # Omit contains to back up everything (511).
  contains     = ["config", "homedir", "databases", "email", "cron", "dns", "ssl"]
  exclude_list = [".MirrorSearch", "*/.wysiwygPro_*", "*/core.[0-9]*"]
  retry_failed = true
  time         = "0230"

  # Accounts in group A or B, and in group C.
  filters = [
    ["617355f0c255bc71ee70f393", "61735fe403a9b8200d6996b3"],
    ["61737c0a29c3e916132b2b93"],
  ]

  schedules {
    id     = var.daily_schedule_id
    retain = 7
  }
  schedules {
    id     = var.weekly_schedule_id
    retain = 4
  }

  monitor {
    ranfor = 1
    notran = 2
  }
}

# Server configuration directories, archived weekly.
resource "jetbackup_backup_job" "etc_weekly" {
  name         = "Weekly /etc"
  type         = "directories"
  structure    = "archived"
  destination  = [data.jetbackup_destination.offsite.id]
  include_list = ["/etc", "/var/named"]
  exclude_list = ["/etc/ssl/private"]
  disabled     = false

  schedules {
    id     = var.weekly_schedule_id
    retain = 8
  }
}
