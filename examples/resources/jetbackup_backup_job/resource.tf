# Destinations, schedules and account filter groups are looked up by name,
# so the same configuration works on every server whatever its IDs are.
data "jetbackup_destination" "offsite" {
  name = "S3 Offsite"
}

data "jetbackup_destination" "local" {
  name = "Local Backups"
}

data "jetbackup_schedule" "daily" {
  name = "Daily"
}

data "jetbackup_schedule" "weekly" {
  name = "Weekly on Sunday"
}

data "jetbackup_account_filter_group" "all" {
  name = "All Accounts"
}

data "jetbackup_account_filter_group" "resellers" {
  name = "Resellers"
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

  # Accounts matched by both groups (each inner list is OR-ed, the lists AND-ed).
  filters = [
    [data.jetbackup_account_filter_group.all.id],
    [data.jetbackup_account_filter_group.resellers.id],
  ]

  schedules {
    id     = data.jetbackup_schedule.daily.id
    retain = 7
  }
  schedules {
    id     = data.jetbackup_schedule.weekly.id
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
    id     = data.jetbackup_schedule.weekly.id
    retain = 8
  }
}
